-- One grant = the credential set one consent produced. Token columns hold ciphertext only
-- (AES-256-GCM, key id inside the value, associated data = grant id + column).
create table grants (
    id                 uuid        primary key,
    user_id            text        not null check (length(user_id) between 1 and 200),
    provider           text        not null,
    status             text        not null default 'active'
                                   check (status in ('active', 'reauth_required', 'disconnected')),
    access_token       bytea       not null,
    refresh_token      bytea,
    token_type         text        not null default 'Bearer',
    scopes             text        not null default '',
    expires_at         timestamptz,
    -- bumped by every token write: the fence of compare-and-set updates
    token_version      bigint      not null default 1,
    connected_at       timestamptz not null,
    last_refreshed_at  timestamptz,
    last_validated_at  timestamptz,
    last_error         text,
    deleted_at         timestamptz,
    check ((status = 'disconnected') = (deleted_at is not null))
);
create index grants_user on grants (user_id) where deleted_at is null;
create index grants_sweep on grants (id) where deleted_at is null;

-- Which tools a grant serves; a detached row is kept for the audit trail.
create table grant_tools (
    grant_id     uuid        not null references grants (id),
    user_id      text        not null,
    tool         text        not null,
    attached_at  timestamptz not null,
    detached_at  timestamptz,
    check (detached_at is null or detached_at >= attached_at)
);
-- one active grant per user + tool
create unique index grant_tools_one_active on grant_tools (user_id, tool) where detached_at is null;
create index grant_tools_grant on grant_tools (grant_id);

-- Pending authorization requests: single-use, short-lived. The state itself is not stored,
-- only its SHA-256, so a database read does not yield usable states.
create table oauth_states (
    state_hash     bytea       primary key,
    user_id        text        not null,
    provider       text        not null,
    tools          text[]      not null check (cardinality(tools) > 0),
    bucket         text,
    code_verifier  bytea,
    created_at     timestamptz not null
);
create index oauth_states_created on oauth_states (created_at);

-- Audit trail: what happened to a grant. Never token material.
create table grant_events (
    id         bigint generated always as identity primary key,
    grant_id   uuid        not null references grants (id),
    user_id    text        not null,
    event      text        not null check (event in ('connected', 'refreshed', 'refresh_failed', 'reauth_required',
                                                     'revoked', 'disconnected', 'validated', 'key_rotated')),
    detail     text,
    at         timestamptz not null
);
create index grant_events_grant on grant_events (grant_id, at desc);

-- Claims of scheduled sweep runs: one row per scheduled slot, so one instance runs each sweep.
create table sweep_runs (
    slot         timestamptz primary key,
    instance     text        not null,
    started_at   timestamptz not null,
    finished_at  timestamptz,
    summary      text
);
