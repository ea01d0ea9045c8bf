import { eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.js';
import { accounts, historyEntries, persons } from '../../src/db/schema.js';
import type { Agent } from './agent.js';
import { insertPerson } from './factories.js';

/**
 * The history the browser tests filter: 35 older renames of the organization (a second page), then, through the
 * real forms, Bea's license and administrator rights and Cy's license — 38 entries (pages of 25 and 13), the newest first on page 1.
 */
export async function insertHistoryFixture(db: Db, admin: Agent): Promise<void> {
  const [account] = await db.select().from(accounts);
  const [ada] = await db.select().from(persons).where(eq(persons.accountId, account!.id));
  const start = Date.now() - 40 * 86_400_000;
  await db.insert(historyEntries).values(
    Array.from({ length: 35 }, (_, i) => ({
      accountId: account!.id,
      createdAt: new Date(start + i * 3_600_000),
      actorId: ada!.id,
      kind: 'account.renamed',
      subjectType: 'account' as const,
      subjectId: account!.id,
      before: { name: `Acme ${i}` },
      after: { name: `Acme ${i + 1}` },
    })),
  );
  const bea = await insertPerson(db, { name: 'Bea Baker', email: 'bea@acme.test', license: 'read_only' });
  const cy = await insertPerson(db, { name: 'Cy Clark', email: 'cy@acme.test', license: 'read_only' });
  for (const [url, form] of [
    [`/settings/users/licenses/${cy.id}`, { license: 'none' }],
    [`/settings/users/licenses/${bea.id}`, { license: 'read_write' }],
    [`/people/${bea.id}/admin`, { admin: 'on' }],
  ] as const) {
    const res = await admin.post(url, form);
    if (res.statusCode !== 303) throw new Error(`${url}: ${res.statusCode}`);
  }
}
