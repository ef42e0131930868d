-- Scopes per tool (README "Scopes per tool and Grant access"). grants.scopes now holds the set the
-- provider granted (the token answer's scope; RFC 6749 §5.1: what was asked when the answer has none).
-- An empty value is a grant stored before this migration whose answer listed none: read as granting
-- what its tools ask.
comment on column grants.scopes is 'granted scopes, space-separated, as the provider answered them; empty = not recorded';

-- A connect flow remembers what it asked for (the granted set when the answer has no scope), and a
-- Grant access flow the grant it upgrades: its completion updates that grant instead of adding one
-- (no foreign key: the completion checks the grant is still the user's and live, and a foreign key
-- would tie every truncate or purge of grants to the flows in flight).
alter table oauth_states
    add column scopes         text[],
    add column upgrade_grant  uuid;

-- scopes_changed: a Grant access consent (or a refresh answer) changed a grant's granted scopes
-- (the list keeps every earlier event, token_rejected of V9 included).
alter table grant_events drop constraint grant_events_event_check;
alter table grant_events add constraint grant_events_event_check
    check (event in ('connected', 'refreshed', 'refresh_failed', 'reauth_required', 'revoked', 'disconnected',
                     'validated', 'key_rotated', 'token_rejected', 'scopes_changed'));
