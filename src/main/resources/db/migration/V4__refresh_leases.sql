-- A refresh holds a lease on its grant instead of a lock inside an open transaction: claimed and
-- released by single statements, so no database connection waits while a provider answers.
-- The write of the new tokens clears it; a crashed holder's lease expires.
alter table grants add column refresh_lease_owner text,
                   add column refresh_lease_until timestamptz;
