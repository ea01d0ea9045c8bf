import { and, eq } from 'drizzle-orm';
import t from 'tap';
import { hashToken } from '../../src/crypto.js';
import { accounts, globalGrants, invitations, persons, sessions } from '../../src/db/schema.js';
import { AUTO_LICENSE_OFF, FALLS_BACK_TO_READ_ONLY } from '../../src/invitations/pages.js';
import { ADMINS_ONLY } from '../../src/invitations/rules.js';
import { READ_ONLY_REFUSED } from '../../src/permissions/guard.js';
import { Agent, signIn, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';
import { findPerson, insertPerson } from '../helpers/factories.js';

type Test = Parameters<typeof build>[0];

async function setup(t: Test, seats = '5') {
  const ctx = await build(t);
  const admin = await signUp(ctx.app, { readWriteLicenses: seats });
  const [account] = await ctx.db.select().from(accounts);
  await ctx.db.update(accounts).set({ autoLicense: true }).where(eq(accounts.id, account!.id));
  return { ...ctx, admin, account: account! };
}
const html = (s: string) => s.replace(/&/g, '&amp;');
const lastLink = (outbox: { link?: string }[]) => new URL(outbox.at(-1)!.link!).pathname;
const personByEmail = async (db: Awaited<ReturnType<typeof build>>['db'], email: string) =>
  (await db.select().from(persons).where(eq(persons.email, email)))[0];

t.test('an administrator invites by name and email; the email carries a one-time link valid 7 days; only its hash is stored', async (t) => {
  const { admin, db, outbox } = await setup(t);
  const page = await admin.get('/people/invite');
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Invite someone</h1>');
  t.match(page.body, '<label for="name">Name</label>');
  t.match(page.body, '<label for="email">Email</label>');
  t.match(page.body, '<legend>Access</legend>');
  t.match(page.body, '<label class="radio"><input type="radio" id="access" name="access" value="inherited" checked>Inherited by role</label>', 'default: inherited');
  t.match(page.body, '<label class="radio"><input type="radio" name="access" value="read_all">Read all projects</label>');
  t.match(page.body, '<label class="radio"><input type="radio" name="access" value="full">Full permissions</label>', 'administrators may give full permissions');
  t.equal(page.body.match(/<h1[ >]/g)!.length, 1);

  const before = Date.now();
  const res = await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  t.equal(res.statusCode, 303);
  const bea = await personByEmail(db, 'bea@acme.test');
  t.equal(res.headers.location, `/people/${bea!.id}?notice=invited`, 'the contact was created');
  t.equal(bea!.invitationState, 'invited');
  t.equal(bea!.license, 'none', 'no license before accepting');
  t.equal(outbox.length, 1);
  const mail = outbox[0]!;
  t.equal(mail.to, 'bea@acme.test');
  t.equal(mail.subject, 'Ada Admin invited you to Acme Ltd on Accord');
  t.match(mail.text, 'Hello Bea Baker,');
  t.match(mail.text, 'The link works once, for 7 days');
  const token = lastLink(outbox).replace('/invite/', '');
  t.match(mail.link, /^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
  t.match(mail.text, mail.link!);
  const [inv] = await db.select().from(invitations);
  t.equal(inv!.tokenHash, hashToken(token), 'only the hash is stored');
  t.notMatch(JSON.stringify(inv), token);
  t.equal(inv!.access, 'inherited');
  const days = (inv!.expiresAt.getTime() - before) / 86_400_000;
  t.ok(days > 6.99 && days < 7.01, 'valid 7 days');
  const shown = await admin.get(res.headers.location as string);
  t.match(shown.body, /role="status">Invitation sent.<\/div>/);
  t.match(shown.body, 'Invited</span>');
  t.match(shown.body, '>Resend invitation</button>');
  t.match(shown.body, '>Revoke invitation</button>');
});

t.test('bad input on the invitation form: 422, messages, nothing saved', async (t) => {
  const { admin, db, outbox } = await setup(t);
  const res = await admin.post('/people/invite', { name: '', email: 'bea@', access: 'owner' });
  t.equal(res.statusCode, 422);
  t.match(res.body, 'href="#name">Enter a name');
  t.match(res.body, 'href="#email">Enter an email address in the correct format');
  t.match(res.body, 'href="#access">Choose the access this person gets');
  t.match(res.body, 'value="bea@"');
  t.equal((await db.select().from(persons)).length, 1);
  t.equal((await db.select().from(invitations)).length, 0);
  t.equal(outbox.length, 0);
});

t.test('others may invite only while the account allows it, only to allowed domains, never with full permissions', async (t) => {
  const { app, db, account, outbox } = await setup(t);
  await insertPerson(db, { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' });
  const mia = await signIn(app, 'mia@acme.test', 'member password 1');
  const contact = await insertPerson(db, { name: 'Carl Contact', email: 'carl@elsewhere.test', invitationState: 'none', license: 'none' });

  const closed = await mia.get('/people/invite');
  t.equal(closed.statusCode, 403);
  t.match(closed.body, ADMINS_ONLY);
  const refused = await mia.post('/people/invite', { name: 'Bea', email: 'bea@acme.test', access: 'inherited' });
  t.equal(refused.statusCode, 403);
  t.match(refused.body, 'Only administrators can invite people to this account.');
  t.notMatch((await mia.get(`/people/${contact.id}`)).body, '>Invite</button>', 'no "Invite" button');
  const direct = await mia.post(`/people/${contact.id}/invite`, { access: 'inherited' });
  t.equal(direct.statusCode, 403);
  t.match(direct.body, ADMINS_ONLY);

  await db.update(accounts).set({ usersMayInvite: true, allowedDomains: ['Acme.test', 'example.org'] }).where(eq(accounts.id, account.id));
  const open = await mia.get('/people/invite');
  t.equal(open.statusCode, 200);
  t.notMatch(open.body, 'Full permissions', 'only administrators are offered full permissions');
  for (const email of ['x@sub.acme.test', 'x@acme.test.evil.test', 'x@other.test', 'acme.test@other.test']) {
    const res = await mia.post('/people/invite', { name: 'Xavier', email, access: 'inherited' });
    t.equal(res.statusCode, 422, email);
    t.match(res.body, 'href="#email">You can only invite email addresses in these domains: acme.test, example.org.');
  }
  const full = await mia.post('/people/invite', { name: 'Bea', email: 'bea@acme.test', access: 'full' });
  t.equal(full.statusCode, 403);
  t.match(full.body, 'Only administrators can give “Full permissions”.');
  t.notMatch((await mia.get(`/people/${contact.id}`)).body, '>Invite</button>', 'not for a contact outside the domains');
  const outside = await mia.post(`/people/${contact.id}/invite`, { access: 'inherited' });
  t.equal(outside.statusCode, 403, 'the person page path checks the same rule');
  t.match(outside.body, 'You can only invite email addresses in these domains');
  t.equal((await db.select().from(persons)).length, 3, 'no contact was created by a refused invitation');
  t.equal((await db.select().from(invitations)).length, 0);
  t.equal(outbox.length, 0);

  const ok = await mia.post('/people/invite', { name: 'Bea Baker', email: 'Bea@ACME.test', access: 'read_all' });
  t.equal(ok.statusCode, 303, 'exact domain, case-insensitive');
  t.equal(outbox.length, 1);
  await db.update(accounts).set({ allowedDomains: [] }).where(eq(accounts.id, account.id));
  t.equal((await mia.post(`/people/${contact.id}/invite`, { access: 'inherited' })).statusCode, 303, 'empty list: any domain');
});

t.test('administrators may invite whatever the settings; Read-Only people may not invite at all', async (t) => {
  const { app, admin, db, account } = await setup(t);
  await db.update(accounts).set({ usersMayInvite: false, allowedDomains: ['acme.test'] }).where(eq(accounts.id, account.id));
  t.equal((await admin.post('/people/invite', { name: 'Out Sider', email: 'out@other.test', access: 'full' })).statusCode, 303);
  await db.update(accounts).set({ usersMayInvite: true, allowedDomains: [] }).where(eq(accounts.id, account.id));
  await insertPerson(db, { name: 'Rita Reader', email: 'rita@acme.test', password: 'reader password 1', license: 'read_only', isAdmin: true });
  const rita = await signIn(app, 'rita@acme.test', 'reader password 1');
  const page = await rita.get('/people/invite');
  t.equal(page.statusCode, 403);
  t.match(page.body, READ_ONLY_REFUSED);
  const res = await rita.post('/people/invite', { name: 'Bea', email: 'bea@acme.test', access: 'inherited' });
  t.equal(res.statusCode, 403);
  t.match(res.body, READ_ONLY_REFUSED);
  t.notOk(await personByEmail(db, 'bea@acme.test'));
});

t.test('"Already invited": someone who has access, or whose invitation waits, is not invited twice', async (t) => {
  const { admin, db, outbox } = await setup(t);
  await insertPerson(db, { name: 'Hal Has', email: 'hal@acme.test' });
  const has = await admin.post('/people/invite', { name: 'Hal', email: 'HAL@acme.test', access: 'inherited' });
  t.equal(has.statusCode, 422);
  t.match(has.body, 'href="#email">Already invited: Hal Has already has access to this account.');
  await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  const again = await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  t.equal(again.statusCode, 422);
  t.match(again.body, 'Already invited: Bea Baker has an invitation waiting. Use “Resend invitation” on their page to send it again.');
  const bea = await personByEmail(db, 'bea@acme.test');
  const viaPage = await admin.post(`/people/${bea!.id}/invite`, { access: 'inherited' });
  t.equal(viaPage.statusCode, 409);
  t.match(viaPage.body, 'Already invited: Bea Baker has an invitation waiting.');
  const gone = await insertPerson(db, { name: 'Ned Former', email: 'ned@acme.test', license: 'none', invitationState: 'accepted' });
  const formerly = await admin.post(`/people/${gone.id}/invite`, { access: 'inherited' });
  t.equal(formerly.statusCode, 409);
  t.match(formerly.body, 'Already invited: Ned Former has joined this account before. An administrator can give them a license under User management.');
  t.equal((await db.select().from(invitations)).length, 1, 'one invitation');
  t.equal(outbox.length, 1, 'one email');
});

t.test('accepting: "Your name" and "Password", then signed in with Read & Write while a seat is free', async (t) => {
  const { app, admin, db, outbox } = await setup(t);
  await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  const link = lastLink(outbox);
  const visitor = new Agent(app);
  const page = await visitor.get(link);
  t.equal(page.statusCode, 200);
  t.match(page.body, '<h1>Join Acme Ltd</h1>');
  t.match(page.body, '<label for="name">Your name</label>');
  t.match(page.body, 'value="Bea Baker"', 'the name the inviter typed, to change if they like');
  t.match(page.body, '<label for="password">Password</label>');
  t.match(page.body, '<strong>bea@acme.test</strong>');
  const bad = await visitor.post(link, { name: '', password: 'short' });
  t.equal(bad.statusCode, 422);
  t.match(bad.body, 'href="#name">Enter your name');
  t.match(bad.body, 'href="#password">Password must be at least 12 characters');
  t.equal((await personByEmail(db, 'bea@acme.test'))!.invitationState, 'invited', 'nothing saved');
  const done = await visitor.post(link, { name: 'Beatrice Baker', password: 'a long new password' });
  t.equal(done.statusCode, 303);
  t.equal(done.headers.location, '/settings/personal?notice=invitation-accepted');
  const welcome = await visitor.get(done.headers.location as string);
  t.equal(welcome.statusCode, 200, 'signed in');
  t.match(welcome.body, 'Beatrice Baker, Acme Ltd');
  t.match(welcome.body, 'Welcome to Accord. You have joined the organization and are signed in.');
  const bea = (await personByEmail(db, 'bea@acme.test'))!;
  t.equal(bea.name, 'Beatrice Baker');
  t.equal(bea.license, 'read_write');
  t.equal(bea.invitationState, 'accepted');
  t.equal(bea.isAdmin, false);
  t.same(await db.select().from(globalGrants).where(eq(globalGrants.personId, bea.id)), [], 'inherited: no global grants');
  await signIn(app, 'bea@acme.test', 'a long new password');
  const listed = await admin.get('/people?q=beatrice');
  t.match(listed.body, 'Has access');

  const used = await new Agent(app).get(link);
  t.equal(used.statusCode, 410, 'the link works once');
  t.match(used.body, '<h1>This invitation has already been accepted</h1>');
  const usedPost = await new Agent(app).post(link, { name: 'Mallory', password: 'another long password' });
  t.equal(usedPost.statusCode, 410);
  t.equal((await personByEmail(db, 'bea@acme.test'))!.name, 'Beatrice Baker', 'nothing changed by a used link');
  const again = await admin.post(`/people/${bea.id}/invite`, { access: 'inherited' });
  t.equal(again.statusCode, 409, 'no second invitation once accepted');
});

t.test('Access: "Full permissions" makes an administrator, "Read all projects" grants the project read permissions', async (t) => {
  const { app, admin, db, outbox } = await setup(t);
  await admin.post('/people/invite', { name: 'Fay Full', email: 'fay@acme.test', access: 'full' });
  await new Agent(app).post(lastLink(outbox), { name: 'Fay Full', password: 'a long new password' });
  const fay = (await personByEmail(db, 'fay@acme.test'))!;
  t.equal(fay.isAdmin, true);
  await admin.post('/people/invite', { name: 'Rex Reader', email: 'rex@acme.test', access: 'read_all' });
  const rexBefore = (await personByEmail(db, 'rex@acme.test'))!;
  t.same(await db.select().from(globalGrants).where(eq(globalGrants.personId, rexBefore.id)), [], 'granted on acceptance, not before');
  await new Agent(app).post(lastLink(outbox), { name: 'Rex Reader', password: 'a long new password' });
  const grants = await db.select({ p: globalGrants.permission }).from(globalGrants).where(eq(globalGrants.personId, rexBefore.id));
  t.same(
    grants.map((g) => g.p).sort(),
    ['comments.read', 'documents.read', 'financials.read', 'lists.read', 'manage.read', 'mindmaps.read', 'planning.read', 'project.read', 'tasks.read', 'time.read'],
  );
  t.equal((await findPerson(db, rexBefore.id))!.isAdmin, false);
});

t.test('Read-Only on acceptance when no seat is free (the inviter is told first) or when automatic distribution is off', async (t) => {
  const { app, admin, db, account, outbox } = await setup(t, '2');
  const calm = await admin.get('/people/invite');
  t.notMatch(calm.body, html(FALLS_BACK_TO_READ_ONLY));
  await insertPerson(db, { name: 'Sam Seat', email: 'sam@acme.test', license: 'read_write' });
  const warned = await admin.get('/people/invite');
  t.match(warned.body, `<p class="hint" id="license-note">${html(FALLS_BACK_TO_READ_ONLY)}</p>`, 'told before sending');
  await admin.post('/people/invite', { name: 'Olga Over', email: 'olga@acme.test', access: 'inherited' });
  const olgaPage = await admin.get(`/people/${(await personByEmail(db, 'olga@acme.test'))!.id}`);
  t.match(olgaPage.body, html(FALLS_BACK_TO_READ_ONLY), 'and again next to "Resend invitation"');
  const visitor = new Agent(app);
  const done = await visitor.post(lastLink(outbox), { name: 'Olga Over', password: 'a long new password' });
  t.equal(done.headers.location, '/settings/personal?notice=invitation-accepted-read-only');
  t.equal((await personByEmail(db, 'olga@acme.test'))!.license, 'read_only');
  t.match((await visitor.get('/settings/personal?notice=invitation-accepted-read-only')).body, 'with a Read-Only license', 'Read-Only people can sign in');
  const edit = await visitor.post('/people/new', { name: 'X', email: 'x@acme.test' });
  t.equal(edit.statusCode, 403, 'but every edit is refused');
  t.match(edit.body, READ_ONLY_REFUSED);

  await db.update(accounts).set({ autoLicense: false, readWriteLicenses: 10 }).where(eq(accounts.id, account.id));
  t.match((await admin.get('/people/invite')).body, html(AUTO_LICENSE_OFF));
  await admin.post('/people/invite', { name: 'Al Auto', email: 'al@acme.test', access: 'inherited' });
  await new Agent(app).post(lastLink(outbox), { name: 'Al Auto', password: 'a long new password' });
  t.equal((await personByEmail(db, 'al@acme.test'))!.license, 'read_only', 'automatic distribution off: Read-Only');
});

t.test('resend issues a new token and voids the old one; revoke voids it and returns a plain contact', async (t) => {
  const { app, admin, db, outbox } = await setup(t);
  await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'read_all' });
  const bea = (await personByEmail(db, 'bea@acme.test'))!;
  const first = lastLink(outbox);
  const resent = await admin.post(`/people/${bea.id}/invitation/resend`);
  t.equal(resent.statusCode, 303);
  t.equal(resent.headers.location, `/people/${bea.id}?notice=invitation-resent`);
  t.equal(outbox.length, 2);
  const second = lastLink(outbox);
  t.not(second, first, 'a new token');
  const old = await new Agent(app).get(first);
  t.equal(old.statusCode, 410);
  t.match(old.body, '<h1>This invitation was withdrawn</h1>');
  t.equal((await new Agent(app).post(first, { name: 'Bea', password: 'a long new password' })).statusCode, 410);
  const rows = await db.select().from(invitations).where(eq(invitations.personId, bea.id));
  t.equal(rows.length, 2);
  t.equal(rows.filter((r) => !r.revokedAt).length, 1, 'one waiting invitation');
  t.same(new Set(rows.map((r) => r.access)), new Set(['read_all']), 'same access');
  t.equal((await new Agent(app).get(second)).statusCode, 200);

  const revoked = await admin.post(`/people/${bea.id}/invitation/revoke`);
  t.equal(revoked.statusCode, 303);
  t.equal(revoked.headers.location, `/people/${bea.id}?notice=invitation-revoked`);
  const after = (await findPerson(db, bea.id))!;
  t.equal(after.invitationState, 'none', 'a plain contact again');
  t.equal(after.license, 'none');
  const dead = await new Agent(app).get(second);
  t.equal(dead.statusCode, 410);
  t.match(dead.body, 'This invitation was withdrawn');
  const page = await admin.get(`/people/${bea.id}?notice=invitation-revoked`);
  t.match(page.body, 'Invitation revoked.');
  t.match(page.body, '>Not invited<');
  t.match(page.body, '>Invite</button>', 'can be invited again');
  const noResend = await admin.post(`/people/${bea.id}/invitation/resend`);
  t.equal(noResend.statusCode, 409);
  t.match(noResend.body, 'Bea Baker has no invitation waiting to be accepted.');
  t.equal((await admin.post(`/people/${bea.id}/invitation/revoke`)).statusCode, 409);
  const reinvite = await admin.post(`/people/${bea.id}/invite`, { access: 'full' });
  t.equal(reinvite.statusCode, 303);
  t.equal(outbox.length, 3);
});

t.test('resend and revoke follow the same rule as inviting', async (t) => {
  const { app, admin, db, account, outbox } = await setup(t);
  await insertPerson(db, { name: 'Mia Member', email: 'mia@acme.test', password: 'member password 1' });
  const mia = await signIn(app, 'mia@acme.test', 'member password 1');
  await admin.post('/people/invite', { name: 'Out Sider', email: 'out@other.test', access: 'inherited' });
  await admin.post('/people/invite', { name: 'Fay Full', email: 'fay@acme.test', access: 'full' });
  const out = (await personByEmail(db, 'out@other.test'))!;
  const fay = (await personByEmail(db, 'fay@acme.test'))!;
  for (const action of ['resend', 'revoke']) {
    const res = await mia.post(`/people/${out.id}/invitation/${action}`);
    t.equal(res.statusCode, 403, `${action} while users may not invite`);
    t.match(res.body, ADMINS_ONLY);
  }
  await db.update(accounts).set({ usersMayInvite: true, allowedDomains: ['acme.test'] }).where(eq(accounts.id, account.id));
  const outsidePage = await mia.get(`/people/${out.id}`);
  t.notMatch(outsidePage.body, 'Resend invitation', 'not shown outside the allowed domains');
  const outside = await mia.post(`/people/${out.id}/invitation/resend`);
  t.equal(outside.statusCode, 403);
  t.match(outside.body, 'You can only invite email addresses in these domains: acme.test.');
  const fullResend = await mia.post(`/people/${fay.id}/invitation/resend`);
  t.equal(fullResend.statusCode, 403, 'a "Full permissions" invitation stays with administrators');
  t.match(fullResend.body, 'Only administrators can give “Full permissions”.');
  t.equal(outbox.length, 2, 'nothing sent');
  await db.update(accounts).set({ allowedDomains: [] }).where(eq(accounts.id, account.id));
  t.match((await mia.get(`/people/${out.id}`)).body, '>Resend invitation</button>');
  t.equal((await mia.post(`/people/${out.id}/invitation/resend`)).statusCode, 303);
  t.equal(outbox.length, 3);
});

t.test('expired, revoked, used and unknown links show a clear page, never a 500', async (t) => {
  const { app, admin, db, outbox } = await setup(t);
  await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  const link = lastLink(outbox);
  await db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) });
  const visitor = new Agent(app);
  const expired = await visitor.get(link);
  t.equal(expired.statusCode, 410);
  t.match(expired.body, '<h1>This invitation has expired</h1>');
  t.match(expired.body, 'Ask the person who invited you to send the invitation again.');
  const post = await visitor.post(link, { name: 'Bea', password: 'a long new password' });
  t.equal(post.statusCode, 410);
  t.equal((await personByEmail(db, 'bea@acme.test'))!.invitationState, 'invited');
  const page = await admin.get(`/people/${(await personByEmail(db, 'bea@acme.test'))!.id}`);
  t.match(page.body, 'The link expired on');
  for (const bad of ['/invite/not-a-token', `/invite/${'A'.repeat(43)}`, '/invite/a.b']) {
    const res = await visitor.get(bad);
    t.equal(res.statusCode, 404, bad);
    t.match(res.body, '<h1>This invitation link is not valid</h1>');
    t.equal((await visitor.post(bad, { name: 'x', password: 'a long new password' })).statusCode, 404);
  }
  for (const odd of [`/invite/${'A'.repeat(5000)}`, '/invite/%00%ff', '/invite/%E0%A4%A']) {
    const res = await visitor.get(odd);
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${odd.slice(0, 30)}: ${res.statusCode}, not a 500`);
  }
});

t.test('another account’s people answer 404 on every invitation path', async (t) => {
  const { app, db, admin, outbox } = await setup(t);
  const other = await signUp(app, { organizationName: 'Other Org', email: 'owner@other.test', name: 'Otto Owner' });
  await other.post('/people/invite', { name: 'Vic Visitor', email: 'vic@other.test', access: 'inherited' });
  const vic = (await personByEmail(db, 'vic@other.test'))!;
  for (const path of [`/people/${vic.id}/invite`, `/people/${vic.id}/invitation/resend`, `/people/${vic.id}/invitation/revoke`]) {
    const res = await admin.post(path, { access: 'inherited' });
    t.equal(res.statusCode, 404, path);
  }
  t.equal((await findPerson(db, vic.id))!.invitationState, 'invited', 'untouched');
  t.equal(outbox.length, 1);
  const sameEmail = await admin.post('/people/invite', { name: 'Vic Visitor', email: 'vic@other.test', access: 'inherited' });
  t.equal(sameEmail.statusCode, 303, 'an email is unique per account: the same address is a new contact here');
  t.equal((await db.select().from(persons).where(eq(persons.email, 'vic@other.test'))).length, 2);
});

t.test('accepting while signed in as someone else replaces that session', async (t) => {
  const { app, admin, db, outbox } = await setup(t);
  await admin.post('/people/invite', { name: 'Bea Baker', email: 'bea@acme.test', access: 'inherited' });
  const [ada] = await db.select().from(persons).where(eq(persons.email, 'ada@acme.test'));
  const adaSessions = async () => (await db.select().from(sessions).where(eq(sessions.userId, ada!.id))).length;
  const before = await adaSessions();
  const res = await admin.post(lastLink(outbox), { name: 'Bea Baker', password: 'a long new password' });
  t.equal(res.statusCode, 303);
  t.equal(await adaSessions(), before - 1, 'the administrator’s session on this browser ended');
  t.match((await admin.get('/settings/personal')).body, 'Bea Baker, Acme Ltd');
  const bea = (await personByEmail(db, 'bea@acme.test'))!;
  t.equal((await db.select().from(sessions).where(and(eq(sessions.userId, bea.id)))).length, 1);
});
