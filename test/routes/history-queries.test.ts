import t from 'tap';
import { accounts, historyEntries, persons } from '../../src/db/schema.js';
import type { Agent } from '../helpers/agent.js';
import { signUp } from '../helpers/agent.js';
import { build, type TestApp } from '../helpers/build.js';

/** SQL statements one request sends. */
async function statements(test: TestApp, request: () => Promise<{ statusCode: number }>, status = 200) {
  const before = test.stats.queries;
  const res = await request();
  if (res.statusCode !== status) throw new Error(`unexpected ${res.statusCode}`);
  return test.stats.queries - before;
}

const olderLink = (body: string) => /<a href="([^"]+)" rel="next">Older<\/a>/.exec(body)?.[1]?.replace(/&amp;/g, '&');

async function measure(test: TestApp, admin: Agent) {
  const first = await admin.get('/settings/history');
  const older = olderLink(first.body) ?? '/settings/history?older=1-1';
  return {
    page: await statements(test, () => admin.get('/settings/history')),
    byPerson: await statements(test, () => admin.get('/settings/history?person=ada', { htmx: true })),
    byKindAndDates: await statements(test, () => admin.get('/settings/history?kind=account.renamed&from=2000-01-01&to=2999-12-31')),
    older: await statements(test, () => admin.get(older)),
    invalid: await statements(test, () => admin.get('/settings/history?from=nope'), 422),
  };
}

t.test('/settings/history sends the same small number of SQL statements for 3 entries and for 600', async (t) => {
  const test = await build(t);
  const admin = await signUp(test.app);
  const [account] = await test.db.select().from(accounts);
  const [ada] = await test.db.select().from(persons);
  await admin.get('/settings/history'); // warm up
  const small = await measure(test, admin);
  await test.db.insert(historyEntries).values(
    Array.from({ length: 600 }, (_, i) => ({
      accountId: account!.id,
      createdAt: new Date(Date.now() - i * 60_000),
      actorId: ada!.id,
      kind: 'account.renamed',
      subjectType: 'account' as const,
      subjectId: account!.id,
      after: { name: `Name ${i}` },
    })),
  );
  const large = await measure(test, admin);
  t.comment(`statements with 3 entries: ${JSON.stringify(small)}; with 600: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of entries');
  t.ok(small.page <= 2, `the page: ${small.page} statements (session, one page of entries)`);
  t.ok(small.byPerson <= 3, `the person filter's fragment: ${small.byPerson} statements (session, the people it names, the page)`);
  t.equal(small.invalid, 1, 'a bad filter reads no entries');
});
