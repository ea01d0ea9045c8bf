import { and, eq, inArray } from 'drizzle-orm';
import fc from 'fast-check';
import t from 'tap';
import { newId } from '../../src/crypto.js';
import { accounts, persons } from '../../src/db/schema.js';
import { build } from '../helpers/build.js';
import { countsAndTruth } from '../helpers/factories.js';
import { testDbKind } from '../helpers/db.js';

const LICENSES = ['read_write', 'read_only', 'none'] as const;
const op = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), licenses: fc.array(fc.constantFrom(...LICENSES), { minLength: 1, maxLength: 5 }) }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), license: fc.constantFrom(...LICENSES) }),
  fc.record({ kind: fc.constant('changeAll' as const), license: fc.constantFrom(...LICENSES) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('touch' as const) }),
  fc.record({ kind: fc.constant('rollback' as const), license: fc.constantFrom(...LICENSES) }),
);

t.test(`the license counts on the account row follow every insert, change and delete of people (${testDbKind})`, async (t) => {
  const { db } = await build(t);
  const other = newId();
  await db.insert(accounts).values({ id: other, name: 'Other', edition: 'professional', readWriteLicenses: 5 });
  await db.insert(persons).values({ id: newId(), accountId: other, name: 'Bystander', email: 'b@other.test', license: 'read_only' });
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      const accountId = newId();
      await db.insert(accounts).values({ id: accountId, name: `Run ${runs++}`, edition: 'professional', readWriteLicenses: 5 });
      const ids = async () => (await db.select({ id: persons.id }).from(persons).where(eq(persons.accountId, accountId)).orderBy(persons.id)).map((r) => r.id);
      for (const o of ops) {
        const existing = await ids();
        if (o.kind === 'insert') {
          await db.insert(persons).values(o.licenses.map((license) => ({ id: newId(), accountId, name: 'P', email: `${newId().toLowerCase()}@x.test`, license })));
        } else if (o.kind === 'change' && existing.length) {
          await db.update(persons).set({ license: o.license }).where(eq(persons.id, existing[o.pick % existing.length]!));
        } else if (o.kind === 'changeAll') {
          await db.update(persons).set({ license: o.license }).where(eq(persons.accountId, accountId));
        } else if (o.kind === 'delete' && existing.length) {
          const start = o.pick % existing.length;
          await db.delete(persons).where(and(eq(persons.accountId, accountId), inArray(persons.id, existing.slice(start, start + o.count))));
        } else if (o.kind === 'touch') {
          await db.update(persons).set({ telemetry: true, lastSignInAt: new Date() }).where(eq(persons.accountId, accountId));
        } else if (o.kind === 'rollback') {
          await db
            .transaction(async (tx) => {
              await tx.insert(persons).values({ id: newId(), accountId, name: 'Gone', email: `${newId().toLowerCase()}@x.test`, license: o.license });
              await tx.update(persons).set({ license: o.license }).where(eq(persons.accountId, accountId));
              throw new Error('roll back');
            })
            .catch(() => {});
        }
      }
      const { kept, real } = await countsAndTruth(db, accountId);
      return kept.read_write === real.read_write && kept.read_only === real.read_only && kept.none === real.none;
    }),
    { numRuns: 40 },
  );
  const bystander = await countsAndTruth(db, other);
  t.same(bystander.kept, bystander.real, "another account's counts are untouched");
  t.same(bystander.kept, { read_write: 0, read_only: 1, none: 0 });
});

t.test(`deleting an account deletes its people and the counters do not get in the way (${testDbKind})`, async (t) => {
  const { db } = await build(t);
  const accountId = newId();
  await db.insert(accounts).values({ id: accountId, name: 'Doomed', edition: 'professional', readWriteLicenses: 5 });
  await db.insert(persons).values(LICENSES.map((license) => ({ id: newId(), accountId, name: 'P', email: `${newId().toLowerCase()}@x.test`, license })));
  await db.delete(accounts).where(eq(accounts.id, accountId));
  t.equal((await db.select().from(persons).where(eq(persons.accountId, accountId))).length, 0);
});
