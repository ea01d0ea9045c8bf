ALTER TABLE "accounts" ADD COLUMN "read_write_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "read_only_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "accounts" ADD COLUMN "no_access_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "persons_writing_admins_idx" ON "persons" USING btree ("account_id") WHERE "persons"."is_admin" and "persons"."license" = 'read_write';--> statement-breakpoint
-- Per-license counts on the account row, kept by triggers on persons. Inserts and deletes are counted per
-- statement (a bulk insert or the cascade of an account's deletion updates each account once); a license
-- change is counted per row, and only when the license really changes, so other updates of persons (sign-in
-- time, telemetry) never touch the account row.
CREATE FUNCTION accord_count_licenses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE accounts a SET
      read_write_count = a.read_write_count + d.rw,
      read_only_count = a.read_only_count + d.ro,
      no_access_count = a.no_access_count + d.na
    FROM (SELECT account_id,
                 count(*) FILTER (WHERE license = 'read_write') AS rw,
                 count(*) FILTER (WHERE license = 'read_only') AS ro,
                 count(*) FILTER (WHERE license = 'none') AS na
          FROM new_rows GROUP BY account_id) d
    WHERE a.id = d.account_id;
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE accounts a SET
      read_write_count = a.read_write_count - d.rw,
      read_only_count = a.read_only_count - d.ro,
      no_access_count = a.no_access_count - d.na
    FROM (SELECT account_id,
                 count(*) FILTER (WHERE license = 'read_write') AS rw,
                 count(*) FILTER (WHERE license = 'read_only') AS ro,
                 count(*) FILTER (WHERE license = 'none') AS na
          FROM old_rows GROUP BY account_id) d
    WHERE a.id = d.account_id;
  ELSE
    UPDATE accounts SET
      read_write_count = read_write_count + (NEW.license = 'read_write')::int - (OLD.license = 'read_write')::int,
      read_only_count = read_only_count + (NEW.license = 'read_only')::int - (OLD.license = 'read_only')::int,
      no_access_count = no_access_count + (NEW.license = 'none')::int - (OLD.license = 'none')::int
    WHERE id = NEW.account_id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER persons_count_inserted AFTER INSERT ON persons
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_licenses();--> statement-breakpoint
CREATE TRIGGER persons_count_deleted AFTER DELETE ON persons
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_licenses();--> statement-breakpoint
CREATE TRIGGER persons_count_license_changed AFTER UPDATE OF license ON persons
  FOR EACH ROW WHEN (OLD.license IS DISTINCT FROM NEW.license) EXECUTE FUNCTION accord_count_licenses();--> statement-breakpoint
UPDATE accounts a SET
  read_write_count = (SELECT count(*) FROM persons p WHERE p.account_id = a.id AND p.license = 'read_write'),
  read_only_count = (SELECT count(*) FROM persons p WHERE p.account_id = a.id AND p.license = 'read_only'),
  no_access_count = (SELECT count(*) FROM persons p WHERE p.account_id = a.id AND p.license = 'none');
