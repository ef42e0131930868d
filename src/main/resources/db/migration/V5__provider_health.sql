-- The last circuit-breaker state change per provider, written by whichever instance saw it (the
-- latest change wins), so `oauth-cli providers` on any machine shows it. Each instance decides
-- from its own breaker; this row is for operators, never read on the request path.
create table provider_health (
    provider      text primary key,
    breaker_state text not null,
    reason        text not null,
    changed_at    timestamptz not null
);
