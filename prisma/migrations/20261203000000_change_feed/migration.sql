-- Change announcements for the per-instance caches of the protocol path
-- (lib/db/change-feed.ts): every write to these tables NOTIFYs, at commit,
-- the topic whose cached reads must go. Statement-level: one notification
-- per statement, whatever the number of rows.
CREATE FUNCTION "announce_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('connected_apps_changes', TG_ARGV[0]);
  RETURN NULL;
END
$$;

CREATE TRIGGER "connected_apps_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "connected_apps"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_change"('clients');
CREATE TRIGGER "client_secrets_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "client_secrets"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_change"('clients');
CREATE TRIGGER "project_settings_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "project_settings"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_change"('settings');
CREATE TRIGGER "signing_keys_changed" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "signing_keys"
  FOR EACH STATEMENT EXECUTE FUNCTION "announce_change"('keys');
