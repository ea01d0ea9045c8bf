CREATE TABLE "access_versions" (
	"account_id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_versions" ADD CONSTRAINT "access_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Any change to a table that a person's access is resolved from stamps the account's access_versions row with
-- the committing transaction's id, the way 0009 stamps people lists: deferred to the commit (the row is locked
-- last, no lock-order cycle), once per transaction, none for an account being deleted.
CREATE FUNCTION accord_access_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  account text := CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END;
  -- the accounts this transaction has stamped already (a setting that ends with the transaction): a statement
  -- that changed 40,000 rows fires this 40,000 times at commit, and only the first one writes
  stamped text := coalesce(current_setting('accord.access_stamped', true), '');
BEGIN
  IF position(',' || account || ',' IN stamped) > 0 THEN RETURN NULL; END IF;
  PERFORM set_config('accord.access_stamped', stamped || ',' || account || ',', true);
  INSERT INTO access_versions AS v (account_id, version)
    SELECT account, pg_current_xact_id()::text WHERE EXISTS (SELECT 1 FROM accounts WHERE id = account)
  ON CONFLICT (account_id) DO UPDATE SET version = EXCLUDED.version WHERE v.version <> EXCLUDED.version;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER global_grants_access_changed AFTER INSERT OR UPDATE OR DELETE ON global_grants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER division_grants_access_changed AFTER INSERT OR UPDATE OR DELETE ON division_grants
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER divisions_access_changed AFTER INSERT OR UPDATE OR DELETE ON divisions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER group_members_access_changed AFTER INSERT OR UPDATE OR DELETE ON group_members
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER user_groups_access_changed AFTER INSERT OR UPDATE OR DELETE ON user_groups
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER project_roles_access_changed AFTER INSERT OR UPDATE OR DELETE ON project_roles
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER projects_access_changed AFTER INSERT OR UPDATE OR DELETE ON projects
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER role_permissions_access_changed AFTER INSERT OR UPDATE OR DELETE ON role_permissions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER roles_access_changed AFTER INSERT OR UPDATE OR DELETE ON roles
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_access_changed();
