import t from 'tap';
import { passwordResets, rateLimits, sessions } from '../../src/db/schema.js';
import { deleteExpired } from '../../src/jobs/cleanup.js';
import { signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

t.test('expired sessions, reset links and rate-limit windows are deleted; live ones stay', async (t) => {
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
  await db.insert(rateLimits).values([
    { key: 'old', count: 3, resetAt: past },
    { key: 'new', count: 3, resetAt: future },
  ]);
  await deleteExpired(db);
  t.same((await db.select().from(sessions)).map((s) => s.id), [live!.id]);
  t.same((await db.select().from(passwordResets)).map((r) => r.tokenHash), ['new']);
  t.same((await db.select().from(rateLimits)).map((r) => r.key).filter((k) => k === 'old' || k === 'new'), ['new']);
});
