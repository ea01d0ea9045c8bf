CREATE TABLE "access_versions" (
	"account_id" text PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_versions" ADD CONSTRAINT "access_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Any change to a table that a person's access is resolved from stamps the account's access_versions row with
-- the committing transaction's id, by the function of 0009: deferred to the commit (the row is locked last, no
-- lock-order cycle), once per transaction, none for an account being deleted.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['global_grants', 'division_grants', 'divisions', 'group_members', 'user_groups',
                           'project_roles', 'projects', 'role_permissions', 'roles'] LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_stamp_version(%L)', t || '_access_changed', t, 'access_versions');
  END LOOP;
END $$;
