/**
 * What `npm run demo` puts in its account (src/scripts/demo.ts): the organization, its people, divisions, groups,
 * roles, grants and projects, and the pools that comments, tasks and entries are drawn from. Plain data and a seeded
 * random number generator: every run creates the same content (ids and dates aside, which follow the day it runs).
 */
import type { License } from '../licenses/rules.js';
import type { PermissionKey } from '../permissions/catalog.js';
import type { RoleKey } from '../permissions/roles.js';

export const DEMO_ORGANIZATION = 'Northwind Demo';
/** Every licensed person of the demo signs in with this password (it is printed and in the README: demo data only). */
export const DEMO_PASSWORD = 'welcome-to-northwind';
export const DEMO_READ_WRITE_LICENSES = 50;

export type DivisionKey = 'sales' | 'engineering' | 'operations' | 'marketing';
export const DIVISIONS: Record<DivisionKey, string> = {
  sales: 'Sales',
  engineering: 'Engineering',
  operations: 'Operations',
  marketing: 'Marketing',
};

export interface DemoPerson {
  name: string;
  email: string;
  /** the division the person works in (none for people outside Northwind) */
  division: DivisionKey | null;
  license: License;
  admin: boolean;
  /** outside Northwind: a client's contact (Read-Only, the Clients role) or a plain contact (No Access) */
  external: boolean;
}

/** An email address from a name: lower case, accents and apostrophes dropped ("Tomás Herrera" → tomas.herrera). */
export function emailOf(name: string, domain = 'northwind.example'): string {
  const local = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/'/g, '')
    .toLowerCase()
    .split(/\s+/)
    .join('.');
  return `${local}@${domain}`;
}

const staff = (division: DivisionKey, license: License, names: string[]): DemoPerson[] =>
  names.map((name) => ({ name, email: emailOf(name), division, license, admin: false, external: false }));
const outside = (license: License, people: [string, string][]): DemoPerson[] =>
  people.map(([name, domain]) => ({ name, email: emailOf(name, domain), division: null, license, admin: false, external: true }));

/** The first administrator: the person sign-up creates. */
export const DEMO_ADMIN = { name: 'Olivia Bennett', email: emailOf('Olivia Bennett'), phone: '+44 20 7946 0958', division: 'operations' as const };
/** The second administrator. */
const SECOND_ADMIN = 'Marcus Reed';
/** The person whose access in the showcase project comes from all three levels (global, division, role via group). */
export const THREE_LEVEL_PERSON = 'Priya Natarajan';
export const SHOWCASE_PROJECT = 'Payments API v2';

/**
 * The 59 people besides the first administrator (60 in all): 46 Read & Write (both administrators among them),
 * 10 Read-Only (six staff, four clients' contacts) and 4 No Access contacts.
 */
export const PEOPLE: DemoPerson[] = [
  ...staff('sales', 'read_write', [
    'Hannah Schmidt', 'Jonas Weber', 'Emily Carter', 'Mateo Rossi', 'Aisha Khan', 'Lucas Dubois', 'Grace Thompson',
    'Noah Fischer', 'Chloe Martin', 'Ravi Patel', 'Isabel Santos',
  ]),
  ...staff('sales', 'read_only', ['Mia Johansson', 'Ethan Brooks']),
  ...staff('engineering', 'read_write', [
    'Daniel Okafor', SECOND_ADMIN, THREE_LEVEL_PERSON, 'Tomás Herrera', 'Yuki Tanaka', 'Leon Becker', 'Amara Nwosu',
    'Felix Wagner', 'Sara Lindqvist', 'Omar Haddad', 'Julia Kowalski', 'Ben Clarke', 'Nina Petrović', 'Arjun Mehta',
    'Lea Vogel', 'Samuel Adeyemi',
  ]),
  ...staff('engineering', 'read_only', ['Kai Müller']),
  ...staff('operations', 'read_write', [
    'Sofia Marquez', 'Henrik Larsen', 'Fatima Zahra', 'George Evans', 'Anna Kovács', 'Pedro Alves', 'Ingrid Berg',
    'Victor Laurent', 'Zoe Campbell',
  ]),
  ...staff('operations', 'read_only', ['Clara Hoffmann', 'Patrick Byrne']),
  ...staff('marketing', 'read_write', [
    "Liam O'Connor", 'Charlotte Dupont', 'Maya Goldberg', 'Jakub Novák', 'Lily Chen', 'Finn Andersen', 'Rosa Jiménez',
    'Theo Walsh', 'Elena Popescu',
  ]),
  ...staff('marketing', 'read_only', ['Ava Morris']),
  ...outside('read_only', [
    ['Karen Whitaker', 'contoso.example'],
    ['Raj Malhotra', 'contoso.example'],
    ["Megan O'Brien", 'fabrikam.example'],
    ['Thomas Keller', 'fabrikam.example'],
  ]),
  ...outside('none', [
    ['Laura Simmons', 'tailspin.example'],
    ['David Cohen', 'tailspin.example'],
    ['Sven Eriksson', 'adventure-works.example'],
    ['Nora Fitzgerald', 'wingtip.example'],
  ]),
].map((p) => (p.name === SECOND_ADMIN ? { ...p, admin: true } : p));

/** Each division's lead: creates most of its projects and reads all of them through a division grant. */
export const DIVISION_LEADS: Record<DivisionKey, string> = {
  sales: 'Hannah Schmidt',
  engineering: 'Daniel Okafor',
  operations: 'Sofia Marquez',
  marketing: "Liam O'Connor",
};

export interface DemoGroup {
  name: string;
  /** the division whose projects the group works in (null: the leadership team, in every budgeted project) */
  division: DivisionKey | null;
  members: string[];
}

export const GROUPS: DemoGroup[] = [
  { name: 'Platform team', division: 'engineering', members: [THREE_LEVEL_PERSON, 'Tomás Herrera', 'Yuki Tanaka', 'Leon Becker', 'Amara Nwosu', 'Felix Wagner', 'Sara Lindqvist', 'Omar Haddad', 'Kai Müller'] },
  { name: 'Field sales', division: 'sales', members: ['Jonas Weber', 'Emily Carter', 'Mateo Rossi', 'Aisha Khan', 'Lucas Dubois', 'Grace Thompson'] },
  { name: 'Design studio', division: 'marketing', members: ['Charlotte Dupont', 'Maya Goldberg', 'Lily Chen', 'Rosa Jiménez', 'Theo Walsh'] },
  { name: 'Operations desk', division: 'operations', members: ['Henrik Larsen', 'Fatima Zahra', 'George Evans', 'Anna Kovács', 'Pedro Alves', 'Ingrid Berg'] },
  { name: 'Leadership team', division: null, members: [DEMO_ADMIN.name, SECOND_ADMIN, 'Hannah Schmidt', 'Daniel Okafor', 'Sofia Marquez', "Liam O'Connor"] },
];

/** Roles renamed from their defaults, and two of More 1–5 made visible with names and permissions. */
export const ROLE_CHANGES: { key: RoleKey; name: string; visible: boolean; permissions?: PermissionKey[] }[] = [
  { key: 'team', name: 'Delivery team', visible: true },
  { key: 'customers', name: 'Clients', visible: true },
  {
    key: 'more1',
    name: 'Steering committee',
    visible: true,
    permissions: ['project.read', 'comments.read', 'comments.add', 'tasks.read', 'planning.read', 'time.read', 'financials.read', 'manage.read'],
  },
  {
    key: 'more2',
    name: 'Quality assurance',
    visible: true,
    permissions: ['project.read', 'comments.read', 'comments.add', 'comments.deleteOwn', 'lists.read', 'tasks.read', 'tasks.edit', 'documents.read', 'documents.edit'],
  },
];

/** Global grants, by person (the first administrator's "Create projects" comes from sign-up). */
export const GLOBAL_GRANTS: Record<string, PermissionKey[]> = {
  [SECOND_ADMIN]: ['projects.create', 'reports.generate'],
  'Hannah Schmidt': ['projects.create', 'reports.generate'],
  'Daniel Okafor': ['projects.create'],
  'Sofia Marquez': ['projects.create', 'projectRequests.edit', 'reports.generate', 'reports.edit'],
  "Liam O'Connor": ['projects.create'],
  [THREE_LEVEL_PERSON]: ['projectRequests.create', 'time.read'],
  'Jonas Weber': ['projectRequests.create'],
  'Emily Carter': ['projectRequests.create'],
  'Yuki Tanaka': ['projectRequests.create'],
  'Henrik Larsen': ['projectRequests.create'],
  'Charlotte Dupont': ['projectRequests.create'],
  'Maya Goldberg': ['projectRequests.create'],
  'Zoe Campbell': ['people.edit'],
};

const LEAD_READS: PermissionKey[] = [
  'project.read', 'comments.read', 'tasks.read', 'planning.read', 'time.read', 'documents.read', 'financials.read', 'manage.read', 'comments.add',
];

/** Division grants: [person, division, permissions]. */
export const DIVISION_GRANTS: [string, DivisionKey, PermissionKey[]][] = [
  ...(Object.entries(DIVISION_LEADS) as [DivisionKey, string][]).map(([division, lead]): [string, DivisionKey, PermissionKey[]] => [lead, division, LEAD_READS]),
  ['Sofia Marquez', 'sales', ['project.read', 'financials.read', 'time.read']],
  ['Sofia Marquez', 'engineering', ['project.read', 'financials.read', 'time.read']],
  ['Sofia Marquez', 'marketing', ['project.read', 'financials.read', 'time.read']],
  [THREE_LEVEL_PERSON, 'engineering', ['project.read', 'planning.read', 'planning.edit', 'time.read', 'documents.read']],
  ['Ravi Patel', 'sales', ['project.read', 'financials.read']],
  ['Elena Popescu', 'marketing', ['project.read', 'documents.read', 'documents.edit']],
];

export interface DemoProject {
  name: string;
  division: DivisionKey | null;
  /** its creator and Manager (defaults to the division's lead, or the first administrator without a division) */
  manager?: string;
  locked?: true;
}

export const PROJECTS: DemoProject[] = [
  { name: 'Enterprise pipeline Q3', division: 'sales' },
  { name: 'Partner reseller programme', division: 'sales' },
  { name: 'Nordics market entry', division: 'sales' },
  { name: 'CRM data clean-up', division: 'sales', manager: 'Ravi Patel' },
  { name: 'Renewals playbook', division: 'sales' },
  { name: 'Sales onboarding academy', division: 'sales' },
  { name: 'Public sector tender: City of Leeds', division: 'sales' },
  { name: 'Contoso framework agreement', division: 'sales' },
  { name: 'Pricing and packaging review', division: 'sales' },
  { name: 'Legacy CRM decommission', division: 'sales', locked: true },
  { name: SHOWCASE_PROJECT, division: 'engineering' },
  { name: 'Customer portal rebuild', division: 'engineering', manager: SECOND_ADMIN },
  { name: 'Mobile app 3.0', division: 'engineering' },
  { name: 'Data warehouse migration', division: 'engineering', manager: SECOND_ADMIN },
  { name: 'Single sign-on rollout', division: 'engineering' },
  { name: 'Search relevance tuning', division: 'engineering' },
  { name: 'Kubernetes cluster upgrade', division: 'engineering', manager: SECOND_ADMIN },
  { name: 'Accessibility audit fixes', division: 'engineering' },
  { name: 'Release automation', division: 'engineering' },
  { name: 'Incident response runbooks', division: 'engineering' },
  { name: 'Fabrikam integration', division: 'engineering' },
  { name: 'Observability stack', division: 'engineering' },
  { name: 'Rotterdam warehouse relocation', division: 'operations' },
  { name: 'ISO 27001 certification', division: 'operations', manager: DEMO_ADMIN.name },
  { name: 'Supplier portal', division: 'operations', manager: 'Henrik Larsen' },
  { name: 'Delivery fleet renewal', division: 'operations' },
  { name: 'Berlin office move', division: 'operations', manager: DEMO_ADMIN.name },
  { name: 'Procurement policy update', division: 'operations' },
  { name: 'Returns process redesign', division: 'operations' },
  { name: 'Stocktake automation', division: 'operations' },
  { name: 'Health and safety training', division: 'operations' },
  { name: 'Spring product launch', division: 'marketing' },
  { name: 'Brand refresh', division: 'marketing' },
  { name: 'Website redesign', division: 'marketing' },
  { name: 'Customer conference', division: 'marketing' },
  { name: 'Customer case studies', division: 'marketing' },
  { name: 'Newsletter relaunch', division: 'marketing' },
  { name: 'Trade fair: LogiMAT', division: 'marketing' },
  { name: 'Company offsite', division: null },
  { name: 'Intranet refresh', division: null, manager: SECOND_ADMIN },
];

/** The project request that was approved and became "Supplier portal" (its requester, its Manager). */
export const APPROVED_REQUEST = {
  project: 'Supplier portal',
  requestedBy: 'Henrik Larsen',
  decidedBy: 'Sofia Marquez',
  reason: 'Suppliers send delivery notes by email; a portal would let them upload them and see their purchase orders.',
};

export const OTHER_REQUESTS = [
  {
    name: 'Customer health dashboard',
    division: 'sales' as DivisionKey,
    requestedBy: 'Jonas Weber',
    reason: 'Account managers need one view of usage, support tickets and renewal dates per customer before quarterly reviews.',
    state: 'requested' as const,
    daysAgo: 2,
  },
  {
    name: 'Move the website to a new CMS',
    division: 'marketing' as DivisionKey,
    requestedBy: 'Maya Goldberg',
    reason: 'Publishing a page takes a developer today; editors should be able to do it themselves.',
    state: 'rejected' as const,
    daysAgo: 12,
    decidedBy: 'Sofia Marquez',
    rejectionReason: 'The Website redesign project covers this: please add your requirements there.',
  },
];

export const COMMENTS = [
  'Kick-off went well. Notes and the agreed scope are in Documents.',
  'Can we move the weekly check-in to Thursdays? Tuesdays clash with the sales call.',
  'First draft is ready for review. Comments by Friday, please.',
  'Blocked until we hear back from legal about the contract terms.',
  'Legal is fine with the terms; we can go ahead.',
  'I have updated the plan: the second milestone moves by one week.',
  'Budget check: we are at about 40% spent, on track.',
  'Great work on the demo yesterday, the customer was impressed.',
  'Reminder: time sheets for this month are due on Monday.',
  'The supplier confirmed the delivery date.',
  'We found two issues in testing; both are now tasks.',
  'Both issues are fixed and verified.',
  'Who owns the follow-up with finance? I can take it if nobody has.',
  'I will take it.',
  'Added the risks we discussed to the list. The biggest one is the vendor lead time.',
  'Steering committee approved the change request.',
  'Pushed the go-live by two days to avoid the release freeze.',
  'Thanks everyone for the quick turnaround on this.',
  'Can someone share the latest numbers before the review?',
  'Numbers are in the status report under Documents.',
  'I am out next week; Ben covers for me.',
  'The workshop with the client is booked for the 14th.',
  'Feedback from the workshop: they want the reporting part sooner.',
  'We agreed to keep the scope as it is and plan reporting for phase 2.',
  'Training material is done, translations are in progress.',
  'Procurement signed the purchase order.',
  'Heads-up: the test environment is down tonight for maintenance.',
  'Retrospective notes: fewer meetings, clearer owners for each task.',
  'The new dashboard is live. Let me know if anything looks off.',
  'Milestone 1 reached. On to the next one.',
  'Please mark your tasks done when you finish them, it keeps the plan honest.',
  'I reviewed the documents; small comments only.',
  'We need a decision on the vendor by the end of the month.',
  'Shortlist is down to two vendors; demos next week.',
  'Decision made: we go with the second vendor, better support terms.',
  'Status: green. No blockers this week.',
  'Status: amber. Waiting on the data export from the old system.',
  'Data export arrived; import is running overnight.',
  'Import finished without errors.',
  'Closing this topic. Thanks all!',
];

export const TASKS: Record<DivisionKey | 'general', string[]> = {
  sales: [
    'Qualify inbound leads from the webinar', 'Update the forecast in the CRM', 'Prepare the pricing proposal',
    'Book the customer workshop', 'Draft the partner agreement', 'Review the discount approvals', 'Send the follow-up deck',
    'Collect references from existing customers', 'Clean up duplicate accounts', 'Map the decision makers',
    'Prepare the quarterly business review', 'Translate the one-pager', 'Train the new account executives',
  ],
  engineering: [
    'Write the API specification', 'Set up the staging environment', 'Add integration tests for refunds',
    'Review the database indexes', 'Migrate the CI pipeline', 'Fix the login timeout on mobile', 'Load test the checkout',
    'Document the deployment steps', 'Upgrade the TLS certificates', 'Add alerts for error rates', 'Security review of the new endpoints',
    'Remove the legacy feature flags', 'Accessibility check of the forms', 'Write the rollback plan',
  ],
  operations: [
    'Get three quotes from movers', 'Update the floor plan', 'Schedule the fire safety inspection', 'Renew the insurance policy',
    'Audit the supplier contracts', 'Write the new purchasing policy', 'Inventory count in aisle 7', 'Order the new forklifts',
    'Brief the warehouse team', 'Collect the evidence for the auditors', 'Update the risk register', 'Book the training rooms',
  ],
  marketing: [
    'Write the press release', 'Brief the design agency', 'Shoot the product photos', 'Plan the social media calendar',
    'Update the website copy', 'Book the booth and the stand builder', 'Prepare the launch email', 'Interview two customers',
    'Set up the campaign tracking', 'Review the new logo variants', 'Order the conference swag', 'Draft the speaker invitations',
  ],
  general: [
    'Agree the agenda', 'Book the venue', 'Collect dietary requirements', 'Send the invitations', 'Set up the feedback survey',
    'Update the intranet navigation', 'Migrate the old pages', 'Review the permissions of each space',
  ],
};

export const ENTRY_TITLES: Record<'lists' | 'mindmaps' | 'planning' | 'documents', string[]> = {
  lists: ['Open questions', 'Stakeholders', 'Risks and mitigations', 'Vendor shortlist', 'Launch checklist', 'Contacts', 'Parking lot'],
  mindmaps: ['Scope brainstorm', 'Customer journey', 'Dependencies', 'Ideas from the kick-off'],
  planning: ['Milestones', 'Phase 1 plan', 'Resource plan', 'Go-live schedule', 'Sprint calendar'],
  documents: ['Project charter', 'Requirements', 'Meeting notes', 'Status report', 'Budget justification', 'Lessons learned'],
};

/** A small, fast, seeded generator (mulberry32): the demo's content is the same on every run. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    /** an integer from min to max, both included */
    int,
    chance: (p: number): boolean => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!,
    /** n different items, in random order (all of them when there are fewer) */
    sample: <T>(items: readonly T[], n: number): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      }
      return copy.slice(0, Math.max(0, n));
    },
  };
}
export type Random = ReturnType<typeof seededRandom>;

/** A seed from a name (FNV-1a), so each project's content stays the same when others are added. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
