-- A host backend reports an access token its provider rejected (POST .../tokens/{tool}/rejected).
-- The grant keeps which token version was last reported, so a rejected token is recorded once
-- (one token_rejected event) however many callers report it at once: the reports serialise on
-- the row, the first sets it, the others find it set. Never the token itself.
alter table grants add column rejected_token_version bigint;

-- grant_events.event gains token_rejected (the full list, as V1 had it plus the new name).
alter table grant_events drop constraint grant_events_event_check;
alter table grant_events add constraint grant_events_event_check
    check (event in ('connected', 'refreshed', 'refresh_failed', 'reauth_required', 'revoked', 'disconnected',
                     'validated', 'key_rotated', 'token_rejected'));
