import t from 'tap';
import { invalidDomainsMessage, isValidDomain, parseDomainList } from '../../src/licenses/domains.js';
import { InvitationSettingsForm, LicenseForm, SearchQuery } from '../../src/licenses/forms.js';
import { usersUrl } from '../../src/licenses/routes.js';
import { isLastWritingAdmin, isWritingAdmin, type License, needsSeat } from '../../src/licenses/rules.js';
import { lastSignInText, licenseSavedText, pagerText, peopleCount, seatSummary, seatSummaryText } from '../../src/licenses/summary.js';
import { encodeCursor } from '../../src/people/cursor.js';

t.test('isValidDomain', async (t) => {
  const cases: [string, boolean][] = [
    ['example.com', true],
    ['sub.example.co.uk', true],
    ['xn--bcher-kva.de', true],
    ['my-company.io', true],
    ['a.b', false], // one-letter TLD
    ['example', false],
    ['localhost', false],
    ['-example.com', false],
    ['example-.com', false],
    ['exa_mple.com', false],
    ['example..com', false],
    ['.example.com', false],
    ['example.com.', false],
    ['example.123', false],
    ['bücher.de', false],
    ['http://example.com', false],
    ['ada@example.com', false],
    [`${'a'.repeat(64)}.com`, false],
    [`${'a'.repeat(63)}.com`, true],
    [`${'abcdefghi.'.repeat(25)}com`, true], // 253 characters: the most a domain may have
    [`${'abcdefghi.'.repeat(25)}coms`, false],
    ['', false],
  ];
  for (const [domain, valid] of cases) t.equal(isValidDomain(domain), valid, JSON.stringify(domain));
});

t.test('parseDomainList: separators, lower case, leading @, duplicates, every bad entry', async (t) => {
  const cases: [string, string[], string[]][] = [
    ['', [], []],
    ['   \n ', [], []],
    ['example.com', ['example.com'], []],
    ['Example.COM, acme.test', ['example.com', 'acme.test'], []],
    ['a.test b.test\nc.test\r\nd.test;e.test,,f.test', ['a.test', 'b.test', 'c.test', 'd.test', 'e.test', 'f.test'], []],
    ['@acme.test', ['acme.test'], []],
    ['acme.test ACME.test @acme.test', ['acme.test'], []],
    ['good.test, Bad_One.test, localhost', ['good.test'], ['Bad_One.test', 'localhost']],
  ];
  for (const [text, domains, invalid] of cases) t.same(parseDomainList(text), { domains, invalid }, JSON.stringify(text));
});

t.test('invalidDomainsMessage names every bad entry', async (t) => {
  t.equal(invalidDomainsMessage(['localhost']), '“localhost” is not a valid domain. Enter domains like example.com');
  t.equal(invalidDomainsMessage(['a', 'b']), '“a” and “b” are not valid domains. Enter domains like example.com');
  t.equal(invalidDomainsMessage(['a', 'b', 'c']), '“a”, “b” and “c” are not valid domains. Enter domains like example.com');
  t.match(invalidDomainsMessage(['x'.repeat(100)]), `“${'x'.repeat(60)}…” is not`, 'long entries are shortened');
});

t.test('InvitationSettingsForm: normalised domains or one message for the field', async (t) => {
  const ok = InvitationSettingsForm.safeParse({ usersMayInvite: 'on', allowedDomains: 'A.test, b.test' });
  t.same(ok.data, { usersMayInvite: true, allowedDomains: ['a.test', 'b.test'] });
  t.same(InvitationSettingsForm.safeParse({}).data, { usersMayInvite: false, allowedDomains: [] }, 'empty means any domain');
  const bad = InvitationSettingsForm.safeParse({ allowedDomains: 'a.test nope' });
  t.same(bad.error?.issues.map((i) => [i.path, i.message]), [[['allowedDomains'], '“nope” is not a valid domain. Enter domains like example.com']]);
  const many = InvitationSettingsForm.safeParse({ allowedDomains: Array.from({ length: 101 }, (_, i) => `d${i}.test`).join(' ') });
  t.equal(many.error?.issues[0]?.message, 'Enter at most 100 domains');
  t.equal(InvitationSettingsForm.safeParse({ allowedDomains: ['a.test', 'b.test'] }).success, false, 'a repeated field is refused');
});

t.test('LicenseForm and SearchQuery', async (t) => {
  for (const license of ['read_only', 'read_write', 'none']) t.ok(LicenseForm.safeParse({ license }).success, license);
  for (const license of ['', 'admin', undefined]) {
    t.equal(LicenseForm.safeParse({ license }).error?.issues[0]?.message, 'Choose Read-Only, Read & Write or No Access', String(license));
  }
  const ada = encodeCursor({ name: 'Ada Admin', id: 'p1' });
  const cases: [Record<string, unknown>, { q: string; after?: string; before?: string }][] = [
    [{}, { q: '' }],
    [{ q: '  ada ', after: ada }, { q: 'ada', after: ada }],
    [{ before: ada }, { q: '', before: ada }],
    [{ q: ['a', 'b'], after: 'two' }, { q: '' }],
    [{ after: [ada, ada] }, { q: '' }],
    [{ after: ada, before: ada }, { q: '' }],
    [{ page: '3' }, { q: '' }],
    [{ q: 'x'.repeat(201) }, { q: '' }],
  ];
  for (const [query, expected] of cases) t.same(SearchQuery.parse(query), expected, JSON.stringify(query));
});

t.test('usersUrl keeps the search and adds the notice', async (t) => {
  t.equal(usersUrl({ q: '' }), '/settings/users');
  t.equal(usersUrl({ q: '' }, 'saved'), '/settings/users?notice=saved');
  const at = encodeCursor({ name: 'Zoë', id: 'x' });
  t.equal(usersUrl({ q: 'a&b c', after: at }, 'license-saved'), `/settings/users?q=a%26b+c&after=${at}&notice=license-saved`);
  t.equal(usersUrl({ q: '', before: at }), `/settings/users?before=${at}`);
});

t.test('who is the last administrator with Read & Write; who needs a seat', async (t) => {
  const cases: [boolean, License, number, boolean, boolean][] = [
    // isAdmin, license, other writing admins → writing admin?, last?
    [true, 'read_write', 0, true, true],
    [true, 'read_write', 1, true, false],
    [true, 'read_only', 0, false, false],
    [true, 'none', 0, false, false],
    [false, 'read_write', 0, false, false],
  ];
  for (const [isAdmin, license, others, writing, last] of cases) {
    const p = { isAdmin, license };
    t.equal(isWritingAdmin(p), writing, `writing ${JSON.stringify(p)}`);
    t.equal(isLastWritingAdmin(p, others), last, `last ${JSON.stringify(p)} with ${others} others`);
  }
  const seat: [License, License, boolean][] = [
    ['read_only', 'read_write', true],
    ['none', 'read_write', true],
    ['read_write', 'read_write', false],
    ['read_write', 'read_only', false],
    ['read_only', 'none', false],
  ];
  for (const [from, to, needs] of seat) t.equal(needsSeat({ isAdmin: false, license: from }, to), needs, `${from} → ${to}`);
});

t.test('seat summary wording', async (t) => {
  const cases: [number, number, string][] = [
    [3, 10, '3 of 10 Read & Write licenses distributed, 7 available'],
    [10, 10, '10 of 10 Read & Write licenses distributed, 0 available'],
    [1, 1, '1 of 1 Read & Write license distributed, 0 available'],
    [0, 5, '0 of 5 Read & Write licenses distributed, 5 available'],
    [12, 10, '12 of 10 Read & Write licenses distributed, 0 available'],
  ];
  for (const [distributed, seats, text] of cases) t.equal(seatSummaryText(distributed, seats), text);
  t.same(seatSummary({ read_write: 3, read_only: 1, none: 0 }, 10), {
    text: '3 of 10 Read & Write licenses distributed, 7 available',
    readOnly: 'Read-Only: 1 person',
    noAccess: 'No Access: 0 people',
    full: false,
  });
  t.equal(seatSummary({ read_write: 2, read_only: 0, none: 0 }, 2).full, true);
  t.same([0, 1, 2].map(peopleCount), ['0 people', '1 person', '2 people']);
  t.equal(peopleCount(10_011), '10,011 people', 'thousands are grouped');
  t.equal(licenseSavedText('Bea', 'read_write'), 'Saved. Bea has a Read & Write license now.');
  t.equal(licenseSavedText('Bea', 'read_only'), 'Saved. Bea has a Read-Only license now.');
  t.equal(licenseSavedText('Bea', 'none'), 'Saved. Bea has No Access now and is signed out everywhere.');
});

t.test('last sign-in', async (t) => {
  t.equal(lastSignInText(null), 'Never');
  t.equal(lastSignInText(new Date('2026-03-04T05:06:59Z')), '4 Mar 2026, 05:06 UTC');
});

t.test('pager wording: how many are shown of how many, or why none (keyset pages have no number)', async (t) => {
  const cases: [number | undefined, number, string, boolean, string][] = [
    // total, shown, q, reached by a cursor → text
    [0, 0, '', false, 'There are no people in this account yet.'],
    [0, 0, 'zed', false, 'No one matches “zed”.'],
    [1, 1, '', false, 'Showing 1 person'],
    [3, 3, 'a', false, 'Showing 3 people'],
    [640, 25, 'a', false, 'Showing 25 of 640 people'],
    [640, 25, 'a', true, 'Showing 25 of 640 people'],
    [10_011, 11, '', true, 'Showing 11 of 10,011 people'],
    [1_234, 1_234, '', false, 'Showing 1,234 people'],
    [undefined, 0, 'a', true, 'There are no more results.'],
    [45, 0, '', true, 'There are no more results.'],
  ];
  for (const [total, shown, q, paged, text] of cases) t.equal(pagerText(total, shown, q, paged), text, `${total} total, ${shown} shown, q=${q}, cursor ${paged}`);
});
