-- Connection events: the audit trail of a grant is also the outbox that routes/events.camel.yaml
-- delivers (at least once, in order per grant). Each event row is written by the same statement or
-- transaction as the change it records, so a change that did not happen (a lost race) has none.
-- Never token material: ids, statuses, reasons and times only.
alter table grant_events
    -- the grant's provider and its status right after the change
    add column provider         text,
    add column status           text,
    -- set once the sink took the event; null = still to deliver
    add column delivered_at     timestamptz,
    -- deliveries tried so far, and the earliest time of the next one (backoff after a failing sink)
    add column attempts         integer not null default 0,
    add column next_attempt_at  timestamptz,
    -- an instance delivering the event holds it until then; a crashed instance's claim expires
    add column lease_until      timestamptz,
    -- what the last failed delivery threw (an exception class, never a message)
    add column last_failure     text;

-- Events written before the outbox existed are history, not news: they are never sent.
update grant_events e set provider = g.provider, status = g.status, delivered_at = e.at
from grants g where g.id = e.grant_id;

alter table grant_events
    alter column provider set not null,
    alter column status set not null;

-- The outbox's queue, small however long the audit trail grows: undelivered events oldest first,
-- and each grant's undelivered events in order (a grant's next event waits for its earlier ones).
create index grant_events_undelivered on grant_events (id) where delivered_at is null;
create index grant_events_outbox on grant_events (grant_id, id) where delivered_at is null;
