import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { migrationsFolder, rowsOf, wrapPglite } from '../../src/db/client.js';
import { createPglite } from '../../src/db/pglite.js';
import { defaultRoles } from '../../src/permissions/roles.js';

/** A copy of drizzle/ that ends before the migration named `tag`. */
function foldersUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-migrations-'));
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  const upTo = journal.entries.findIndex((e) => e.tag === tag);
  journal.entries = journal.entries.slice(0, upTo);
  fs.mkdirSync(path.join(dir, 'meta'));
  fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
  for (const e of journal.entries) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return dir;
}

t.test('the permissions migration gives existing accounts the ten default roles and their first administrator "Create projects"', async (t) => {
  const pglite = await createPglite('memory://');
  t.teardown(() => pglite.close());
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const { drizzle } = await import('drizzle-orm/pglite');
  const before = foldersUpTo('0008_permissions_model');
  t.teardown(() => fs.rmSync(before, { recursive: true, force: true }));
  await migrate(drizzle(pglite), { migrationsFolder: before });
  await pglite.exec(`
    insert into accounts (id, name, edition, read_write_licenses) values ('a1', 'Old One', 'enterprise', 5), ('a2', 'Old Two', 'professional', 5);
    insert into persons (id, account_id, name, email, license, is_admin, created_at) values
      ('p1', 'a1', 'First', 'first@a1.test', 'read_write', true, '2025-01-01'),
      ('p2', 'a1', 'Second', 'second@a1.test', 'read_write', true, '2025-02-01'),
      ('p3', 'a2', 'Only', 'only@a2.test', 'read_write', true, '2025-01-01');`);
  const { db } = await wrapPglite(pglite); // the rest of the migrations, 0008 included
  const roles = rowsOf<{ account_id: string; n: number }>(await db.execute(sql`select account_id, count(*)::int as n from roles group by account_id order by 1`));
  t.same(roles, [{ account_id: 'a1', n: 10 }, { account_id: 'a2', n: 10 }]);
  const perms = rowsOf<{ role_key: string; permission: string }>(await db.execute(sql`select role_key, permission from role_permissions where account_id = 'a1'`));
  for (const r of defaultRoles()) {
    t.same(perms.filter((p) => p.role_key === r.key).map((p) => p.permission).sort(), [...r.permissions].sort(), `${r.key}: recommended permissions`);
  }
  const hidden = rowsOf<{ key: string }>(await db.execute(sql`select key from roles where account_id = 'a1' and not visible order by key`));
  t.same(hidden.map((r) => r.key), ['more1', 'more2', 'more3', 'more4', 'more5']);
  const grants = rowsOf<{ person_id: string }>(await db.execute(sql`select person_id from global_grants where permission = 'projects.create' order by 1`));
  t.same(grants.map((g) => g.person_id), ['p1', 'p3'], 'the earliest administrator of each account');
});
