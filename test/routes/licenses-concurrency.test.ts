import { and, count, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import type { Db } from '../../src/db/client.js';
import { accounts, persons } from '../../src/db/schema.js';
import { Agent, signUp } from '../helpers/agent.js';
import { build, buildSecondInstance } from '../helpers/build.js';
import { testDbKind } from '../helpers/db.js';
import { countsAndTruth } from '../helpers/factories.js';

const ALL_TAKEN = 'All Read &amp; Write licenses are distributed.';

async function insertPeople(db: Db, accountId: string, n: number, license: 'read_write' | 'read_only') {
  const rows = Array.from({ length: n }, (_, i) => {
    const id = newId();
    return { id, accountId, name: `${license} ${i}`, email: `${license}.${i}.${id.toLowerCase()}@acme.test`, license };
  });
  await db.insert(persons).values(rows);
  return rows.map((r) => r.id);
}

async function readWriteCount(db: Db, accountId: string) {
  const [row] = await db.select({ n: count() }).from(persons).where(and(eq(persons.accountId, accountId), eq(persons.license, 'read_write')));
  return row!.n;
}

/** The same signed-in administrator, as a browser whose requests a load balancer spreads over two instances. */
function sameBrowserOn(app: FastifyInstance, agent: Agent): Agent {
  const other = new Agent(app);
  other.cookies = new Map(agent.cookies);
  other.csrf = agent.csrf;
  return other;
}

t.test(`concurrent Read & Write assignments from two app instances never exceed the seats (${testDbKind})`, async (t) => {
  const first = await build(t);
  const second = await buildSecondInstance(t, first);
  const admin = await signUp(first.app, { readWriteLicenses: '10' });
  const [account] = await first.db.select().from(accounts);
  await insertPeople(first.db, account!.id, 3, 'read_write');
  const readers = await insertPeople(first.db, account!.id, 60, 'read_only');
  const free = 10 - (await readWriteCount(first.db, account!.id));
  t.equal(free, 6, '6 seats free for 60 requests');
  const agents = [admin, sameBrowserOn(second, admin)];
  const responses = await Promise.all(
    readers.map((id, i) => agents[i % 2]!.post(`/settings/users/licenses/${id}`, { license: 'read_write' })),
  );
  const saved = responses.filter((r) => r.statusCode === 303).length;
  const refused = responses.filter((r) => r.statusCode === 422 && r.body.includes(ALL_TAKEN)).length;
  t.comment(`${responses.length} concurrent assignments over ${first.url ? 'two instances' : 'one instance (PGlite)'}: ${saved} saved, ${refused} refused`);
  t.equal(saved, free, 'exactly the free seats were given');
  t.equal(refused, readers.length - free, 'every other request got the clear error');
  t.equal(await readWriteCount(first.db, account!.id), 10, 'the seats are used up, never exceeded');
  const { kept, real } = await countsAndTruth(first.db, account!.id);
  t.same(kept, real, "the account row's license counts agree with its people after the race");
});

t.test(`a concurrent subscription reduction and assignments can't over-distribute either (${testDbKind})`, async (t) => {
  const first = await build(t);
  const second = await buildSecondInstance(t, first);
  const admin = await signUp(first.app, { readWriteLicenses: '10' });
  const [account] = await first.db.select().from(accounts);
  await insertPeople(first.db, account!.id, 3, 'read_write');
  const readers = await insertPeople(first.db, account!.id, 20, 'read_only');
  const agents = [admin, sameBrowserOn(second, admin)];
  // Down to exactly the 4 seats distributed now: it can only succeed before any assignment does.
  const reduction = agents[1]!.post('/settings/organization/subscription', { edition: 'professional', readWriteLicenses: '4' });
  const assignments = readers.map((id, i) => agents[i % 2]!.post(`/settings/users/licenses/${id}`, { license: 'read_write' }));
  const [reduced, ...responses] = await Promise.all([reduction, ...assignments]);
  const saved = responses.filter((r) => r.statusCode === 303).length;
  const [after] = await first.db.select().from(accounts);
  const distributed = await readWriteCount(first.db, account!.id);
  t.comment(`reduction ${reduced!.statusCode}, ${saved} assignments saved; seats ${after!.readWriteLicenses}, distributed ${distributed}`);
  t.ok(distributed <= after!.readWriteLicenses, 'never more distributed than purchased');
  if (reduced!.statusCode === 303) t.same([after!.readWriteLicenses, saved, distributed], [4, 0, 4], 'reduction first: no seat left');
  else {
    t.equal(reduced!.statusCode, 422, 'reduction refused once a seat was given');
    t.same([after!.readWriteLicenses, saved, distributed], [10, 6, 10]);
  }
  t.ok(responses.every((r) => r.statusCode === 303 || (r.statusCode === 422 && r.body.includes(ALL_TAKEN))));
  const { kept, real } = await countsAndTruth(first.db, account!.id);
  t.same(kept, real, "the account row's license counts agree with its people after the race");
});
