import { eq } from 'drizzle-orm';
import t from 'tap';
import { accounts, invitations, persons } from '../../src/db/schema.js';
import { createInvitation } from '../../src/invitations/invitations.js';
import { Agent, signUp } from '../helpers/agent.js';
import { build, buildSecondInstance } from '../helpers/build.js';
import { testDbKind } from '../helpers/db.js';

const INVITEES = 60;
const SEATS = 12; // the administrator holds one: 11 free for 60 invitees

t.test(`${INVITEES} concurrent acceptances on two app instances never over-distribute Read & Write (${testDbKind})`, async (t) => {
  const first = await build(t);
  const second = await buildSecondInstance(t, first);
  const { app, db } = first;
  await signUp(app, { readWriteLicenses: String(SEATS) });
  const [account] = await db.select().from(accounts);
  const [admin] = await db.select().from(persons);
  await db.update(accounts).set({ autoLicense: true }).where(eq(accounts.id, account!.id));

  // The invitations go through the same function the routes use; the race is in the acceptances.
  const inviter = { id: admin!.id, accountId: account!.id, isAdmin: true, license: 'read_write' as const };
  const tokens: string[] = [];
  for (let i = 0; i < INVITEES; i++) {
    const sent = await createInvitation(db, inviter, { name: `Guest ${i}`, email: `guest${i}@acme.test` }, 'inherited');
    if (!sent.ok) throw new Error(sent.message);
    tokens.push(sent.token);
  }

  const results = await Promise.all(
    tokens.map(async (token, i) => {
      const agent = new Agent(i % 2 ? second : app);
      await agent.get(`/invite/${token}`);
      return agent.post(`/invite/${token}`, { name: `Guest ${i}`, password: 'a long new password' });
    }),
  );
  const statuses = results.map((r) => r.statusCode);
  t.same(new Set(statuses), new Set([303]), 'every acceptance went through');
  t.equal(results.filter((r) => r.headers.location === '/settings/personal?notice=invitation-accepted').length, SEATS - 1, 'told Read & Write');

  const everyone = await db.select().from(persons).where(eq(persons.accountId, account!.id));
  const readWrite = everyone.filter((p) => p.license === 'read_write').length;
  const readOnly = everyone.filter((p) => p.license === 'read_only').length;
  t.equal(readWrite, SEATS, 'the Read & Write seats are exactly used up, never exceeded');
  t.equal(readOnly, INVITEES - (SEATS - 1), 'the rest got Read-Only');
  t.equal(everyone.filter((p) => p.invitationState === 'accepted').length, INVITEES + 1);
  const open = (await db.select().from(invitations)).filter((i) => !i.acceptedAt);
  t.equal(open.length, 0, 'every invitation used once');

  // The same links again, concurrently: each was used, nothing changes.
  const replays = await Promise.all(tokens.slice(0, 10).map((token, i) => new Agent(i % 2 ? second : app).post(`/invite/${token}`, { name: 'Replay', password: 'a long new password' })));
  t.same(new Set(replays.map((r) => r.statusCode)), new Set([410]));
  t.equal((await db.select().from(persons).where(eq(persons.name, 'Replay'))).length, 0);
});

t.test('the same link accepted twice at once: one wins, the other sees a used link (10 rounds)', async (t) => {
  // The winner's new session (a foreign key to the account) must not deadlock with the loser's account lock.
  const first = await build(t);
  const second = await buildSecondInstance(t, first);
  await signUp(first.app, { readWriteLicenses: '20' });
  const [account] = await first.db.select().from(accounts);
  const [admin] = await first.db.select().from(persons);
  await first.db.update(accounts).set({ autoLicense: true }).where(eq(accounts.id, account!.id));
  for (let round = 0; round < 10; round++) {
    const inviter = { id: admin!.id, accountId: account!.id, isAdmin: true, license: 'read_write' as const };
    const sent = await createInvitation(first.db, inviter, { name: `Bea ${round}`, email: `bea${round}@acme.test` }, 'inherited');
    if (!sent.ok) throw new Error(sent.message);
    const [a, b] = await Promise.all([first.app, second].map((app) => new Agent(app).post(`/invite/${sent.token}`, { name: 'Bea', password: 'a long new password' })));
    t.same([a!.statusCode, b!.statusCode].sort(), [303, 410], `round ${round}`);
  }
});
