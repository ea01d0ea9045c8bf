import t from 'tap';
import postgres from 'postgres';
import { accounts, historyEntries, passwordResets, rateLimits, sessions, twoStepChallenges } from '../../src/db/schema.js';
import { CLEANUP_LOCK, deleteExpired } from '../../src/jobs/cleanup.js';
import { testDbKind } from '../helpers/db.js';
import { signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

t.test('expired sessions, reset links, half-signed-in states and rate-limit windows are deleted; live ones stay', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  const [live] = await db.select().from(sessions);
  const [person] = await db.query.persons.findMany();
  const past = new Date(Date.now() - 1000);
  const future = new Date(Date.now() + 3600_000);
  await db.insert(sessions).values({ id: 'old', userId: live!.userId, accountId: live!.accountId, expiresAt: past });
  await db.insert(passwordResets).values([
    { tokenHash: 'old', accountId: person!.accountId, personId: person!.id, expiresAt: past },
    { tokenHash: 'new', accountId: person!.accountId, personId: person!.id, expiresAt: future },
  ]);
  await db.insert(twoStepChallenges).values([
    { tokenHash: 'old', accountId: person!.accountId, personId: person!.id, expiresAt: past },
    { tokenHash: 'new', accountId: person!.accountId, personId: person!.id, expiresAt: future },
  ]);
  await db.insert(rateLimits).values([
    { key: 'old', count: 3, resetAt: past },
    { key: 'new', count: 3, resetAt: future },
  ]);
  await deleteExpired(db, { historyRetentionDays: 30 });
  t.same((await db.select().from(sessions)).map((s) => s.id), [live!.id]);
  t.same((await db.select().from(passwordResets)).map((r) => r.tokenHash), ['new']);
  t.same((await db.select().from(twoStepChallenges)).map((r) => r.tokenHash), ['new']);
  t.same((await db.select().from(rateLimits)).map((r) => r.key).filter((k) => k === 'old' || k === 'new'), ['new']);
});

/** Entries of the (only) account at these ages, measured back from `now`. */
async function insertEntriesAged(db: Awaited<ReturnType<typeof build>>['db'], now: Date, agesMs: number[]) {
  const [account] = await db.select().from(accounts);
  await db.insert(historyEntries).values(
    agesMs.map((age, i) => ({
      accountId: account!.id,
      createdAt: new Date(now.getTime() - age),
      actorId: null,
      kind: 'account.renamed',
      subjectType: 'account' as const,
      subjectId: account!.id,
      after: { name: `Name ${i}` },
    })),
  );
}

const DAY = 86_400_000;

t.test('history entries older than the retention period are deleted, in batches; younger ones stay (clock set by the test)', async (t) => {
  const { app, db } = await build(t);
  await signUp(app);
  await db.delete(historyEntries); // the sign-up's entry is "now" by the real clock; the test's clock is its own
  const now = new Date('2030-06-15T12:00:00.000Z');
  await insertEntriesAged(db, now, [31 * DAY, 30 * DAY + 1, 40 * DAY, 90 * DAY, 45 * DAY, 30 * DAY - 1, 29 * DAY, 1000, 0]);
  const result = await deleteExpired(db, { now, historyRetentionDays: 30, batch: 2 });
  t.same(result, { ran: true, historyDeleted: 5 }, 'the five entries older than 30 days, two per transaction');
  const left = (await db.select().from(historyEntries)).map((e) => now.getTime() - e.createdAt.getTime()).sort((a, b) => a - b);
  t.same(left, [0, 1000, 29 * DAY, 30 * DAY - 1], 'entries within 30 days stay');
  t.same(await deleteExpired(db, { now, historyRetentionDays: 30 }), { ran: true, historyDeleted: 0 }, 'running again deletes nothing more');
  t.same(await deleteExpired(db, { now: new Date(now.getTime() + 30 * DAY), historyRetentionDays: 30 }), { ran: true, historyDeleted: 3 }, 'a month later the rest go but the newest');
  t.equal((await db.select().from(historyEntries)).length, 1);
});

const onlyPostgres = { skip: testDbKind !== 'postgres' && 'PGlite: one connection, so no second instance can hold the lock' };
t.test('while another instance holds the cleanup lock, the cleanup does nothing', onlyPostgres, async (t) => {
  const test = await build(t);
  await signUp(test.app);
  const now = new Date();
  await insertEntriesAged(test.db, now, [60 * DAY, 61 * DAY]);
  const other = postgres(test.url!, { max: 1, onnotice: () => {} });
  t.teardown(() => other.end());
  const held = await other.reserve();
  await held`select pg_advisory_lock(${CLEANUP_LOCK})`;
  t.same(await deleteExpired(test.db, { now, historyRetentionDays: 30 }), { ran: false, historyDeleted: 0 }, 'skipped');
  t.equal((await test.db.select().from(historyEntries)).length, 3, 'nothing deleted (the sign-up entry and the two old ones)');
  await held`select pg_advisory_unlock(${CLEANUP_LOCK})`;
  held.release();
  t.same(await deleteExpired(test.db, { now, historyRetentionDays: 30 }), { ran: true, historyDeleted: 2 }, 'once the lock is free it runs');
  // two instances at the same moment: the work is done once, and both finish
  await insertEntriesAged(test.db, now, [70 * DAY, 71 * DAY, 72 * DAY]);
  const both = await Promise.all([deleteExpired(test.db, { now, historyRetentionDays: 30 }), deleteExpired(test.db, { now, historyRetentionDays: 30 })]);
  t.equal(both[0].historyDeleted + both[1].historyDeleted, 3, 'each old entry deleted once');
});
