-- A sweep run is worked by every instance at once: opening it lists its grants in sweep_items, and
-- each instance claims them in batches (FOR UPDATE SKIP LOCKED) until none is left. A claim holds
-- until claim_until: a batch whose instance died is claimed again once it has passed. The run ends
-- when every item is done, whoever did it; the per-run lease of V2 has no work left.
alter table sweep_runs add column id bigint generated always as identity unique;
alter table sweep_runs drop column lease_until;

create table sweep_items (
    run_id       bigint      not null,
    grant_id     uuid        not null,
    -- the instance holding the item's batch, and until when
    claimed_by   text,
    claim_until  timestamptz,
    done_at      timestamptz,
    -- valid | reauth_required | error | skipped (undecryptable) | gone (no longer stored)
    outcome      text,
    refreshed    boolean     not null default false,
    primary key (run_id, grant_id)
);
create index sweep_items_open on sweep_items (run_id) where done_at is null;
