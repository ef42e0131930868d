-- Admin consent (README "Microsoft 365 and admin consent"): a user asks for a link to forward to
-- their organisation's administrator; the administrator's answer comes back to /oauth/callback with
-- the link's state. Like oauth_states, only the SHA-256 of the state is stored; a request is single
-- use and expires after broker.state.admin-consent-max-age (days, not minutes: it waits for a person).
create table admin_consent_requests (
    state_hash    bytea       primary key,
    user_id       text        not null,
    provider      text        not null,
    bucket        text        not null,
    -- what the administrator was asked to consent to, space-separated (as sent)
    scopes        text        not null,
    created_at    timestamptz not null
);
create index admin_consent_requests_created on admin_consent_requests (created_at);

-- Organisations (Microsoft: tenants) whose administrator consented for everyone in them. One row per
-- provider and tenant; a later consent replaces the scopes and the time. Never token material.
create table admin_consents (
    provider      text        not null,
    tenant        text        not null check (length(tenant) between 1 and 100),
    scopes        text        not null,
    -- the user whose link the administrator followed
    requested_by  text        not null,
    consented_at  timestamptz not null,
    primary key (provider, tenant)
);
