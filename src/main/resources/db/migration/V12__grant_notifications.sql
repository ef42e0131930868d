-- Every change of a grant tells every broker instance, in the transaction that makes it: a
-- NOTIFY on channel grant_changed, delivered at commit (and never when the transaction rolls
-- back), whose payload is the user id whose cached grants are to be dropped ('*' = all of them).
-- Triggers rather than calls in the code, so that every writer is covered without anyone
-- remembering: refresh, disconnect, reauth, reconnect, key rotation, the CLI, a hand-written
-- UPDATE or DELETE, a TRUNCATE.
--
-- An update that changes only bookkeeping no token answer shows (the refresh lease, the last
-- validation, the last transient error) sends nothing, so a sweep or a refresh attempt does not
-- empty the instances' caches; any other column, including one a later migration adds, does.
create function notify_grant_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'TRUNCATE' then
        perform pg_notify('grant_changed', '*');
        return null;
    end if;
    if tg_op = 'UPDATE' and tg_table_name = 'grants'
       and to_jsonb(old) - array['refresh_lease_owner', 'refresh_lease_until', 'last_validated_at', 'last_error']
           = to_jsonb(new) - array['refresh_lease_owner', 'refresh_lease_until', 'last_validated_at', 'last_error'] then
        return null;
    end if;
    if tg_op <> 'INSERT' then
        perform pg_notify('grant_changed', old.user_id);
    end if;
    if tg_op <> 'DELETE' and (tg_op = 'INSERT' or new.user_id is distinct from old.user_id) then
        perform pg_notify('grant_changed', new.user_id);
    end if;
    return null;
end $$;

create trigger grants_notify after insert or update or delete on grants
    for each row execute function notify_grant_changed();
create trigger grants_notify_truncate after truncate on grants
    for each statement execute function notify_grant_changed();
create trigger grant_tools_notify after insert or update or delete on grant_tools
    for each row execute function notify_grant_changed();
create trigger grant_tools_notify_truncate after truncate on grant_tools
    for each statement execute function notify_grant_changed();
