CREATE TABLE "division_grants" (
	"account_id" text NOT NULL,
	"person_id" text NOT NULL,
	"division_id" text NOT NULL,
	"permission" text NOT NULL,
	CONSTRAINT "division_grants_account_id_person_id_division_id_permission_pk" PRIMARY KEY("account_id","person_id","division_id","permission")
);
--> statement-breakpoint
CREATE TABLE "divisions" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_members" (
	"account_id" text NOT NULL,
	"group_id" text NOT NULL,
	"person_id" text NOT NULL,
	CONSTRAINT "group_members_group_id_person_id_pk" PRIMARY KEY("group_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "project_roles" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"project_id" text NOT NULL,
	"role_key" text NOT NULL,
	"person_id" text,
	"group_id" text,
	CONSTRAINT "project_roles_one_holder" CHECK (("project_roles"."person_id" is null) <> ("project_roles"."group_id" is null))
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"division_id" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_permissions" (
	"account_id" text NOT NULL,
	"role_key" text NOT NULL,
	"permission" text NOT NULL,
	CONSTRAINT "role_permissions_account_id_role_key_permission_pk" PRIMARY KEY("account_id","role_key","permission")
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"account_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"visible" boolean NOT NULL,
	CONSTRAINT "roles_account_id_key_pk" PRIMARY KEY("account_id","key")
);
--> statement-breakpoint
CREATE TABLE "user_groups" (
	"id" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "divisions_account_id_idx" ON "divisions" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_account_id_idx" ON "projects" USING btree ("account_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_groups_account_id_idx" ON "user_groups" USING btree ("account_id","id");--> statement-breakpoint
ALTER TABLE "division_grants" ADD CONSTRAINT "division_grants_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "division_grants" ADD CONSTRAINT "division_grants_account_id_division_id_divisions_account_id_id_fk" FOREIGN KEY ("account_id","division_id") REFERENCES "public"."divisions"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "divisions" ADD CONSTRAINT "divisions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_account_id_group_id_user_groups_account_id_id_fk" FOREIGN KEY ("account_id","group_id") REFERENCES "public"."user_groups"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_roles" ADD CONSTRAINT "project_roles_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_roles" ADD CONSTRAINT "project_roles_group_id_user_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."user_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_roles" ADD CONSTRAINT "project_roles_account_id_project_id_projects_account_id_id_fk" FOREIGN KEY ("account_id","project_id") REFERENCES "public"."projects"("account_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_roles" ADD CONSTRAINT "project_roles_account_id_role_key_roles_account_id_key_fk" FOREIGN KEY ("account_id","role_key") REFERENCES "public"."roles"("account_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_division_id_divisions_id_fk" FOREIGN KEY ("division_id") REFERENCES "public"."divisions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_account_id_role_key_roles_account_id_key_fk" FOREIGN KEY ("account_id","role_key") REFERENCES "public"."roles"("account_id","key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_groups" ADD CONSTRAINT "user_groups_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "division_grants_division_idx" ON "division_grants" USING btree ("division_id");--> statement-breakpoint
CREATE UNIQUE INDEX "divisions_account_name_idx" ON "divisions" USING btree ("account_id",lower("name"));--> statement-breakpoint
CREATE INDEX "group_members_person_idx" ON "group_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_roles_person_idx" ON "project_roles" USING btree ("person_id","project_id","role_key") WHERE "project_roles"."person_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "project_roles_group_idx" ON "project_roles" USING btree ("group_id","project_id","role_key") WHERE "project_roles"."group_id" is not null;--> statement-breakpoint
CREATE INDEX "project_roles_project_idx" ON "project_roles" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_roles_role_idx" ON "project_roles" USING btree ("account_id","role_key");--> statement-breakpoint
CREATE INDEX "projects_account_name_idx" ON "projects" USING btree ("account_id","name","id");--> statement-breakpoint
CREATE INDEX "projects_division_idx" ON "projects" USING btree ("division_id");--> statement-breakpoint
CREATE UNIQUE INDEX "user_groups_account_name_idx" ON "user_groups" USING btree ("account_id",lower("name"));--> statement-breakpoint
-- Existing accounts get what a new account starts with (SPEC §6): the ten roles with their default names, the five
-- default roles visible and More 1–5 hidden, the recommended permissions, and the global "Create projects" for
-- their first administrator (the earliest created). Accounts created from now on get the same at sign-up.
INSERT INTO "roles" ("account_id", "key", "name", "visible")
SELECT a.id, r.key, r.name, r.visible FROM "accounts" a CROSS JOIN (VALUES
  ('managers', 'Managers', true),
  ('team', 'Team', true),
  ('customers', 'Customers', true),
  ('partners', 'Partners', true),
  ('additional', 'Additional', true),
  ('more1', 'More 1', false),
  ('more2', 'More 2', false),
  ('more3', 'More 3', false),
  ('more4', 'More 4', false),
  ('more5', 'More 5', false)
) AS r(key, name, visible)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "role_permissions" ("account_id", "role_key", "permission")
SELECT a.id, p.role_key, p.permission FROM "accounts" a CROSS JOIN (VALUES
  ('managers', 'project.read'),
  ('managers', 'comments.read'),
  ('managers', 'lists.read'),
  ('managers', 'mindmaps.read'),
  ('managers', 'tasks.read'),
  ('managers', 'planning.read'),
  ('managers', 'time.read'),
  ('managers', 'documents.read'),
  ('managers', 'financials.read'),
  ('managers', 'manage.read'),
  ('managers', 'comments.add'),
  ('managers', 'comments.deleteOwn'),
  ('managers', 'lists.edit'),
  ('managers', 'mindmaps.edit'),
  ('managers', 'tasks.edit'),
  ('managers', 'planning.edit'),
  ('managers', 'time.editOwn'),
  ('managers', 'time.edit'),
  ('managers', 'documents.edit'),
  ('managers', 'manage.edit'),
  ('managers', 'project.lock'),
  ('team', 'project.read'),
  ('team', 'comments.read'),
  ('team', 'lists.read'),
  ('team', 'mindmaps.read'),
  ('team', 'tasks.read'),
  ('team', 'comments.add'),
  ('team', 'comments.deleteOwn'),
  ('team', 'lists.edit'),
  ('team', 'mindmaps.edit'),
  ('team', 'tasks.edit'),
  ('team', 'time.editOwn'),
  ('team', 'documents.edit'),
  ('customers', 'project.read'),
  ('customers', 'tasks.read'),
  ('customers', 'planning.read'),
  ('customers', 'financials.read'),
  ('partners', 'project.read'),
  ('partners', 'comments.read'),
  ('partners', 'tasks.read'),
  ('partners', 'comments.add'),
  ('partners', 'comments.deleteOwn'),
  ('partners', 'tasks.edit')
) AS p(role_key, permission)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "global_grants" ("account_id", "person_id", "permission")
SELECT DISTINCT ON (p.account_id) p.account_id, p.id, 'projects.create' FROM "persons" p
WHERE p.is_admin ORDER BY p.account_id, p.created_at, p.id
ON CONFLICT DO NOTHING;
