// /privacy: the figures the policy quotes are the ones the code enforces, the contents link to real sections,
// and the page reads nothing from the database (the benchmark's bare route).
import t from 'tap';
import { RESET_LINK_HOURS } from '../../src/auth/accounts.js';
import { SESSION_COOKIE, SESSION_DAYS } from '../../src/auth/lucia.js';
import { INVITATION_DAYS } from '../../src/invitations/invitations.js';
import { CLEANUP_EVERY_MINUTES } from '../../src/jobs/cleanup.js';
import { count, every } from '../../src/privacy/policy.js';
import { SUPPORT_LIMIT } from '../../src/support/forms.js';
import { CSRF_COOKIE } from '../../src/web/security.js';
import { signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

/** The figures shown, by their data-fact name. */
function facts(body: string): Record<string, string> {
  return Object.fromEntries([...body.matchAll(/<span data-fact="([a-zA-Z]+)">([^<]*)<\/span>/g)].map((m) => [m[1]!, m[2]!]));
}

t.test('the retention figures shown are the code’s constants and the configuration’s values', async (t) => {
  const { app, stats } = await build(t);
  const before = stats.queries;
  const res = await app.inject({ method: 'GET', url: '/privacy' });
  t.equal(res.statusCode, 200);
  t.equal(stats.queries, before, 'no SQL statement: the page is the same for everyone');
  t.same(facts(res.body), {
    sessionDays: count(SESSION_DAYS, 'day'),
    sessionMinDays: count(SESSION_DAYS / 2, 'day'),
    resetLinkHours: count(RESET_LINK_HOURS, 'hour'),
    invitationDays: count(INVITATION_DAYS, 'day'),
    signInLimitMax: '10',
    signInWindow: count(15, 'minute'),
    supportLimitMax: String(SUPPORT_LIMIT.max),
    supportWindow: count(SUPPORT_LIMIT.windowMinutes, 'minute'),
    historyDays: count(30, 'day'),
    cleanupEvery: every(CLEANUP_EVERY_MINUTES),
  });
  t.equal(facts(res.body).historyDays, '30 days', 'HISTORY_RETENTION_DAYS defaults to 30');
  t.equal(facts(res.body).resetLinkHours, '1 hour');
  t.equal(facts(res.body).invitationDays, '7 days');
  t.match(res.body, `<code>${SESSION_COOKIE}</code>`);
  t.match(res.body, `<code>${CSRF_COOKIE}</code>`);
});

t.test('configured limits and retention show as configured', async (t) => {
  const { app } = await build(t, { HISTORY_RETENTION_DAYS: '45', LOGIN_RATE_LIMIT_MAX: '7', LOGIN_RATE_LIMIT_WINDOW_MINUTES: '20' });
  const shown = facts((await app.inject({ method: 'GET', url: '/privacy' })).body);
  t.equal(shown.historyDays, '45 days');
  t.equal(shown.signInLimitMax, '7');
  t.equal(shown.signInWindow, '20 minutes');
});

t.test('one h1, a table of contents whose links all reach a section, and the names of the self-service actions', async (t) => {
  const { app } = await build(t);
  const body = (await app.inject({ method: 'GET', url: '/privacy' })).body;
  t.equal(body.match(/<h1[ >]/g)?.length, 1, 'one h1');
  const contents = /<nav class="contents"[^>]*>([\s\S]*?)<\/nav>/.exec(body)![1]!;
  const targets = [...contents.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
  t.ok(targets.length >= 9, `${targets.length} sections listed`);
  for (const id of targets) t.match(body, new RegExp(`<h2 id="${id}">`), `#${id} is a section heading`);
  const ids = [...body.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
  t.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const words of ['Export account data', 'Delete organization', 'Delete person', 'Deleted person', 'Send telemetry data', 'argon2id', 'AES-256-GCM', 'HttpOnly', 'SameSite=Lax']) {
    t.match(body, words);
  }
  t.match(body, 'href="/support"', 'links to Contact support');
});

t.test('the footer links to Privacy and Contact support, signed in or not', async (t) => {
  const { app } = await build(t);
  const visitor = await app.inject({ method: 'GET', url: '/login' });
  t.match(visitor.body, /<footer class="site-footer">\s*<a href="\/privacy">Privacy<\/a>\s*<a href="\/support">Contact support<\/a>/);
  const admin = await signUp(app);
  t.match((await admin.get('/settings/personal')).body, '<a href="/support">Contact support</a>');
  t.match((await admin.get('/privacy')).body, '<h1>Privacy</h1>', 'the policy is the same for a signed-in person');
});
