import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Sealer } from '../crypto.js';

/**
 * What the export does with every column of the account's row and of each account-owned table (SQL names).
 * Nothing leaves unless it is named here: a column missing from this list is not exported, and
 * test/unit/account-data.test.ts fails until someone decides which kind it is.
 *
 * - export: the value as stored;
 * - secret: never exported (a credential, or the key that turns into one);
 * - derived: not exported, as it is computed from other exported columns (a search index's text);
 * - open: a sealed column (AES-256-GCM, src/crypto.ts), exported decrypted under the name given: it is the
 *   customer's own data; the ciphertext itself never leaves.
 *
 * Sessions are exported without their id: the id is the credential a browser presents (whoever has it is signed in),
 * while who is signed in until when is the account's own data.
 */
export const COLUMN_RULES: Record<string, { export: string[]; secret?: string[]; derived?: string[]; open?: Record<string, string> }> = {
  accounts: {
    export: [
      'id', 'name', 'edition', 'read_write_licenses', 'privacy_enabled', 'ai_allowed', 'auto_license', 'users_may_invite',
      'allowed_domains', 'read_write_count', 'read_only_count', 'no_access_count', 'two_step_for_admins', 'two_step_for_everyone',
      'created_at',
    ],
  },
  persons: {
    export: [
      'id', 'account_id', 'name', 'email', 'found_us', 'license', 'is_admin', 'invitation_state', 'telemetry',
      'last_sign_in_at', 'two_step_enabled_at', 'two_step_must_set_up', 'created_at',
    ],
    // the TOTP secret is a credential (sealed at rest, never exported); the last accepted step only guards replay
    secret: ['password_hash', 'two_step_secret', 'two_step_last_step'],
    derived: ['search_text'],
    open: { phone_encrypted: 'phone', reminder_encrypted: 'password_reminder' },
  },
  sessions: { export: ['user_id', 'account_id', 'expires_at', 'created_at', 'last_active_at', 'user_agent', 'ip_prefix'], secret: ['id'] },
  recovery_codes: { export: ['account_id', 'person_id', 'created_at', 'used_at'], secret: ['code_hash'] },
  two_step_challenges: { export: ['account_id', 'person_id', 'next', 'failures', 'expires_at'], secret: ['token_hash'] },
  password_resets: { export: ['account_id', 'person_id', 'expires_at'], secret: ['token_hash'] },
  invitations: {
    export: ['id', 'account_id', 'person_id', 'access', 'invited_by', 'expires_at', 'accepted_at', 'revoked_at', 'created_at'],
    secret: ['token_hash'],
  },
  global_grants: { export: ['account_id', 'person_id', 'permission'] },
  usage_events: { export: ['id', 'account_id', 'person_id', 'page', 'created_at'] },
  history_entries: {
    export: ['id', 'account_id', 'created_at', 'actor_id', 'kind', 'subject_type', 'subject_id', 'before', 'after'],
  },
  roles: { export: ['account_id', 'key', 'name', 'visible'] },
  role_permissions: { export: ['account_id', 'role_key', 'permission'] },
  divisions: { export: ['id', 'account_id', 'name', 'created_at'] },
  division_grants: { export: ['account_id', 'person_id', 'division_id', 'permission'] },
  user_groups: { export: ['id', 'account_id', 'name', 'created_at'] },
  group_members: { export: ['account_id', 'group_id', 'person_id'] },
  projects: {
    export: ['id', 'account_id', 'name', 'division_id', 'created_by', 'created_at', 'locked_at', 'locked_by', 'budget_amount', 'budget_currency'],
  },
  project_comments: { export: ['id', 'account_id', 'project_id', 'author_id', 'body', 'created_at'] },
  project_tasks: { export: ['id', 'account_id', 'project_id', 'title', 'done', 'created_by', 'created_at'] },
  time_entries: { export: ['id', 'account_id', 'project_id', 'person_id', 'worked_on', 'hours', 'created_at'] },
  project_entries: { export: ['id', 'account_id', 'project_id', 'section', 'title', 'created_by', 'created_at'] },
  project_requests: {
    export: [
      'id', 'account_id', 'name', 'division_id', 'reason', 'requested_by', 'state', 'decided_by', 'decided_at', 'rejection_reason',
      'project_id', 'created_at',
    ],
  },
  project_roles: { export: ['id', 'account_id', 'project_id', 'role_key', 'person_id', 'group_id'] },
};

/** How one column leaves: under which name, and how its value is turned into what the file holds. */
export interface ExportedColumn {
  column: PgColumn;
  as: string;
  open: boolean;
}

/** The columns of a table that the export writes, in the table's order; secret and unclassified columns are left out. */
export function exportedColumns(table: string, columns: PgColumn[]): ExportedColumn[] {
  const rules = COLUMN_RULES[table];
  if (!rules) return [];
  const out: ExportedColumn[] = [];
  for (const column of columns) {
    if (rules.export.includes(column.name)) out.push({ column, as: column.name, open: false });
    else if (rules.open && Object.hasOwn(rules.open, column.name)) out.push({ column, as: rules.open[column.name]!, open: true });
  }
  return out;
}

/** Columns of a table that no rule names (the test lists them so a new column is classified before release). */
export function unclassifiedColumns(table: string, columns: PgColumn[]): string[] {
  const rules = COLUMN_RULES[table];
  const known = new Set([...(rules?.export ?? []), ...(rules?.secret ?? []), ...(rules?.derived ?? []), ...Object.keys(rules?.open ?? {})]);
  return columns.map((c) => c.name).filter((name) => !known.has(name));
}

/** One exported row: the chosen columns by their export names, sealed values opened. */
export function exportRow(sealer: Sealer, columns: ExportedColumn[], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = row[c.as];
    out[c.as] = c.open && typeof value === 'string' ? sealer.open(value) : value;
  }
  return out;
}
