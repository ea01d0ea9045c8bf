import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Edsger', 'Margaret', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim', 'Hedy', 'Dennis', 'Anita', 'John'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Dijkstra', 'Hamilton', 'Knuth', 'Allen', 'Thompson', 'Perlman', 'Berners', 'Lamarr', 'Ritchie', 'Borg', 'Backus'];

/** Adds `count` people to the account of `adminEmail` in one statement; returns the account id. */
export async function seedPeople(url: string, adminEmail: string, count: number): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [admin] = await sql`select account_id from persons where email = ${adminEmail}`;
    const accountId = admin!.account_id as string;
    const rows = Array.from({ length: count }, (_, i) => {
      const first = FIRST[i % FIRST.length]!;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
      return {
        id: randomBytes(15).toString('base64url'),
        account_id: accountId,
        name: `${first} ${last} ${i}`,
        email: `${first}.${last}.${i}@bench.test`.toLowerCase(),
        license: i % 3 === 0 ? 'read_write' : i % 3 === 1 ? 'read_only' : 'none',
        invitation_state: i % 5 === 0 ? 'invited' : 'accepted',
      };
    });
    for (let i = 0; i < rows.length; i += 2000) await sql`insert into persons ${sql(rows.slice(i, i + 2000))}`;
    await sql`analyze persons`;
    return accountId;
  } finally {
    await sql.end();
  }
}
