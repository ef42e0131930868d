-- A connect flow in flight has two phases in one row (DESIGN.md "Connect flow, callback and
-- completion"): until the callback, state_hash is the SHA-256 of the state and code is null; after
-- it, state_hash is the SHA-256 of the opaque pending id handed to the frontend and code holds the
-- authorization code (ciphertext), until the user who started the flow completes it.
alter table oauth_states add column code bytea;
comment on column oauth_states.state_hash is 'SHA-256 of the current handle: the state, then the pending id';
-- the cap of flows in flight per user drops the oldest
create index oauth_states_user on oauth_states (user_id, created_at);
