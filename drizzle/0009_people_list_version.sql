CREATE TABLE "people_list_versions" (
	"account_id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "people_list_versions" ADD CONSTRAINT "people_list_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A change to what a list of people shows stamps the account's people_list_versions row with the changing
-- transaction's id. The triggers are deferred to the commit, so the row is locked last (after the account row
-- and the persons rows the transaction locked): no lock-order cycle with seat changes, however the transaction
-- ordered its statements. A transaction touching 10,000 people writes the row once; an account being deleted
-- gets none.
CREATE FUNCTION accord_stamp_version() RETURNS trigger LANGUAGE plpgsql AS $$
-- TG_ARGV[0]: the versions table to stamp (people_list_versions here, access_versions in 0010)
DECLARE
  account text := CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END;
  -- the accounts this transaction has stamped already (a setting that ends with the transaction): a statement
  -- that changed 10,000 rows fires this 10,000 times at commit, and only the first one writes
  setting text := 'accord.stamped_' || TG_ARGV[0];
  stamped text := coalesce(current_setting(setting, true), '');
BEGIN
  IF position(',' || account || ',' IN stamped) > 0 THEN RETURN NULL; END IF;
  PERFORM set_config(setting, stamped || ',' || account || ',', true);
  EXECUTE format('INSERT INTO %I AS v (account_id, version)
      SELECT $1, pg_current_xact_id()::text WHERE EXISTS (SELECT 1 FROM accounts WHERE id = $1)
    ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version WHERE v.version <> EXCLUDED.version', TG_ARGV[0])
  USING account;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER persons_list_added_or_removed AFTER INSERT OR DELETE ON persons
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_stamp_version('people_list_versions');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER persons_list_changed AFTER UPDATE ON persons
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.email IS DISTINCT FROM NEW.email OR OLD.license IS DISTINCT FROM NEW.license
        OR OLD.is_admin IS DISTINCT FROM NEW.is_admin OR OLD.invitation_state IS DISTINCT FROM NEW.invitation_state
        OR OLD.last_sign_in_at IS DISTINCT FROM NEW.last_sign_in_at OR OLD.account_id IS DISTINCT FROM NEW.account_id)
  EXECUTE FUNCTION accord_stamp_version('people_list_versions');
