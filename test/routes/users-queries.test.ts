import { sql } from 'drizzle-orm';
import t from 'tap';
import { rowsOf } from '../../src/db/client.js';
import { newId } from '../../src/crypto.js';
import { accounts, persons } from '../../src/db/schema.js';
import { encodeCursor } from '../../src/people/cursor.js';
import { forgetCachedReads } from '../../src/db/versioned-cache.js';
import type { Agent } from '../helpers/agent.js';
import { signUp } from '../helpers/agent.js';
import { build, type TestApp } from '../helpers/build.js';
import { testDbKind } from '../helpers/db.js';

/** SQL statements one request sends. */
async function statements(test: TestApp, request: () => Promise<{ statusCode: number }>, status = 200) {
  const before = test.stats.queries;
  const res = await request();
  if (res.statusCode !== status) throw new Error(`unexpected ${res.statusCode}`);
  return test.stats.queries - before;
}

const DEEP = encodeCursor({ name: 'Person 150', id: 'x' });

async function measure(test: TestApp, admin: Agent, personId: string) {
  return {
    page: await statements(test, () => admin.get('/settings/users')),
    // the same page again, nothing changed in between: from the cache, the session's statement only
    pageAgain: await statements(test, () => admin.get('/settings/users')),
    search: await statements(test, () => admin.get('/settings/users?q=person', { htmx: true })),
    // deep pages: after / before a boundary far into the large account, the same addresses at both sizes
    deepPage: await statements(test, () => admin.get(`/settings/users?after=${DEEP}`)),
    deepPageBack: await statements(test, () => admin.get(`/settings/users?before=${DEEP}`)),
    deepSearch: await statements(test, () => admin.get(`/settings/users?q=person&after=${DEEP}`, { htmx: true })),
    license: await statements(test, () => admin.post(`/settings/users/licenses/${personId}`, { license: 'none' }, { htmx: true })),
    licenseBack: await statements(test, () => admin.post(`/settings/users/licenses/${personId}`, { license: 'read_only' }), 303),
  };
}

t.test('/settings/users sends the same small number of SQL statements for 5 people and for 200', async (t) => {
  const test = await build(t);
  const admin = await signUp(test.app, { readWriteLicenses: '300' });
  const [account] = await test.db.select().from(accounts);
  const addPeople = (n: number) =>
    test.db.insert(persons).values(
      Array.from({ length: n }, (_, i) => {
        const id = newId();
        return { id, accountId: account!.id, name: `Person ${i} ${id}`, email: `p${i}.${id.toLowerCase()}@acme.test`, license: (['read_write', 'read_only', 'none'] as const)[i % 3] };
      }),
    ).returning({ id: persons.id });
  const [someone] = await addPeople(4);
  await admin.get('/settings/users'); // warm up (first-request work such as prepared statements is not the point)
  forgetCachedReads(); // ... but the page is measured as read, not as cached
  const small = await measure(test, admin, someone!.id);
  await addPeople(195);
  const large = await measure(test, admin, someone!.id);
  t.comment(`statements with 5 people: ${JSON.stringify(small)}; with 200 people: ${JSON.stringify(large)}`);
  t.same(large, small, 'independent of the number of people');
  t.ok(small.page <= 4, `the page: ${small.page} statements`);
  t.ok(small.search <= 4, `the search fragment: ${small.search} statements`);
  t.equal(small.deepPage, small.page, 'a deep page: as many statements as the first');
  t.equal(small.pageAgain, 1, 'the page again, nothing changed: the session statement only (the page from the cache)');
  t.equal(small.deepSearch, small.search, 'a deep page of a search: as many statements as its first');
});

const onlyPostgres = { skip: testDbKind !== 'postgres' && 'PGlite: no connection pool and plan cache to look at' };
t.test('on PostgreSQL, statements are prepared once per connection, the people searches included', onlyPostgres, async (t) => {
  const test = await build(t);
  const admin = await signUp(test.app);
  for (let i = 0; i < 8; i++) {
    t.equal((await admin.get('/settings/users?q=adm', { htmx: true })).statusCode, 200);
    t.equal((await admin.get('/settings/users?q=ad', { htmx: true })).statusCode, 200);
    t.equal((await admin.get('/settings/users')).statusCode, 200);
  }
  // One look at every pooled connection at once: the pool opens a connection per concurrent query.
  const looks = await Promise.all(
    Array.from({ length: 5 }, () => test.db.execute(sql`select statement from pg_prepared_statements, pg_sleep(0.05)`)),
  );
  const prepared = looks.flatMap((rows) => rowsOf<{ statement: string }>(rows).map((r) => r.statement));
  const has = (text: string) => prepared.some((s) => s.includes(text));
  t.ok(has('from "sessions" inner join "persons"'), 'the session lookup is prepared');
  t.ok(has('order by p.name, p.id limit'), 'the page listing is prepared');
  t.ok(has('search_text like'), 'the search by a run of three letters (trigram index) is prepared');
  t.ok(has('strpos(search_text'), 'the search by one or two letters (the account\'s rows) is prepared');
});
