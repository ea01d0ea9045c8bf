// "Delete person" erases the person's personal data: their row goes, and with it every row that refers to them
// (found by walking the schema's foreign keys to persons); invitations they sent stay, without a sender; history
// entries stay (their ids read "Deleted person"); the account's export holds nothing of them afterwards.
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import t from 'tap';
import { ACCOUNT_DATA } from '../../src/account-data/tables.js';
import { createSealer, newId } from '../../src/crypto.js';
import { accounts, historyEntries, invitations, persons } from '../../src/db/schema.js';
import { signUp } from '../helpers/agent.js';
import { insertAccountRows } from '../helpers/account-rows.js';
import { build, TEST_APP_KEY } from '../helpers/build.js';
import { insertPerson } from '../helpers/factories.js';

const sealer = createSealer(Buffer.from(TEST_APP_KEY, 'hex'));

/** Every (table, column) whose foreign key points at persons. */
const referencesToPersons = ACCOUNT_DATA.owned.flatMap((table) =>
  getTableConfig(table.table).foreignKeys.flatMap((fk) => {
    const ref = fk.reference();
    return getTableConfig(ref.foreignTable).name === 'persons' ? ref.columns.map((column) => ({ table, column, onDelete: fk.onDelete })) : [];
  }),
);

t.test('deleting a person leaves no row that names them, keeps the invitations they sent and the history', async (t) => {
  const { app, db } = await build(t);
  const admin = await signUp(app);
  const [acme] = await db.select().from(accounts);
  const { rows } = await insertAccountRows(db, sealer, 'gone7', acme!.id);
  const gone = rows.persons as typeof persons.$inferSelect;
  t.ok(referencesToPersons.length >= 5, `${referencesToPersons.length} columns refer to persons`);
  for (const { table, column } of referencesToPersons) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table.table).where(eq(column, gone.id));
    t.ok(row!.n >= 1, `before: ${table.name}.${column.name} names the person`);
  }
  const invitee = await insertPerson(db, { name: 'Ivy Invitee', email: 'ivy@acme.test', license: 'none', invitationState: 'invited' });
  const sent = { id: newId(), accountId: acme!.id, personId: invitee.id, tokenHash: 'token-of-ivy', access: 'inherited' as const, invitedBy: gone.id, expiresAt: new Date(Date.now() + 86_400_000) };
  await db.insert(invitations).values(sent);
  await db.insert(historyEntries).values({ accountId: acme!.id, actorId: gone.id, kind: 'person.created', subjectType: 'person', subjectId: invitee.id });

  const res = await admin.post(`/people/${gone.id}/delete`, {});
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/people?notice=person-deleted');

  t.equal((await db.select().from(persons).where(eq(persons.id, gone.id))).length, 0, 'the person row is gone');
  for (const { table, column, onDelete } of referencesToPersons) {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(table.table).where(eq(column, gone.id));
    t.equal(row!.n, 0, `after: no ${table.name}.${column.name} names the person (${onDelete})`);
  }
  const [kept] = await db.select().from(invitations).where(eq(invitations.id, sent.id));
  t.equal(kept?.invitedBy, null, 'the invitation they sent stays, without a sender');
  t.equal(kept?.personId, invitee.id);
  const history = await db.select().from(historyEntries).where(eq(historyEntries.actorId, gone.id));
  t.equal(history.length >= 1, true, 'history entries stay, with the id that now reads "Deleted person"');

  const exported = (await admin.get('/settings/organization/export')).body;
  const personal = Object.keys(getTableColumns(persons))
    .map((k) => gone[k as keyof typeof gone])
    .filter((v): v is string => typeof v === 'string' && v !== acme!.id && v !== gone.id && !['read_write', 'accepted', 'none'].includes(v));
  t.ok(personal.length >= 4, 'name, email, sealed phone and reminder, …');
  for (const value of [...personal, 'opened-gone7-persons-phone_encrypted']) t.notOk(exported.includes(value), `the export holds nothing of them: ${value.slice(0, 24)}`);
});
