// "Your data": the schema walk finds every account-owned table, every column is classified for the export, the
// export holds each row of one account and nothing of another or of any secret, and the deletion removes every row
// of the account in one transaction (a failure half-way leaves everything as it was).
import { eq, getTableColumns, is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import t from 'tap';
import { COLUMN_RULES, unclassifiedColumns } from '../../src/account-data/column-rules.js';
import { deleteAccount } from '../../src/account-data/delete.js';
import { exportAccountData, exportFileName } from '../../src/account-data/export.js';
import { ACCOUNT_DATA, NOT_ACCOUNT_DATA } from '../../src/account-data/tables.js';
import { createSealer } from '../../src/crypto.js';
import { type Db, rowsOf } from '../../src/db/client.js';
import * as schema from '../../src/db/schema.js';
import { accountRowCounts, insertAccountRows, SECRET_MARK } from '../helpers/account-rows.js';
import { build, TEST_APP_KEY } from '../helpers/build.js';

const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));
const { root, owned } = ACCOUNT_DATA;

async function exportText(db: Db, accountId: string): Promise<string> {
  let text = '';
  for await (const chunk of exportAccountData(db, sealer, accountId)) text += chunk;
  return text;
}

t.test('the walk finds every table with an account_id, in the schema and in the migrated database', async (t) => {
  const { db } = await build(t);
  const inSchema = (Object.values(schema) as unknown[])
    .filter((v): v is PgTable => is(v, PgTable))
    .map((table) => getTableConfig(table))
    .filter((c) => c.columns.some((col) => col.name === 'account_id'))
    .map((c) => c.name);
  const inDatabase = rowsOf<{ table_name: string }>(
    await db.execute(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'account_id'`),
  ).map((r) => r.table_name);
  const walked = owned.map((table) => table.name);
  // the cached reads' version stamps are the only tables with an account_id left out, on purpose
  const stamps = NOT_ACCOUNT_DATA.map((table) => getTableConfig(table).name);
  t.same(stamps.sort(), ['access_versions', 'people_list_versions', 'section_versions']);
  t.same([...walked, ...stamps].sort(), [...inSchema].sort());
  t.same([...walked, ...stamps].sort(), [...inDatabase].sort(), 'no table is made by a migration alone');
  t.ok(walked.indexOf('persons') < walked.indexOf('sessions'), 'parents before children');
  for (const table of owned) for (const parent of table.parents) t.ok(walked.indexOf(parent) < walked.indexOf(table.name), `${parent} before ${table.name}`);
});

t.test('every column of the account and its tables is classified: exported, secret, derived or opened', async (t) => {
  for (const table of [root, ...owned]) t.same(unclassifiedColumns(table.name, table.columns), [], `${table.name}: classify these in src/account-data/column-rules.ts`);
  const tables = new Map([root, ...owned].map((table) => [table.name, new Set(table.columns.map((c) => c.name))]));
  for (const [name, rules] of Object.entries(COLUMN_RULES)) {
    const named = [...rules.export, ...(rules.secret ?? []), ...(rules.derived ?? []), ...Object.keys(rules.open ?? {})];
    t.same(named.filter((c) => !tables.get(name)?.has(c)), [], `${name}: the rules name only columns that exist`);
    t.equal(new Set(named).size, named.length, `${name}: each column in one kind only`);
  }
  t.same(COLUMN_RULES.persons!.secret, ['password_hash', 'two_step_secret', 'two_step_last_step'], 'the two-step secret never leaves, not even opened');
  t.same(COLUMN_RULES.recovery_codes!.secret, ['code_hash']);
  t.same(COLUMN_RULES.two_step_challenges!.secret, ['token_hash']);
  t.same(COLUMN_RULES.sessions!.secret, ['id']);
  t.same(Object.keys(COLUMN_RULES.persons!.open!), ['phone_encrypted', 'reminder_encrypted']);
});

t.test('the export holds every row of the account, none of another, no secret, sealed values opened', async (t) => {
  const { db } = await build(t);
  const a = await insertAccountRows(db, sealer, 'alpha7');
  const b = await insertAccountRows(db, sealer, 'bravo7');
  const text = await exportText(db, a.accountId);
  const data = JSON.parse(text) as { format: string; version: number; account: Record<string, unknown>; tables: Record<string, Record<string, unknown>[]> };
  t.equal(data.format, 'accord-account-export');
  t.equal(data.account.id, a.accountId);
  t.same(Object.keys(data.tables), owned.map((table) => table.name), 'every account-owned table');
  t.notOk(text.includes('bravo7'), 'nothing of the other account');
  t.notOk(text.includes(b.accountId));
  t.notOk(text.includes(SECRET_MARK), 'no secret value');
  for (const table of owned) {
    t.equal(data.tables[table.name]!.length, 1, `${table.name}: the account's row`);
    const exported = data.tables[table.name]![0]!;
    const inserted = a.rows[table.name]!;
    for (const [property, column] of Object.entries(getTableColumns(table.table))) {
      const rules = COLUMN_RULES[table.name]!;
      const stored = inserted[property];
      if (rules.secret?.includes(column.name) || rules.derived?.includes(column.name)) {
        t.notOk(column.name in exported, `${table.name}.${column.name} is left out`);
        if (typeof stored === 'string') t.notOk(text.includes(stored), `${table.name}.${column.name}: its value appears nowhere`);
      } else if (rules.open?.[column.name]) {
        t.equal(exported[rules.open[column.name]!], `opened-alpha7-${table.name}-${column.name}`, `${table.name}.${column.name} opened`);
        t.notOk(text.includes(stored as string), `${table.name}.${column.name}: the ciphertext appears nowhere`);
      } else {
        t.same(exported[column.name], JSON.parse(JSON.stringify(stored)), `${table.name}.${column.name}`);
      }
    }
  }
});

t.test('the export reads each table in keyset batches: many statements for many rows, each row once', async (t) => {
  const { db, stats } = await build(t);
  const a = await insertAccountRows(db, sealer, 'alpha7');
  await db.insert(schema.persons).values(
    Array.from({ length: 1_234 }, (_, i) => ({ id: `p${String(i).padStart(5, '0')}`, accountId: a.accountId, name: `P ${i}`, email: `p${i}@x.test` })),
  );
  const before = stats.queries;
  let chunks = 0;
  let text = '';
  for await (const chunk of exportAccountData(db, sealer, a.accountId)) {
    chunks++;
    text += chunk;
  }
  const persons = (JSON.parse(text) as { tables: { persons: { id: string }[] } }).tables.persons;
  t.equal(persons.length, 1_235);
  t.equal(new Set(persons.map((p) => p.id)).size, 1_235, 'no row twice');
  // the account row, 3 batches of persons (500, 500, 235), one batch per other table
  t.equal(stats.queries - before, 1 + 3 + owned.length - 1);
  t.ok(chunks > 3 + owned.length, `${chunks} pieces written`);
});

t.test('a keyset of timestamps with microseconds and equal times pages exactly: each row once', async (t) => {
  const { db } = await build(t);
  const a = await insertAccountRows(db, sealer, 'alpha7');
  const person = (a.rows.persons as { id: string }).id;
  // 1,100 events, in runs of 4 at the same microsecond: a cursor rounded to milliseconds would repeat or skip rows
  await db.execute(sql`insert into usage_events (account_id, person_id, page, created_at)
    select ${a.accountId}, ${person}, 'p' || i, timestamptz '2030-01-01 00:00:00.000001+00' + (i / 4) * interval '1 microsecond'
    from generate_series(1, 1100) as i`);
  const events = (JSON.parse(await exportText(db, a.accountId)) as { tables: { usage_events: { id: number }[] } }).tables.usage_events;
  t.equal(events.length, 1_101);
  t.equal(new Set(events.map((e) => e.id)).size, 1_101);
  const usage = owned.find((table) => table.name === 'usage_events')!;
  t.same([usage.indexed, usage.keyset.map((c) => c.name)], [true, ['created_at', 'id']], 'read along the (account_id, created_at) index');
});

t.test('the file name: the organization as a slug and the date', async (t) => {
  const day = new Date('2026-03-04T10:00:00Z');
  t.equal(exportFileName('Zoë & Sons, Ltd.', day), 'accord-zoe-sons-ltd-2026-03-04.json');
  t.equal(exportFileName('中文 "quoted"', day), 'accord-quoted-2026-03-04.json');
  t.equal(exportFileName('中文', day), 'accord-organization-2026-03-04.json');
});

t.test('deleting an account removes every row it owns and nothing of another account', async (t) => {
  const { db } = await build(t);
  const a = await insertAccountRows(db, sealer, 'alpha7');
  await insertAccountRows(db, sealer, 'alpha8', a.accountId); // two rows per table, one of them a parent's second child
  const b = await insertAccountRows(db, sealer, 'bravo7');
  const bBefore = await accountRowCounts(db, b.accountId);
  t.ok(Object.values(await accountRowCounts(db, a.accountId)).every((n) => n >= 1), 'the account has a row in every table');
  const deleted = await deleteAccount(db, a.accountId);
  t.equal(deleted!.persons, 2);
  const after = await accountRowCounts(db, a.accountId);
  t.same(after, Object.fromEntries(Object.keys(after).map((k) => [k, 0])), 'no row of the account is left');
  t.same(await accountRowCounts(db, b.accountId), bBefore, 'the other account is untouched');
  t.equal(await deleteAccount(db, a.accountId), undefined, 'a second deletion finds nothing');
});

t.test('a failure half-way through the deletion leaves everything as it was', async (t) => {
  const { db } = await build(t);
  const a = await insertAccountRows(db, sealer, 'alpha7');
  const before = await accountRowCounts(db, a.accountId);
  const [account] = await db.select().from(schema.accounts).where(eq(schema.accounts.id, a.accountId));
  // persons are deleted after every table that references them: by then sessions, invitations … are gone
  await db.execute(sql.raw(`create function fail_half_way() returns trigger language plpgsql as $$
    begin raise exception 'injected failure, sessions left: %', (select count(*) from sessions); end $$`));
  await db.execute(sql.raw(`create trigger fail_half_way before delete on persons for each statement execute function fail_half_way()`));
  const failure = await deleteAccount(db, a.accountId).then(() => undefined, (err: Error) => err);
  t.match(String((failure?.cause as Error | undefined)?.message ?? failure?.message), 'injected failure, sessions left: 0', 'it failed after other tables were emptied');
  t.same(await accountRowCounts(db, a.accountId), before, 'every row is still there');
  t.same((await db.select().from(schema.accounts).where(eq(schema.accounts.id, a.accountId)))[0], account, 'the account row too, counts included');
});
