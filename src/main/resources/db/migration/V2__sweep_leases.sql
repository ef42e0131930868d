-- A sweep run holds a lease: it runs while its heartbeat keeps lease_until in the future, and at most
-- one run is unfinished at a time (cluster-wide). A run whose instance died stops renewing; once its
-- lease has passed, the next claim closes it as abandoned and takes over.
alter table sweep_runs add column lease_until timestamptz;

-- runs left unfinished before leases existed can never finish now: close them
update sweep_runs set finished_at = started_at, summary = coalesce(summary, 'abandoned: unfinished before sweep leases existed')
where finished_at is null;
update sweep_runs set lease_until = finished_at;
alter table sweep_runs alter column lease_until set not null;

create unique index sweep_runs_one_unfinished on sweep_runs ((true)) where finished_at is null;
