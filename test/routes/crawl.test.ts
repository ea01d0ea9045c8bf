// Crawls every page a person can reach by following links, as several people of one account, and asserts that no
// page links to an address that answers that person 403 or 404 (SPEC §6: what a person can't use is not shown).
// The account has every level of grant: global, division, roles directly and through groups, in Enterprise Plus.
import t, { type Test } from 'tap';
import { eq } from 'drizzle-orm';
import { newId } from '../../src/crypto.js';
import { accounts, divisionGrants, divisions, globalGrants, groupMembers, projectRoles, projects, userGroups } from '../../src/db/schema.js';
import { type Agent, signIn } from '../helpers/agent.js';
import { insertPerson } from '../helpers/factories.js';
import { signedUpAccount } from '../helpers/signed-up.js';

/** The same-origin links of a page (href of <a>), without fragments; downloads and sign-out excluded. */
function linksOf(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\bhref="([^"#]*)(?:#[^"]*)?"/g)) {
    const href = m[1]!.replace(/&amp;/g, '&');
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    if (href.startsWith('/public/') || href.startsWith('/vendor/')) continue;
    out.add(href);
  }
  return [...out];
}

/** A URL's shape, to visit a bounded number of each (people pages, cursors, searches…). */
const shape = (url: string) => url.replace(/\?.*$/, '?…').replace(/\/[A-Za-z0-9_-]{20}(?=\/|$|\?)/g, '/:id');

async function crawl(t: Test, who: string, agent: Agent, opts: { maxPages?: number; perShape?: number } = {}) {
  const maxPages = opts.maxPages ?? 250;
  const perShape = opts.perShape ?? 4;
  const seen = new Set<string>(['/']);
  const shapes = new Map<string, number>();
  const queue: { url: string; from: string }[] = [{ url: '/', from: '(start)' }];
  const bad: string[] = [];
  let visited = 0;
  while (queue.length && visited < maxPages) {
    const { url, from } = queue.shift()!;
    let res = await agent.get(url);
    let hops = 0;
    while ((res.statusCode === 302 || res.statusCode === 303) && hops++ < 3) res = await agent.get(String(res.headers.location));
    visited++;
    if (res.statusCode !== 200) {
      bad.push(`${url} answers ${res.statusCode} (linked from ${from})`);
      continue;
    }
    if (!String(res.headers['content-type']).startsWith('text/html')) continue;
    for (const link of linksOf(res.body)) {
      if (seen.has(link)) continue;
      const s = shape(link);
      if ((shapes.get(s) ?? 0) >= perShape) continue;
      seen.add(link);
      shapes.set(s, (shapes.get(s) ?? 0) + 1);
      queue.push({ url: link, from: url });
    }
  }
  t.same(bad, [], `${who}: no link to a page that answers 403 or 404 (${visited} pages visited)`);
  return seen;
}

t.test('no page links a person to an address that refuses them', async (t) => {
  const { db, app, admin, account, ada } = await signedUpAccount(t);
  await db.update(accounts).set({ edition: 'enterprise_plus' }).where(eq(accounts.id, account.id));
  const members = {
    writer: await insertPerson(db, { name: 'Wes Writer', email: 'wes@acme.test', password: 'member password 1' }),
    reader: await insertPerson(db, { name: 'Rea Reader', email: 'rea@acme.test', license: 'read_only', password: 'member password 1' }),
    grouped: await insertPerson(db, { name: 'Gus Grouped', email: 'gus@acme.test', password: 'member password 1' }),
    divided: await insertPerson(db, { name: 'Dot Divided', email: 'dot@acme.test', password: 'member password 1' }),
    nothing: await insertPerson(db, { name: 'Nat Nothing', email: 'nat@acme.test', password: 'member password 1' }),
  };
  const sales = newId();
  await db.insert(divisions).values({ id: sales, accountId: account.id, name: 'Sales' });
  const designers = newId();
  await db.insert(userGroups).values({ id: designers, accountId: account.id, name: 'Designers' });
  await db.insert(groupMembers).values([members.grouped.id, members.writer.id].map((personId) => ({ accountId: account.id, groupId: designers, personId })));
  const [apollo, zeus, hermes] = [newId(), newId(), newId()];
  await db.insert(projects).values([
    { id: apollo, accountId: account.id, name: 'Apollo', divisionId: sales, createdBy: ada.id },
    { id: zeus, accountId: account.id, name: 'Zeus', createdBy: ada.id },
    { id: hermes, accountId: account.id, name: 'Hermes', divisionId: sales, createdBy: ada.id },
  ]);
  await db.insert(projectRoles).values([
    { accountId: account.id, projectId: apollo, roleKey: 'managers', personId: ada.id },
    { accountId: account.id, projectId: apollo, roleKey: 'team', personId: members.writer.id },
    { accountId: account.id, projectId: zeus, roleKey: 'customers', personId: members.reader.id },
    { accountId: account.id, projectId: zeus, roleKey: 'partners', groupId: designers },
    { accountId: account.id, projectId: hermes, roleKey: 'managers', personId: members.writer.id },
  ]);
  await db.insert(divisionGrants).values({ accountId: account.id, personId: members.divided.id, divisionId: sales, permission: 'time.read' });
  await db.insert(globalGrants).values({ accountId: account.id, personId: members.writer.id, permission: 'documents.read' });

  const reached: Record<string, Set<string>> = { administrator: await crawl(t, 'administrator', admin, { maxPages: 400 }) };
  for (const [who, person] of Object.entries(members)) {
    const agent = await signIn(app, person.email, 'member password 1');
    reached[who] = await crawl(t, who, agent);
  }
  // the crawl reaches the permission pages, so its verdict covers them
  const has = (who: string, url: string) => t.ok(reached[who]!.has(url), `${who} reached ${url}`);
  const lacks = (who: string, url: string) => t.notOk(reached[who]!.has(url), `${who} is not linked to ${url}`);
  for (const url of ['/settings/users/roles', '/settings/users/global', '/settings/users/divisions', '/settings/users/groups', '/settings/users/access', '/projects', `/projects/${apollo}`]) has('administrator', url);
  has('writer', `/projects/${apollo}/tasks`);
  has('writer', `/projects/${hermes}/manage`);
  lacks('writer', `/projects/${apollo}/manage`);
  has('grouped', `/projects/${zeus}`);
  lacks('grouped', `/projects/${apollo}`);
  has('divided', `/projects/${apollo}/time`);
  lacks('divided', `/projects/${zeus}`);
  lacks('nothing', `/projects/${zeus}`);
  lacks('reader', '/settings/users');
});
