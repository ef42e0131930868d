-- The last fetch of each user's tool by each backend client (oauth-cli inspect). Never a token.
create table client_fetches (
    client_id  text        not null,
    user_id    text        not null,
    tool       text        not null,
    outcome    text        not null,
    at         timestamptz not null,
    primary key (client_id, user_id, tool)
);
create index client_fetches_user_tool on client_fetches (user_id, tool);
