// "Every bad input gets a 4xx, never a 500": every route, for a visitor, an administrator and a Read-Only member,
// with and without htmx, gets odd parameters, odd query strings and odd form bodies. Nothing may answer 5xx.
import t from 'tap';
import { Agent, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, divisions, globalGrants, persons, projectRequests, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { insertPerson } from '../helpers/factories.js';

// some 50,000 requests (every route × odd input × three people × htmx or not): more than the default 120 s per file
t.setTimeout(600_000);

type Method = 'GET' | 'POST';

/** Every route of the app (a test below checks that this list and the router agree). */
const ROUTES: [Method, string][] = [
  ['GET', '/'],
  ['GET', '/privacy'],
  ['GET', '/support'],
  ['POST', '/support'],
  ['GET', '/healthz'],
  ['GET', '/signup'],
  ['POST', '/signup'],
  ['GET', '/login'],
  ['POST', '/login'],
  ['POST', '/logout'],
  ['GET', '/password/forgot'],
  ['POST', '/password/forgot'],
  ['GET', '/password/reset/:token'],
  ['POST', '/password/reset/:token'],
  ['GET', '/settings/personal'],
  ['POST', '/settings/personal'],
  ['GET', '/settings/personal/password'],
  ['POST', '/settings/personal/password'],
  ['GET', '/settings/personal/sessions'],
  ['POST', '/settings/personal/sessions/sign-out'],
  ['POST', '/settings/personal/sessions/sign-out-others'],
  ['GET', '/settings/personal/two-step'],
  ['POST', '/settings/personal/two-step'],
  ['POST', '/settings/personal/two-step/recovery-codes'],
  ['POST', '/settings/personal/two-step/recovery-codes.txt'],
  ['POST', '/settings/personal/two-step/off'],
  ['GET', '/login/two-step'],
  ['POST', '/login/two-step'],
  ['POST', '/settings/organization/two-step'],
  ['GET', '/people/:id/two-step/reset'],
  ['POST', '/people/:id/two-step/reset'],
  ['GET', '/settings/organization'],
  ['POST', '/settings/organization/privacy'],
  ['POST', '/settings/organization/name'],
  ['POST', '/settings/organization/subscription'],
  ['GET', '/settings/organization/export'],
  ['GET', '/settings/organization/delete'],
  ['POST', '/settings/organization/delete'],
  ['GET', '/organization-deleted'],
  ['GET', '/settings/history'],
  ['GET', '/settings/history/export'],
  ['GET', '/settings/users'],
  ['GET', '/settings/users/access'],
  ['GET', '/settings/users/global'],
  ['POST', '/settings/users/global'],
  ['GET', '/settings/users/roles'],
  ['GET', '/settings/users/roles/:role'],
  ['POST', '/settings/users/roles/:role/permissions'],
  ['POST', '/settings/users/roles/:role/name'],
  ['POST', '/settings/users/roles/:role/visible'],
  ['GET', '/settings/users/roles/:role/permissions'],
  ['GET', '/settings/users/roles/:role/preview'],
  ['GET', '/settings/users/divisions'],
  ['POST', '/settings/users/divisions'],
  ['POST', '/settings/users/divisions/remove'],
  ['GET', '/settings/divisions'],
  ['POST', '/settings/divisions'],
  ['GET', '/settings/divisions/:id'],
  ['POST', '/settings/divisions/:id'],
  ['GET', '/settings/divisions/:id/delete'],
  ['POST', '/settings/divisions/:id/delete'],
  ['GET', '/settings/users/groups'],
  ['POST', '/settings/users/groups'],
  ['GET', '/settings/users/groups/:id'],
  ['POST', '/settings/users/groups/:id/name'],
  ['POST', '/settings/users/groups/:id/members'],
  ['POST', '/settings/users/groups/:id/members/remove'],
  ['GET', '/settings/users/groups/:id/members'],
  ['GET', '/settings/users/groups/:id/members/preview'],
  ['GET', '/settings/users/groups/:id/delete'],
  ['POST', '/settings/users/groups/:id/delete'],
  ['POST', '/settings/users/auto-license'],
  ['POST', '/settings/users/invitations'],
  ['POST', '/settings/users/licenses/:id'],
  ['GET', '/people'],
  ['GET', '/people/new'],
  ['POST', '/people/new'],
  ['GET', '/people/invite'],
  ['POST', '/people/invite'],
  ['GET', '/people/:id'],
  ['POST', '/people/:id/admin'],
  ['GET', '/people/:id/delete'],
  ['POST', '/people/:id/delete'],
  ['POST', '/people/:id/invite'],
  ['POST', '/people/:id/invitation/resend'],
  ['POST', '/people/:id/invitation/revoke'],
  ['GET', '/projects'],
  ['GET', '/projects/new'],
  ['POST', '/projects/new'],
  ['GET', '/projects/:id'],
  ['GET', '/projects/:id/:section'],
  ['GET', '/projects/:id/manage'],
  ['POST', '/projects/:id/manage/details'],
  ['POST', '/projects/:id/manage/roles'],
  ['POST', '/projects/:id/manage/roles/remove'],
  // Manage: lock, unlock, delete (in this order: the project is locked between the two; Managers can't delete it)
  ['POST', '/projects/:id/manage/lock'],
  ['POST', '/projects/:id/manage/unlock'],
  ['GET', '/projects/:id/manage/delete'],
  ['POST', '/projects/:id/manage/delete'],
  // Comments
  ['GET', '/projects/:id/comments'],
  ['POST', '/projects/:id/comments'],
  ['GET', '/projects/:id/comments/:comment/delete'],
  ['POST', '/projects/:id/comments/:comment/delete'],
  // Tasks
  ['GET', '/projects/:id/tasks'],
  ['POST', '/projects/:id/tasks'],
  ['POST', '/projects/:id/tasks/:task/title'],
  ['POST', '/projects/:id/tasks/:task/done'],
  // Time tracking
  ['GET', '/projects/:id/time'],
  ['POST', '/projects/:id/time'],
  ['GET', '/projects/:id/time/:entry/edit'],
  ['POST', '/projects/:id/time/:entry'],
  ['GET', '/projects/:id/time/:entry/delete'],
  ['POST', '/projects/:id/time/:entry/delete'],
  // Financials
  ['GET', '/projects/:id/financials'],
  ['POST', '/projects/:id/financials'],
  ['POST', '/projects/:id/financials/remove'],
  // Lists, Mind maps, Planning, Documents
  ['GET', '/projects/:id/lists'],
  ['POST', '/projects/:id/lists'],
  ['POST', '/projects/:id/lists/:entry/title'],
  ['GET', '/projects/:id/lists/:entry/delete'],
  ['POST', '/projects/:id/lists/:entry/delete'],
  ['GET', '/projects/:id/mind-maps'],
  ['POST', '/projects/:id/mind-maps'],
  ['POST', '/projects/:id/mind-maps/:entry/title'],
  ['GET', '/projects/:id/mind-maps/:entry/delete'],
  ['POST', '/projects/:id/mind-maps/:entry/delete'],
  ['GET', '/projects/:id/planning'],
  ['POST', '/projects/:id/planning'],
  ['POST', '/projects/:id/planning/:entry/title'],
  ['GET', '/projects/:id/planning/:entry/delete'],
  ['POST', '/projects/:id/planning/:entry/delete'],
  ['GET', '/projects/:id/documents'],
  ['POST', '/projects/:id/documents'],
  ['POST', '/projects/:id/documents/:entry/title'],
  ['GET', '/projects/:id/documents/:entry/delete'],
  ['POST', '/projects/:id/documents/:entry/delete'],
  // Project requests
  ['GET', '/projects/requests'],
  ['GET', '/projects/requests/new'],
  ['POST', '/projects/requests/new'],
  ['GET', '/projects/requests/:id'],
  ['POST', '/projects/requests/:id/approve'],
  ['POST', '/projects/requests/:id/reject'],
  ['GET', '/invite/:token'],
  ['POST', '/invite/:token'],
];

/** Every form field name the app reads, so odd bodies reach the validators rather than only missing fields. */
const FIELDS = [
  'organizationName', 'name', 'email', 'phone', 'password', 'confirmPassword', 'passwordReminder', 'foundUs', 'edition',
  'readWriteLicenses', 'next', 'telemetry', 'privacyEnabled', 'aiAllowed', 'autoLicense', 'usersMayInvite', 'allowedDomains',
  'access', 'license', 'isAdmin', 'admin', 'confirm', 'q', 'page', 'after', 'before', 'yourName', 'message',
  'person', 'keep', 'only',
  'setup', 'code', 'codes', 'twoStepForAdmins', 'twoStepForEveryone',
  'visible', 'project.read', 'projects.create',
  'division',
  'role', 'group', 'assignment',
  'date', 'hours', 'amount', 'currency',
  'body', 'title', 'done',
  'older', 'newer',
  'reason', 'rejectionReason', 'show',
];

const ODD_VALUES: Record<string, string | string[]> = {
  empty: '',
  repeated: ['a', 'b'],
  long: 'x'.repeat(2000),
  'number-like': '1e309',
  negative: '-1',
  'not-a-number': 'NaN',
  unicode: 'Zoë 😀 \u202Eevil\u202C 中文',
  'sql-ish': "' OR 1=1; drop table persons; --",
  'html-ish': '<script>alert(1)</script>',
  'like-wildcards': '%_\\',
  control: 'a\u0000b\u0007c',
  'lone-surrogate': 'a\uD800b',
};

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const cursor = b64(JSON.stringify(['Cy Contact', 'x']));
const ODD_QUERIES = [
  '?q[]=a&q[]=b', '?q=%00', '?q=%25%5F%5C', '?q=' + 'y'.repeat(1000), '?page=abc', '?page=-1', '?page=99999999999999999999',
  '?page=1.5', '?notice=%3Cscript%3E', '?next=javascript:alert(1)', '?next=%2F%09%2Fevil.test', '?q=%E2%80%AE&page=0', '?q=%F0%9F%98%80',
  '?%00=x', '?a=%ZZ',
  // list cursors (base64url of JSON [name, id]): not base64url, not JSON, the wrong shape, a NUL, oversized, repeated, both
  '?after=%%%', '?after=!!', '?before=' + b64('[ada'), '?after=' + b64('{"name":"a","id":"b"}'), '?after=' + b64('[1,2]'),
  '?before=' + b64('["a"]'), '?after=' + b64('["a\\u0000","b"]'), '?after=' + b64('["a\\ud800","b"]'), '?after=' + 'A'.repeat(4000),
  '?after=' + b64(JSON.stringify(['x'.repeat(5000), 'b'])), `?after=${cursor}&after=${cursor}`, `?after=${cursor}&before=${cursor}`,
  `?q=%00&before=${cursor}`, '?after[]=x', '?before=',
  // the history filter: impossible dates, a reversed range, unknown kinds, broken, huge or repeated page cursors
  '?from=2025-02-30&to=0000-00-00', '?from=9999-12-31&to=9999-12-31', '?from=0001-01-01', '?from=2030-02-02&to=2030-02-01', '?kind=__proto__',
  '?kind[]=x', '?person[]=a&person[]=b', '?person=%25%5F', '?older=99999999999999999-1', '?older=1-99999999999999999', '?newer=1-1&older=1-1',
  '?older=-1-1', '?newer=8640000000000001-1', '?from[]=2025-01-01',
];

function oddParams(valid: string): string[] {
  return [valid, 'x', '%00', 'a'.repeat(3000), '..%2F..%2Fetc', '%F0%9F%98%80', '%E2%80%AE', "1'%20OR%20'1'%3D'1", '%ZZ'];
}

t.test('the route list above is every route the app has', async (t) => {
  const { app } = await build(t);
  for (const [method, url] of ROUTES) t.ok(app.hasRoute({ method, url: url.replace(':id', ':personId') }) || app.hasRoute({ method, url }), `${method} ${url}`);
  // printRoutes lists each path with its methods; count them (HEAD is implied by GET, `*` is the 404 handler)
  const printed = app.printRoutes({ commonPrefix: false });
  const methods = [...printed.matchAll(/\(([A-Z, ]+)\)/g)].flatMap((m) => m[1]!.split(', ')).filter((m) => m !== 'HEAD');
  const notFound = /\* \(([A-Z, ]+)\)/.exec(printed)![1]!.split(', ').filter((m) => m !== 'HEAD').length;
  t.equal(methods.length - notFound, ROUTES.length, 'a new route must be added to ROUTES');
});

t.test('odd parameters, queries and bodies never answer 5xx, whoever sends them', async (t) => {
  const { app, db } = await build(t, { LOGIN_RATE_LIMIT_MAX: '100000' }); // the limit itself answers 429, tested elsewhere
  // Enterprise Plus: every edition-gated page (divisions, groups, More roles) does its real work rather than 404
  const admin = await signUp(app, { edition: 'enterprise_plus' });
  const contact = await insertPerson(db, { name: 'Cy Contact', email: 'cy@acme.test', license: 'none' });
  const [account] = await db.select().from(accounts);
  const [ada] = await db.select().from(persons).where(eq(persons.email, 'ada@acme.test'));
  const project = newId();
  const division = newId();
  const group = newId();
  await db.insert(divisions).values({ id: division, accountId: account!.id, name: 'Sales' });
  await db.insert(userGroups).values({ id: group, accountId: account!.id, name: 'Designers' });
  await db.insert(projects).values({ id: project, accountId: account!.id, name: 'Apollo', divisionId: division });
  await db.insert(projectRoles).values({ accountId: account!.id, projectId: project, roleKey: 'managers', personId: ada!.id });
  // a project request the administrator may decide (a valid body approves or rejects it once; odd ones find it decided)
  const request = newId();
  await db.insert(projectRequests).values({ id: request, accountId: account!.id, name: 'Zeus', divisionId: division, requestedBy: ada!.id });
  await db.insert(globalGrants).values(['projectRequests.create', 'projectRequests.edit'].map((permission) => ({ accountId: account!.id, personId: ada!.id, permission })));
  /** a real id for each kind of path parameter, so the odd values are tried next to a valid one */
  const validFor = (route: string) =>
    route.includes(':token') ? 'notatoken'
    : route.includes(':role') ? 'team'
    : route.startsWith('/projects/requests/') ? request
    : route.startsWith('/projects/') ? project
    : route.startsWith('/settings/divisions/') ? division
    : route.startsWith('/settings/users/groups/') ? group
    : contact.id;
  await insertPerson(db, { name: 'Rosa Reader', email: 'rosa@acme.test', license: 'read_only', password: 'read only member 1' });
  const member = await signIn(app, 'rosa@acme.test', 'read only member 1');
  const visitor = new Agent(app);
  await visitor.get('/login');
  const agents: [string, Agent][] = [['visitor', visitor], ['administrator', admin], ['Read-Only member', member]];

  const failures: string[] = [];
  let requests = 0;
  const check = (who: string, what: string, res: { statusCode: number; body: string }) => {
    requests++;
    if (res.statusCode >= 500) failures.push(`${who}: ${what} → ${res.statusCode} ${res.body.slice(0, 120).replace(/\s+/g, ' ')}`);
  };

  for (const [who, agent] of agents) {
    for (const [method, route] of ROUTES) {
      if (method === 'POST' && route === '/logout') continue; // below, with throwaway sessions
      const valid = validFor(route);
      for (const param of route.includes(':') ? oddParams(valid) : ['']) {
        const url = route.replace(/:(id|token|role)/, param).replace(':section', 'tasks');
        for (const htmx of [false, true]) {
          const how = `${method} ${url.slice(0, 80)}${htmx ? ' (htmx)' : ''}`;
          if (method === 'GET') {
            for (const query of ['', ...ODD_QUERIES]) check(who, how + query.slice(0, 40), await agent.get(url + query, { htmx }));
          } else {
            for (const [kind, value] of Object.entries(ODD_VALUES)) {
              const form = Object.fromEntries(FIELDS.map((f) => [f, value]));
              check(who, `${how} [${kind}]`, await agent.post(url, form, { htmx }));
            }
            check(who, `${how} [no fields]`, await agent.post(url, {}, { htmx }));
            check(who, `${how} [csrf in header]`, await agent.post(url, { license: 'none' }, { htmx, csrf: 'header' }));
            check(who, `${how} [no csrf]`, await agent.post(url, { license: 'none' }, { htmx, csrf: false }));
          }
        }
      }
    }
  }
  for (const [kind, value] of Object.entries(ODD_VALUES)) {
    const throwaway = await signIn(app, 'rosa@acme.test', 'read only member 1');
    check('Read-Only member', `POST /logout [${kind}]`, await throwaway.post('/logout', Object.fromEntries(FIELDS.map((f) => [f, value]))));
  }
  t.comment(`${requests} requests`);
  t.ok(requests > 5000, `${requests} odd requests sent`);
  t.same(failures, [], 'no 5xx');
});
