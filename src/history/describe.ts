import { EDITIONS } from '../auth/forms.js';
import { ACCESS } from '../invitations/rules.js';
import { LICENSES } from '../licenses/rules.js';
import { PERMISSIONS, SECTIONS } from '../permissions/catalog.js';

/** A permission key as its label ("tasks.edit" → "Edit tasks"). */
const PERMISSION_LABELS: Record<string, string> = Object.fromEntries(PERMISSIONS.map((p) => [p.key, p.label]));

/** A project section's key as its name ("mindmaps" → "Mind maps"): the section of a list, mind map, plan or document. */
const SECTION_NAMES: Record<string, string> = Object.fromEntries(SECTIONS.map((s) => [s.key, s.name]));

/** How the page and the CSV name the fields of Before and After, and show their values. */
const FIELDS: Record<string, { label: string; values?: Record<string, string> }> = {
  name: { label: 'Name' },
  edition: { label: 'Edition', values: EDITIONS },
  readWriteLicenses: { label: 'Read & Write licenses' },
  privacyEnabled: { label: 'Enable privacy settings in this account' },
  aiAllowed: { label: 'Allow AI assistance' },
  autoLicense: { label: 'Automatic Read & Write licenses' },
  usersMayInvite: { label: 'Users may invite other users' },
  allowedDomains: { label: 'Allowed email domains' },
  access: { label: 'Access', values: ACCESS },
  license: { label: 'License', values: LICENSES },
  isAdmin: { label: 'Administrator' },
  invitationState: { label: 'Invitation', values: { none: 'Not invited', invited: 'Waiting', accepted: 'Accepted' } },
  visible: { label: 'Visible' },
  permissions: { label: 'Permissions', values: PERMISSION_LABELS },
  person: { label: 'Person' },
  division: { label: 'Division' },
  role: { label: 'Role' },
  members: { label: 'Members' },
  comment: { label: 'Comment' },
  section: { label: 'Section', values: SECTION_NAMES },
  title: { label: 'Title' },
  done: { label: 'Done' },
  date: { label: 'Date' },
  hours: { label: 'Hours' },
  budget: { label: 'Budget' },
  state: { label: 'State', values: { requested: 'Requested', approved: 'Approved', rejected: 'Rejected' } },
  rejectionReason: { label: 'Reason for rejecting' },
  twoStep: { label: 'Two-step verification' },
  setUpAtNextSignIn: { label: 'Set up again at next sign-in' },
  twoStepForAdmins: { label: 'Require two-step verification for administrators' },
  twoStepForEveryone: { label: 'Require two-step verification for everyone' },
};

/**
 * The fields whose values are ids (or role keys) of the account's people, groups, divisions and roles: the page
 * shows their current names (entries keep ids, never copies of personal data), or what is gone once deleted.
 */
const REFERENCES: Record<string, string> = { person: 'Deleted person', members: 'Deleted person', group: 'Deleted group', division: 'Deleted division', role: '' };

/** Current names of the ids (and role keys) the entries' fields refer to. */
export type Names = ReadonlyMap<string, string>;

/** The ids and role keys Before and After refer to (to look their names up in one statement). */
export function referencedIds(fields: unknown[]): string[] {
  const ids = new Set<string>();
  for (const f of fields) {
    if (!f || typeof f !== 'object') continue;
    for (const [k, v] of Object.entries(f)) {
      if (!Object.hasOwn(REFERENCES, k)) continue;
      for (const id of Array.isArray(v) ? v : [v]) if (typeof id === 'string') ids.add(id);
    }
  }
  return [...ids];
}

function valueText(field: string, value: unknown, names?: Names): string {
  if (Object.hasOwn(REFERENCES, field) && names) {
    const name = (id: unknown) => (typeof id === 'string' ? (names.get(id) ?? (REFERENCES[field] || id)) : String(id));
    if (Array.isArray(value)) return value.length ? value.map(name).join(', ') : '–';
    if (value !== null && value !== undefined) return name(value);
  }
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'On' : 'Off';
  if (Array.isArray(value)) {
    if (!value.length) return field === 'allowedDomains' ? 'Any domain' : '–';
    return value.map((v) => FIELDS[field]?.values?.[String(v)] ?? String(v)).join(', ');
  }
  const text = String(value);
  return FIELDS[field]?.values?.[text] ?? text;
}

const ORDER = Object.keys(FIELDS);
const rank = (field: string) => (ORDER.includes(field) ? ORDER.indexOf(field) : ORDER.length);

/** Before or After as lines "Field: value", in the order of the form (jsonb keeps keys in an order of its own). */
export function describeFields(fields: unknown, names?: Names): string[] {
  if (!fields || typeof fields !== 'object') return [];
  return Object.entries(fields)
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([k, v]) => `${FIELDS[k]?.label ?? k}: ${valueText(k, v, names)}`);
}
