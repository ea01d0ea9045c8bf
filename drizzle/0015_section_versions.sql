CREATE TABLE "section_versions" (
	"account_id" text NOT NULL,
	"slot" smallint NOT NULL,
	"version" text NOT NULL,
	CONSTRAINT "section_versions_account_id_slot_pk" PRIMARY KEY("account_id","slot")
);
--> statement-breakpoint
ALTER TABLE "section_versions" ADD CONSTRAINT "section_versions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A change to a project's comments, tasks or time entries stamps one of the account's 16 section_versions rows,
-- chosen at random, with the committing transaction's id; the session reads all 16. Like accord_stamp_version
-- (0009): deferred to the commit (the row is locked last, no lock-order cycle), once per transaction, none for an
-- account being deleted. One row would make every two comments added at once in an account wait for each other's
-- commit; 16 make that rare. A transaction id is never reused, so any commit changes what the session reads. The
-- sections' pages are cached under it (src/projects/section-cache.ts).
CREATE FUNCTION accord_stamp_section_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  account text := CASE WHEN TG_OP = 'DELETE' THEN OLD.account_id ELSE NEW.account_id END;
  stamped text := coalesce(current_setting('accord.stamped_section_versions', true), '');
BEGIN
  IF position(',' || account || ',' IN stamped) > 0 THEN RETURN NULL; END IF;
  PERFORM set_config('accord.stamped_section_versions', stamped || ',' || account || ',', true);
  INSERT INTO section_versions AS v (account_id, slot, version)
    SELECT account, floor(random() * 16)::smallint, pg_current_xact_id()::text WHERE EXISTS (SELECT 1 FROM accounts WHERE id = account)
  ON CONFLICT (account_id, slot) DO UPDATE SET version = EXCLUDED.version WHERE v.version <> EXCLUDED.version;
  RETURN NULL;
END $$;--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['project_comments', 'project_tasks', 'time_entries'] LOOP
    EXECUTE format('CREATE CONSTRAINT TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accord_stamp_section_version()', t || '_section_changed', t);
  END LOOP;
END $$;
