// Every change that exists records its history entry in its own transaction: no entry without its change, and
// no change without its entry.
import { desc, eq, sql } from 'drizzle-orm';
import t from 'tap';
import { accounts, globalGrants, historyEntries, persons, projectComments, projectEntries, projects, projectTasks, timeEntries } from '../../src/db/schema.js';
import { currentCode } from '../../src/auth/two-step.js';
import { HISTORY_KINDS } from '../../src/history/kinds.js';
import { Agent } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

type Test = Parameters<typeof build>[0];

async function setup(t: Test) {
  const ctx = await signedUpAccount(t);
  const latest = async () => (await ctx.db.select().from(historyEntries).orderBy(desc(historyEntries.id)).limit(1))[0]!;
  const count = async () => (await ctx.db.select().from(historyEntries)).length;
  return { ...ctx, latest, count };
}

t.test('every change writes its entry: who, what, about whom, and only the fields that changed', async (t) => {
  const { app, db, admin, account, ada, latest, count, outbox } = await setup(t);
  const seen = new Set<string>();
  const expectEntry = async (what: string, res: { statusCode: number }, entry: Record<string, unknown>) => {
    t.ok(res.statusCode < 400, `${what}: ${res.statusCode}`);
    const e = await latest();
    seen.add(e.kind);
    t.match({ kind: e.kind, actorId: e.actorId, subjectType: e.subjectType, subjectId: e.subjectId, before: e.before, after: e.after }, entry, what);
    t.same(Object.keys(e.before ?? {}).sort(), Object.keys((entry.before as object) ?? {}).sort(), `${what}: only the changed fields before`);
    t.same(Object.keys(e.after ?? {}).sort(), Object.keys((entry.after as object) ?? {}).sort(), `${what}: only the changed fields after`);
  };
  const org = { subjectType: 'account', subjectId: account.id, actorId: ada.id };

  let e = await latest();
  seen.add(e.kind);
  t.match(e, { kind: 'account.created', actorId: ada.id, subjectType: 'account', subjectId: account.id, before: null, after: { edition: 'professional', readWriteLicenses: 5 } }, 'sign-up');

  await expectEntry('rename', await admin.post('/settings/organization/name', { organizationName: 'Acme Group' }), { ...org, kind: 'account.renamed', before: { name: 'Acme Ltd' }, after: { name: 'Acme Group' } });
  await expectEntry('privacy', await admin.post('/settings/organization/privacy', { privacyEnabled: 'on', aiAllowed: 'on' }), { ...org, kind: 'account.privacy', before: { privacyEnabled: false }, after: { privacyEnabled: true } });
  await expectEntry('plan', await admin.post('/settings/organization/subscription', { edition: 'enterprise', readWriteLicenses: '7' }), { ...org, kind: 'account.plan', before: { edition: 'professional', readWriteLicenses: 5 }, after: { edition: 'enterprise', readWriteLicenses: 7 } });
  await expectEntry('automatic distribution', await admin.post('/settings/users/auto-license', { autoLicense: 'on' }, { htmx: true }), { ...org, kind: 'licenses.automatic', before: { autoLicense: false }, after: { autoLicense: true } });
  await expectEntry('invitation rules', await admin.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'acme.test' }), { ...org, kind: 'invitations.rules', before: { usersMayInvite: false, allowedDomains: [] }, after: { usersMayInvite: true, allowedDomains: ['acme.test'] } });

  const n = await count();
  await admin.post('/settings/organization/name', { organizationName: 'Acme Group' });
  await admin.post('/settings/users/invitations', { usersMayInvite: 'on', allowedDomains: 'ACME.test' });
  t.equal(await count(), n, 'saving the same values again records nothing');

  await expectEntry('contact', await admin.post('/people/new', { name: 'Carl Contact', email: 'carl@acme.test' }), { kind: 'person.created', actorId: ada.id, subjectType: 'person', before: null, after: null });
  const carl = (await db.select().from(persons).where(eq(persons.email, 'carl@acme.test')))[0]!;

  const invited = await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'full' });
  const bea = (await db.select().from(persons).where(eq(persons.email, 'bea@acme.test')))[0]!;
  const two = await db.select().from(historyEntries).orderBy(desc(historyEntries.id)).limit(2);
  t.same(two.map((x) => x.kind), ['invitation.sent', 'person.created'], 'inviting a new address creates the contact and the invitation, two entries');
  seen.add('person.created');
  await expectEntry('invitation sent', invited, { kind: 'invitation.sent', actorId: ada.id, subjectType: 'person', subjectId: bea.id, before: { invitationState: 'none' }, after: { invitationState: 'invited', access: 'full' } });
  await expectEntry('invitation resent', await admin.post(`/people/${bea.id}/invitation/resend`), { kind: 'invitation.resent', actorId: ada.id, subjectId: bea.id, before: null, after: { access: 'full' } });
  await expectEntry('invitation revoked', await admin.post(`/people/${bea.id}/invitation/revoke`), { kind: 'invitation.revoked', actorId: ada.id, subjectId: bea.id, before: { invitationState: 'invited', access: 'full' }, after: { invitationState: 'none' } });
  await admin.post(`/people/${bea.id}/invite`, { access: 'full' });
  const link = new URL(outbox.at(-1)!.link!).pathname;
  const invitee = new Agent(app);
  await invitee.get(link);
  await expectEntry('invitation accepted (the invitee acts)', await invitee.post(link, { name: 'Bea Baker', password: 'bea password 123' }), {
    kind: 'invitation.accepted',
    actorId: bea.id,
    subjectId: bea.id,
    before: { invitationState: 'invited', license: 'none', isAdmin: false },
    after: { invitationState: 'accepted', license: 'read_write', isAdmin: true, access: 'full' },
  });
  t.notMatch(JSON.stringify(await db.select().from(historyEntries)), /bea@acme\.test|Bea Baker|carl@acme/, 'no names or emails in the history, only ids');

  await expectEntry('license', await admin.post(`/settings/users/licenses/${carl.id}`, { license: 'read_only' }), { kind: 'person.license', actorId: ada.id, subjectId: carl.id, before: { license: 'none' }, after: { license: 'read_only' } });
  await expectEntry('administrator', await admin.post(`/people/${carl.id}/admin`, { admin: 'on' }), { kind: 'person.admin', actorId: ada.id, subjectId: carl.id, before: { isAdmin: false }, after: { isAdmin: true } });
  await expectEntry('deleted', await admin.post(`/people/${carl.id}/delete`), { kind: 'person.deleted', actorId: ada.id, subjectId: carl.id, before: { license: 'read_only', isAdmin: true }, after: null });

  // the permissions (issue 10), through their own forms; the account is on Enterprise since the plan change above
  const dan = await insertPerson(db, { name: 'Dan Doer' });
  const me = { actorId: ada.id };
  await expectEntry('global permissions', await admin.post('/settings/users/global', { person: dan.id, 'people.edit': 'on' }), {
    ...me, kind: 'permissions.global', subjectType: 'person', subjectId: dan.id, before: { permissions: [] }, after: { permissions: ['people.edit'] },
  });
  await expectEntry('role permissions', await admin.post('/settings/users/roles/customers/permissions', { 'project.read': 'on' }), {
    ...me, kind: 'role.permissions', subjectType: 'role', subjectId: 'customers', before: { permissions: ['project.read', 'tasks.read', 'planning.read', 'financials.read'] }, after: { permissions: ['project.read'] },
  });
  await expectEntry('role renamed', await admin.post('/settings/users/roles/customers/name', { name: 'Clients' }), { ...me, kind: 'role.renamed', subjectId: 'customers', before: { name: 'Customers' }, after: { name: 'Clients' } });
  await expectEntry('role hidden', await admin.post('/settings/users/roles/customers/visible', {}), { ...me, kind: 'role.visibility', subjectId: 'customers', before: { visible: true }, after: { visible: false } });
  await expectEntry('division created', await admin.post('/settings/divisions', { name: 'Sales' }), { ...me, kind: 'division.created', subjectType: 'division', before: null, after: { name: 'Sales' } });
  const division = (await latest()).subjectId;
  await expectEntry('division renamed', await admin.post(`/settings/divisions/${division}`, { name: 'Sales EMEA' }), { ...me, kind: 'division.renamed', subjectId: division, before: { name: 'Sales' }, after: { name: 'Sales EMEA' } });
  await expectEntry('division permissions', await admin.post('/settings/users/divisions', { person: dan.id, division, 'tasks.read': 'on' }), {
    ...me, kind: 'division.permissions', subjectType: 'person', subjectId: dan.id, before: { division, permissions: [] }, after: { division, permissions: ['tasks.read'] },
  });
  await expectEntry('group created', await admin.post('/settings/users/groups', { name: 'Designers' }), { ...me, kind: 'group.created', subjectType: 'group', before: null, after: { name: 'Designers' } });
  const group = (await latest()).subjectId;
  await expectEntry('group renamed', await admin.post(`/settings/users/groups/${group}/name`, { name: 'Design' }), { ...me, kind: 'group.renamed', subjectId: group, before: { name: 'Designers' }, after: { name: 'Design' } });
  await expectEntry('group members', await admin.post(`/settings/users/groups/${group}/members`, { person: dan.id }), { ...me, kind: 'group.members', subjectId: group, before: { members: [] }, after: { members: [dan.id] } });
  await expectEntry('project created', await admin.post('/projects/new', { name: 'Apollo' }), { ...me, kind: 'project.created', subjectType: 'project', before: null, after: { name: 'Apollo' } });
  const project = (await latest()).subjectId;
  await expectEntry('project changed', await admin.post(`/projects/${project}/manage/details`, { name: 'Apollo 11', division }), {
    ...me, kind: 'project.changed', subjectId: project, before: { name: 'Apollo', division: null }, after: { name: 'Apollo 11', division },
  });
  await expectEntry('project roles', await admin.post(`/projects/${project}/manage/roles`, { role: 'team', person: dan.id }), { ...me, kind: 'project.roles', subjectId: project, before: null, after: { role: 'team', person: dan.id } });

  // the sections of a project, its lock and deletion, and project requests (issue 11): each area's own tests check
  // its entries' fields; here every kind is written by its change, by Ada, about the project or the request
  await db.insert(globalGrants).values(
    (['financials.edit', 'project.delete', 'projectRequests.create', 'projectRequests.edit'] as const).map((permission) => ({ accountId: account.id, personId: ada.id, permission })),
  );
  const expectKinds = async (what: string, res: { statusCode: number }, kinds: string[], subjectType: string) => {
    t.ok(res.statusCode < 400, `${what}: ${res.statusCode}`);
    const last = await db.select().from(historyEntries).orderBy(desc(historyEntries.id)).limit(kinds.length);
    t.same(last.map((x) => x.kind).sort(), [...kinds].sort(), `${what}: ${kinds.join(', ')}`);
    t.ok(last.every((x) => x.actorId === ada.id), `${what}: by Ada`);
    t.ok(last.some((x) => x.subjectType === subjectType), `${what}: about the ${subjectType}`);
    for (const k of kinds) seen.add(k);
  };
  const newest = async <T,>(rows: Promise<T[]>) => (await rows).at(-1)!;
  const at = `/projects/${project}`;
  await expectKinds('comment added', await admin.post(`${at}/comments`, { body: 'First note' }), ['comment.added'], 'project');
  const comment = await newest(db.select({ id: projectComments.id }).from(projectComments).orderBy(projectComments.id));
  await expectKinds('comment deleted', await admin.post(`${at}/comments/${comment.id}/delete`, {}), ['comment.deleted'], 'project');
  await expectKinds('task added', await admin.post(`${at}/tasks`, { title: 'Order parts' }), ['task.added'], 'project');
  const task = await newest(db.select({ id: projectTasks.id }).from(projectTasks).orderBy(projectTasks.id));
  await expectKinds('task renamed', await admin.post(`${at}/tasks/${task.id}/title`, { title: 'Order the parts' }), ['task.renamed'], 'project');
  await expectKinds('task done', await admin.post(`${at}/tasks/${task.id}/done`, { done: 'on' }), ['task.done'], 'project');
  const today = new Date().toISOString().slice(0, 10);
  await expectKinds('time added', await admin.post(`${at}/time`, { date: today, hours: '2' }), ['time.added'], 'project');
  const entry = await newest(db.select({ id: timeEntries.id }).from(timeEntries).orderBy(timeEntries.id));
  await expectKinds('time changed', await admin.post(`${at}/time/${entry.id}`, { date: today, hours: '3' }), ['time.changed'], 'project');
  await expectKinds('time deleted', await admin.post(`${at}/time/${entry.id}/delete`, {}), ['time.deleted'], 'project');
  await expectKinds('budget', await admin.post(`${at}/financials`, { amount: '1000', currency: 'EUR' }), ['project.budget'], 'project');
  await expectKinds('entry added', await admin.post(`${at}/lists`, { title: 'Packing list' }), ['entry.added'], 'project');
  const listed = await newest(db.select({ id: projectEntries.id }).from(projectEntries).orderBy(projectEntries.id));
  await expectKinds('entry renamed', await admin.post(`${at}/lists/${listed.id}/title`, { title: 'Packing' }), ['entry.renamed'], 'project');
  await expectKinds('entry deleted', await admin.post(`${at}/lists/${listed.id}/delete`, {}), ['entry.deleted'], 'project');
  await expectKinds('locked', await admin.post(`${at}/manage/lock`, {}), ['project.locked'], 'project');
  await expectKinds('unlocked', await admin.post(`${at}/manage/unlock`, {}), ['project.unlocked'], 'project');
  await expectKinds('request', await admin.post('/projects/requests/new', { name: 'Zeus', reason: 'A new market' }), ['projectRequest.created'], 'project_request');
  const refused = (await latest()).subjectId;
  await expectKinds('request rejected', await admin.post(`/projects/requests/${refused}/reject`, { rejectionReason: 'Not this year' }), ['projectRequest.rejected'], 'project_request');
  await admin.post('/projects/requests/new', { name: 'Hermes', reason: '' });
  const approved = (await latest()).subjectId;
  const approval = await admin.post(`/projects/requests/${approved}/approve`, {});
  const made = await newest(db.select({ id: projects.id, name: projects.name }).from(projects).orderBy(projects.createdAt));
  t.equal(made.name, 'Hermes', 'the approval made the project');
  await expectKinds('request approved', approval, ['projectRequest.approved', 'project.created', 'project.roles'], 'project_request');
  await expectKinds('project deleted', await admin.post(`/projects/${made.id}/manage/delete`, {}), ['project.deleted'], 'project');
  t.notMatch(JSON.stringify(await db.select().from(historyEntries)), /First note/, 'no comment text in the history');

  await expectEntry('group deleted', await admin.post(`/settings/users/groups/${group}/delete`), { ...me, kind: 'group.deleted', subjectId: group, before: { name: 'Design', members: [dan.id] }, after: null });
  await expectEntry('division deleted', await admin.post(`/settings/divisions/${division}/delete`), { ...me, kind: 'division.deleted', subjectId: division, before: { name: 'Sales EMEA' }, after: null });

  // two-step verification: the person's own, the organization's policy, an administrator's reset
  const setUp = await admin.get('/settings/personal/two-step');
  const secret = /id="secret"[^>]*>([A-Z2-7 ]+)</.exec(setUp.body)![1]!.replace(/ /g, '');
  const sealed = /name="setup" value="([^"]+)"/.exec(setUp.body)![1]!;
  await expectEntry('two-step on', await admin.post('/settings/personal/two-step', { setup: sealed, code: currentCode(secret) }), { ...me, kind: 'person.twoStep', subjectId: ada.id, before: { twoStep: false }, after: { twoStep: true } });
  await expectEntry('two-step policy', await admin.post('/settings/organization/two-step', { twoStepForAdmins: 'on' }), { ...org, kind: 'account.twoStep', before: { twoStepForAdmins: false }, after: { twoStepForAdmins: true } });
  await admin.post('/settings/organization/two-step', {});
  await expectEntry('two-step off', await admin.post('/settings/personal/two-step/off', { password: 'correct horse battery' }), { ...me, kind: 'person.twoStep', subjectId: ada.id, before: { twoStep: true }, after: { twoStep: false } });
  await expectEntry('two-step reset', await admin.post(`/people/${dan.id}/two-step/reset`), { ...me, kind: 'person.twoStepReset', subjectId: dan.id, before: { twoStep: false }, after: { twoStep: false, setUpAtNextSignIn: true } });
  t.notMatch(JSON.stringify(await db.select().from(historyEntries)), secret, 'no secret in the history');

  t.same([...seen].sort(), Object.keys(HISTORY_KINDS).sort(), 'every kind of change has been recorded by the change that it names');
  const all = await db.select().from(historyEntries);
  t.ok(all.every((x) => x.accountId === account.id), 'all in the account');
});

t.test('a person’s own telemetry choice is theirs: not recorded (and the POST sends no more statements for it)', async (t) => {
  const { admin, db, account, count, stats } = await setup(t);
  await db.update(accounts).set({ privacyEnabled: true }).where(eq(accounts.id, account.id));
  const n = await count();
  await admin.post('/settings/personal', { telemetry: 'on' }, { htmx: true }); // warm up
  const before = stats.queries;
  t.equal((await admin.post('/settings/personal', {}, { htmx: true })).statusCode, 200);
  t.ok(stats.queries - before <= 2, `telemetry POST: ${stats.queries - before} statements (session, update)`);
  t.equal(await count(), n, 'no history entry');
  // turning the account's privacy settings off withdraws everyone's opt-in: one entry for the account only
  await admin.post('/settings/personal', { telemetry: 'on' });
  await admin.post('/settings/organization/privacy', { aiAllowed: 'on' });
  const entries = await db.select().from(historyEntries).where(eq(historyEntries.kind, 'account.privacy'));
  t.equal(entries.length, 1);
  t.same(entries[0]!.after, { privacyEnabled: false });
});

t.test('a change that fails after its entry is written leaves neither (one transaction)', async (t) => {
  const { admin, db, account, count } = await setup(t);
  // fails at commit, after the change and its entry are both written
  await db.execute(sql`create function history_test_fail() returns trigger language plpgsql as $$
    begin if new.after->>'name' = 'Boom' then raise exception 'injected failure'; end if; return null; end $$`);
  await db.execute(sql`create constraint trigger history_test_fail after insert on history_entries
    deferrable initially deferred for each row execute function history_test_fail()`);
  const n = await count();
  const res = await admin.post('/settings/organization/name', { organizationName: 'Boom' });
  t.equal(res.statusCode, 500, 'the injected failure');
  t.equal((await db.select().from(accounts).where(eq(accounts.id, account.id)))[0]!.name, 'Acme Ltd', 'the name is not changed');
  t.equal(await count(), n, 'no entry');
});

t.test('a change that fails writes no entry; an entry can only be written with a transaction', async (t) => {
  const { admin, db, count } = await setup(t);
  const carl = await insertPerson(db, { name: 'Carl Contact', email: 'carl@acme.test', license: 'read_only' });
  await db.execute(sql`create function persons_test_fail() returns trigger language plpgsql as $$
    begin if new.license = 'none' then raise exception 'injected failure'; end if; return new; end $$`);
  await db.execute(sql`create trigger persons_test_fail before update of license on persons for each row execute function persons_test_fail()`);
  const n = await count();
  t.equal((await admin.post(`/settings/users/licenses/${carl.id}`, { license: 'none' })).statusCode, 500);
  t.equal(await count(), n, 'no entry for the change that failed');
  t.equal((await db.select().from(persons).where(eq(persons.id, carl.id)))[0]!.license, 'read_only');
  // recordHistory's first parameter is a transaction (Tx); the database itself does not type-check:
  // @ts-expect-error — db is not a Tx
  void (() => import('../../src/history/record.js').then((m) => m.recordHistory(db, { accountId: 'a', personId: null }, { kind: 'account.renamed', subject: { type: 'account', id: 'a' } })));
});
