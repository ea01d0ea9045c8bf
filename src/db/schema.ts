import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  date,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const accounts = pgTable('accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  edition: text('edition', { enum: ['professional', 'enterprise', 'enterprise_plus', 'self_hosted'] }).notNull(),
  readWriteLicenses: integer('read_write_licenses').notNull(),
  privacyEnabled: boolean('privacy_enabled').notNull().default(false),
  aiAllowed: boolean('ai_allowed').notNull().default(true),
  autoLicense: boolean('auto_license').notNull().default(false),
  usersMayInvite: boolean('users_may_invite').notNull().default(false),
  allowedDomains: text('allowed_domains').array().notNull().default(sql`'{}'::text[]`),
  /**
   * How many of the account's people hold each license, kept by triggers on persons in the same transaction as
   * the change (and so under the account-row lock that every seat change takes): pages read the counts from the
   * account row the session already loaded instead of counting the account's people on every request.
   */
  readWriteCount: integer('read_write_count').notNull().default(0),
  readOnlyCount: integer('read_only_count').notNull().default(0),
  noAccessCount: integer('no_access_count').notNull().default(0),
  /** "Require two-step verification for administrators" and "… for everyone" (Organization, Security) */
  twoStepForAdmins: boolean('two_step_for_admins').notNull().default(false),
  twoStepForEveryone: boolean('two_step_for_everyone').notNull().default(false),
  createdAt: createdAt(),
});

export const persons = pgTable(
  'persons',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    passwordHash: text('password_hash'),
    phoneEncrypted: text('phone_encrypted'),
    reminderEncrypted: text('reminder_encrypted'),
    foundUs: text('found_us'),
    license: text('license', { enum: ['read_write', 'read_only', 'none'] }).notNull().default('none'),
    isAdmin: boolean('is_admin').notNull().default(false),
    /** none: a plain contact; invited: an invitation is pending; accepted: has signed up or accepted. */
    invitationState: text('invitation_state', { enum: ['none', 'invited', 'accepted'] }).notNull().default('none'),
    telemetry: boolean('telemetry').notNull().default(false),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true, mode: 'date' }),
    /** the authenticator app's TOTP secret, sealed with APP_KEY (src/crypto.ts); null: two-step verification is off */
    twoStepSecret: text('two_step_secret'),
    twoStepEnabledAt: timestamp('two_step_enabled_at', { withTimezone: true, mode: 'date' }),
    /** the 30-second step of the last code accepted: a code of that step or an earlier one is refused (no replay) */
    twoStepLastStep: integer('two_step_last_step'),
    /** an administrator reset two-step verification: the person sets it up again at their next sign-in */
    twoStepMustSetUp: boolean('two_step_must_set_up').notNull().default(false),
    createdAt: createdAt(),
    /** what "Search people" matches: name and email, lower-cased, in one trigram-indexed column */
    searchText: text('search_text').generatedAlwaysAs(sql`lower(name || ' ' || email)`),
  },
  (t) => [
    uniqueIndex('persons_account_email_unique').on(t.accountId, sql`lower(${t.email})`),
    index('persons_account_idx').on(t.accountId, t.name),
    // "the account keeps one administrator with Read & Write": counting them reads only them, not the account
    index('persons_writing_admins_idx').on(t.accountId).where(sql`${t.isAdmin} and ${t.license} = 'read_write'`),
    // substring search by name or email ("Search people"): a trigram index serves LIKE '%abc%'
    // fastupdate off: new people go straight into the index, so search never scans an unmerged pending list
    index('persons_search_trgm').using('gin', t.searchText.op('gin_trgm_ops')).with({ fastupdate: false }),
  ],
);

/**
 * The version of an account's people lists: the id of the last transaction that changed what a list of people
 * shows (a person added, removed, renamed, re-licensed, made administrator, invited, signed in). A deferred
 * trigger on persons writes it as that transaction commits, taking this row's lock last, after every other lock
 * the transaction holds, so it can't deadlock with the account-row lock of seat changes. The session's statement
 * reads it; a list page cached under an older version is never served (src/people/list-cache.ts).
 */
export const peopleListVersions = pgTable('people_list_versions', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
});

/**
 * The version of an account's permissions: the id of the last transaction that changed anything a person's
 * access in a project is resolved from (global and division grants, divisions, groups and their members,
 * projects, their role assignments, roles and their permissions). Written like peopleListVersions, by deferred
 * triggers at commit; read with the session; resolved access and project lists are cached under it.
 */
export const accessVersions = pgTable('access_versions', {
  accountId: text('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  version: text('version').notNull(),
});

/**
 * The version of an account's project sections: the ids of the last transactions that changed a comment, a task or
 * a time entry of any of its projects, one in each of 16 rows. Written like accessVersions, by deferred triggers at
 * commit; read with the session (the 16 in one string); the pages of Comments, Tasks and Time tracking are cached
 * under it (with the people-list version, for the names they show).
 */
export const sectionVersions = pgTable(
  'section_versions',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /**
     * 16 rows an account, a transaction stamping one of them at random: two comments added at once in one account
     * would otherwise wait for each other's commit (the row's lock is held until the commit's WAL flush). Any
     * commit still changes the versions the session reads (all 16, in one string).
     */
    slot: smallint('slot').notNull(),
    version: text('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.slot] })],
);

/** lucia sessions; account_id is a session attribute so the table can be sharded by account. */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** when the person signed in (Personal, "Your sessions") */
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** the last request made with it, to within SESSION_ACTIVITY_MINUTES (src/auth/session.ts) */
    lastActiveAt: timestamp('last_active_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** the browser's User-Agent at sign-in (at most 512 characters), shown as browser and system */
    userAgent: text('user_agent'),
    /** the address it signed in from, shortened (203.0.113.x, 2001:db8:85a3::/48): an approximate place, never the whole address */
    ipPrefix: text('ip_prefix'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const passwordResets = pgTable('password_resets', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  personId: text('person_id')
    .notNull()
    .references(() => persons.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** One-time recovery codes of two-step verification: only a SHA-256 hash of each (the codes carry 80 random bits). */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('recovery_codes_person_idx').on(t.personId)],
);

/**
 * The half-signed-in state between the password and the second step: a browser holding the token (cookie) may
 * only enter a code, until expiresAt (5 minutes), and only a few wrong ones.
 */
export const twoStepChallenges = pgTable('two_step_challenges', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: text('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  personId: text('person_id')
    .notNull()
    .references(() => persons.id, { onDelete: 'cascade' }),
  /** where the person was going (a local path, checked by safeNext) */
  next: text('next'),
  failures: integer('failures').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    access: text('access', { enum: ['inherited', 'read_all', 'full'] }).notNull(),
    invitedBy: text('invited_by').references(() => persons.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('invitations_person_idx').on(t.accountId, t.personId),
    // at most one invitation per person can be waiting: a resend voids the old one in the same transaction
    uniqueIndex('invitations_one_waiting').on(t.personId).where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

/** Global permission grants (SPEC §6); issue 3 needs "Edit people". */
export const globalGrants = pgTable(
  'global_grants',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    permission: text('permission').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.personId, t.permission] })],
);

/** Usage events, recorded only for people whose telemetry is on and allowed (SPEC §3). Never content. */
export const usageEvents = pgTable(
  'usage_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    page: text('page').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('usage_events_account_idx').on(t.accountId, t.createdAt)],
);

/** Shared rate-limit counters so several app instances enforce one limit. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  count: integer('count').notNull(),
  resetAt: timestamp('reset_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/**
 * History (SPEC §7): one row per change, written inside the transaction of the change itself
 * (src/history/record.ts). Ids only, never copies of personal data: the page joins persons for the current
 * names, and an id whose person is gone reads "Deleted person" — so actor_id and subject_id have no foreign key.
 * created_at is kept to the millisecond so a (created_at, id) page cursor round-trips through a JavaScript Date.
 */
export const historyEntries = pgTable(
  'history_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date', precision: 3 }).notNull().defaultNow(),
    /** the person who acted; null for the system */
    actorId: text('actor_id'),
    kind: text('kind').notNull(),
    subjectType: text('subject_type', { enum: ['account', 'person', 'role', 'division', 'group', 'project', 'project_request'] }).notNull(),
    subjectId: text('subject_id').notNull(),
    /** only the fields that changed, before and after */
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    // newest first, and every filter keeps that order through its own index (keyset pages, no sort)
    index('history_account_time_idx').on(t.accountId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('history_account_kind_idx').on(t.accountId, t.kind, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('history_account_actor_idx').on(t.accountId, t.actorId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('history_account_subject_idx').on(t.accountId, t.subjectId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // retention deletes by age across accounts
    index('history_created_idx').on(t.createdAt),
  ],
);

// ---------------------------------------------------------------------------------------------------------------
// The permission model (SPEC §6). Every row carries its account_id, and every reference to another account-owned
// row includes the account in the foreign key, so a row can never point into another account.

/**
 * The account's roles, one row per role key (src/permissions/roles.ts): all ten exist from the start whatever the
 * edition, so an upgrade finds More 1–5 as they were. The stored name and visibility apply only where the edition
 * lets roles be renamed and hidden (never Managers); the permissions apply in every project where the role is held.
 */
export const roles = pgTable(
  'roles',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    name: text('name').notNull(),
    visible: boolean('visible').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] })],
);

/** The project permissions of each role. */
export const rolePermissions = pgTable(
  'role_permissions',
  {
    accountId: text('account_id').notNull(),
    roleKey: text('role_key').notNull(),
    permission: text('permission').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.roleKey, t.permission] }),
    foreignKey({ columns: [t.accountId, t.roleKey], foreignColumns: [roles.accountId, roles.key] }).onDelete('cascade'),
  ],
);

/** Divisions (Enterprise and up): a project belongs to at most one. */
export const divisions = pgTable(
  'divisions',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('divisions_account_id_idx').on(t.accountId, t.id), uniqueIndex('divisions_account_name_idx').on(t.accountId, sql`lower(${t.name})`)],
);

/** A person's project permissions in every project of one division. */
export const divisionGrants = pgTable(
  'division_grants',
  {
    accountId: text('account_id').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
    divisionId: text('division_id').notNull(),
    permission: text('permission').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.personId, t.divisionId, t.permission] }),
    foreignKey({ columns: [t.accountId, t.divisionId], foreignColumns: [divisions.accountId, divisions.id] }).onDelete('cascade'),
    index('division_grants_division_idx').on(t.divisionId),
  ],
);

/** User groups (Enterprise and up): a group holds roles in projects for all its members. */
export const userGroups = pgTable(
  'user_groups',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_groups_account_id_idx').on(t.accountId, t.id), uniqueIndex('user_groups_account_name_idx').on(t.accountId, sql`lower(${t.name})`)],
);

export const groupMembers = pgTable(
  'group_members',
  {
    accountId: text('account_id').notNull(),
    groupId: text('group_id').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.personId] }),
    foreignKey({ columns: [t.accountId, t.groupId], foreignColumns: [userGroups.accountId, userGroups.id] }).onDelete('cascade'),
    index('group_members_person_idx').on(t.personId),
  ],
);

/** Projects (SPEC §8, the permission side): a name and at most one division. */
export const projects = pgTable(
  'projects',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    divisionId: text('division_id').references(() => divisions.id, { onDelete: 'set null' }),
    /** who created it (no foreign key: the project stays when its creator is deleted) */
    createdBy: text('created_by'),
    createdAt: createdAt(),
    /** "Lock project for editing": when and by whom (no foreign key: the lock stays when its author is deleted) */
    lockedAt: timestamp('locked_at', { withTimezone: true, mode: 'date' }),
    lockedBy: text('locked_by'),
    /** Financials: the budget, an amount in a currency (ISO 4217), both or neither */
    budgetAmount: numeric('budget_amount', { precision: 14, scale: 2 }),
    budgetCurrency: text('budget_currency'),
  },
  (t) => [
    uniqueIndex('projects_account_id_idx').on(t.accountId, t.id),
    index('projects_account_name_idx').on(t.accountId, t.name, t.id),
    index('projects_division_idx').on(t.divisionId),
    check('projects_budget_whole', sql`(${t.budgetAmount} is null) = (${t.budgetCurrency} is null)`),
  ],
);

/**
 * A project's foreign key from a table of its contents: the contents go with the project. Their indexes lead with
 * (account_id, project_id): a page reads one project's rows in order, an export one account's.
 */
const ofProject = (t: { accountId: AnyPgColumn; projectId: AnyPgColumn }) =>
  foreignKey({ columns: [t.accountId, t.projectId], foreignColumns: [projects.accountId, projects.id] }).onDelete('cascade');

/**
 * Comments (the project diary). The author is set to null when the person is deleted: the comment stays, shown as
 * by "Deleted person".
 */
export const projectComments = pgTable(
  'project_comments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    projectId: text('project_id').notNull(),
    authorId: text('author_id').references(() => persons.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [ofProject(t), index('project_comments_project_idx').on(t.accountId, t.projectId, t.createdAt, t.id), index('project_comments_author_idx').on(t.authorId)],
);

/** Tasks: a title, done or not. */
export const projectTasks = pgTable(
  'project_tasks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    projectId: text('project_id').notNull(),
    title: text('title').notNull(),
    done: boolean('done').notNull().default(false),
    createdBy: text('created_by').references(() => persons.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [ofProject(t), index('project_tasks_project_idx').on(t.accountId, t.projectId, t.id), index('project_tasks_created_by_idx').on(t.createdBy)],
);

/** Time tracking: who worked how many hours on which day. The person is set to null when deleted ("Deleted person"). */
export const timeEntries = pgTable(
  'time_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    projectId: text('project_id').notNull(),
    personId: text('person_id').references(() => persons.id, { onDelete: 'set null' }),
    workedOn: date('worked_on', { mode: 'string' }).notNull(),
    hours: numeric('hours', { precision: 4, scale: 2 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    ofProject(t),
    check('time_entries_hours', sql`${t.hours} > 0 and ${t.hours} <= 24`),
    index('time_entries_project_idx').on(t.accountId, t.projectId, t.workedOn, t.id),
    index('time_entries_person_idx').on(t.personId),
  ],
);

/** The titled entries of Lists, Mind maps, Planning and Documents: one table, the section in a column. */
export const projectEntries = pgTable(
  'project_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    projectId: text('project_id').notNull(),
    section: text('section', { enum: ['lists', 'mindmaps', 'planning', 'documents'] }).notNull(),
    title: text('title').notNull(),
    createdBy: text('created_by').references(() => persons.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    ofProject(t),
    check('project_entries_section', sql`${t.section} in ('lists', 'mindmaps', 'planning', 'documents')`),
    index('project_entries_project_idx').on(t.accountId, t.projectId, t.section, t.id),
    index('project_entries_created_by_idx').on(t.createdBy),
  ],
);

/**
 * Project requests (SPEC §8): a project asked for by someone with "Create project requests", in state "Requested"
 * until someone with "Edit project requests" approves it (a project is created, the requester its Manager) or
 * rejects it with a reason the requester sees. The requester is set to null when deleted.
 */
export const projectRequests = pgTable(
  'project_requests',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    divisionId: text('division_id').references(() => divisions.id, { onDelete: 'set null' }),
    reason: text('reason').notNull().default(''),
    requestedBy: text('requested_by').references(() => persons.id, { onDelete: 'set null' }),
    state: text('state', { enum: ['requested', 'approved', 'rejected'] }).notNull().default('requested'),
    /** who approved or rejected it, and why it was rejected */
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
    rejectionReason: text('rejection_reason'),
    /** the project an approval created (no foreign key: the request's record stays when the project is deleted) */
    projectId: text('project_id'),
    createdAt: createdAt(),
  },
  (t) => [
    check('project_requests_state', sql`${t.state} in ('requested', 'approved', 'rejected')`),
    index('project_requests_account_idx').on(t.accountId, t.createdAt, t.id),
    index('project_requests_requested_by_idx').on(t.requestedBy),
  ],
);

/**
 * Role assignments in a project: a person or a group (exactly one) holds a role. Deleting the person, the group or
 * the project removes the assignment; deleting a role never happens (the ten roles always exist).
 */
export const projectRoles = pgTable(
  'project_roles',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: text('account_id').notNull(),
    projectId: text('project_id').notNull(),
    roleKey: text('role_key').notNull(),
    personId: text('person_id').references(() => persons.id, { onDelete: 'cascade' }),
    groupId: text('group_id').references(() => userGroups.id, { onDelete: 'cascade' }),
  },
  (t) => [
    foreignKey({ columns: [t.accountId, t.projectId], foreignColumns: [projects.accountId, projects.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.accountId, t.roleKey], foreignColumns: [roles.accountId, roles.key] }).onDelete('cascade'),
    check('project_roles_one_holder', sql`(${t.personId} is null) <> (${t.groupId} is null)`),
    uniqueIndex('project_roles_person_idx').on(t.personId, t.projectId, t.roleKey).where(sql`${t.personId} is not null`),
    uniqueIndex('project_roles_group_idx').on(t.groupId, t.projectId, t.roleKey).where(sql`${t.groupId} is not null`),
    index('project_roles_project_idx').on(t.projectId),
    index('project_roles_role_idx').on(t.accountId, t.roleKey),
  ],
);
