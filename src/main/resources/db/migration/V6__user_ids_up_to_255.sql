-- User ids are the host application's JWT subjects: printable and up to 255 characters
-- (UserAuthentication refuses any other), so the column accepts every id the API lets through.
alter table grants drop constraint grants_user_id_check;
alter table grants add constraint grants_user_id_check check (length(user_id) between 1 and 255);
