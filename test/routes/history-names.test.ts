import t from 'tap';
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, persons, userGroups } from '../../src/db/schema.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

t.test('the history shows the current names of the people, groups, divisions and roles an entry refers to', async (t) => {
  const { db, admin, account, stats } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise' }).where(eq(accounts.id, account.id));
  const bo = await insertPerson(db, { name: 'Bo Brown' });
  const group = newId();
  await db.insert(userGroups).values({ id: group, accountId: account.id, name: 'Designers' });
  t.equal((await admin.post(`/settings/users/groups/${group}/members`, { person: bo.id })).statusCode, 303);
  t.equal((await admin.post('/settings/divisions', { name: 'Sales' })).statusCode, 303);
  const division = (await admin.get('/settings/divisions')).body.match(/href="\/settings\/divisions\/([^"]+)">Sales/)![1]!;
  t.equal((await admin.post('/settings/users/divisions', { person: bo.id, division, 'tasks.read': 'on' })).statusCode, 303);

  const before = stats.queries;
  const page = await admin.get('/settings/history');
  const statements = stats.queries - before;
  t.match(page.body, /Members: Bo Brown/);
  t.match(page.body, /Division: Sales/);
  t.notMatch(page.body, new RegExp(`(Members|Person|Division): [^<]*${bo.id}`), 'no ids in Before and After');
  const csv = await admin.get('/settings/history/export');
  t.match(csv.body, /Members: Bo Brown/);

  await db.update(userGroups).set({ name: 'Design team' }).where(eq(userGroups.id, group));
  await db.delete(persons).where(eq(persons.id, bo.id));
  const later = await admin.get('/settings/history');
  t.match(later.body, /Members: Deleted person/, 'an erased person is "Deleted person"');
  t.match(later.body, /Design team/, 'the current name of the group');
  const again = stats.queries;
  await admin.get('/settings/history');
  t.equal(stats.queries - again, statements, 'the same statements');
});
