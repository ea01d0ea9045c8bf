import t from 'tap';
import { z } from 'zod';
import { safeNext, SignupForm } from '../../src/auth/forms.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createSealer } from '../../src/crypto.js';
import { isTelemetryActive } from '../../src/privacy/privacy.js';
import { formWithErrors, parseForm } from '../../src/web/forms.js';
import { noticeText } from '../../src/web/notices.js';

t.test('config: defaults, and a clear message for each wrong value', async (t) => {
  const c = loadConfig({});
  t.equal(c.PORT, 3000);
  t.equal(c.baseUrl, 'http://localhost:3000');
  t.match(c.outboxDir, /data\/outbox$/);
  t.equal(c.secureCookies, false);
  t.equal(c.DATABASE_URL, undefined, 'PGlite unless DATABASE_URL is set');
  t.equal(c.DATABASE_POOL_SIZE, 10);
  t.equal(loadConfig({ DATABASE_POOL_SIZE: '4' }).DATABASE_POOL_SIZE, 4);
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /PORT: /],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must start with postgres:\/\//],
    [{ APP_KEY: 'short' }, /APP_KEY: must be 64 hexadecimal characters/],
    [{ NODE_ENV: 'production' }, /APP_KEY: is required when NODE_ENV=production/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL: must start with smtp:\/\//],
    [{ TRUST_PROXY: 'maybe' }, /TRUST_PROXY: /],
    [{ DATABASE_POOL_SIZE: '1' }, /DATABASE_POOL_SIZE: /],
    [{ DATABASE_POOL_SIZE: 'many' }, /DATABASE_POOL_SIZE: /],
  ];
  for (const [env, message] of cases) {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ConfigError, JSON.stringify(env));
    t.match((error as Error).message, message);
  }
  t.equal(loadConfig({ NODE_ENV: 'production', APP_KEY: 'a'.repeat(64) }).secureCookies, true);
  t.equal(loadConfig({ PORT: '' }).PORT, 3000, 'empty means unset');
});

t.test('sealer: AES-256-GCM round trip, random IVs, tampering detected', async (t) => {
  const s = createSealer(Buffer.alloc(32, 7));
  const a = s.seal('+44 20 7946 0958');
  t.not(a, s.seal('+44 20 7946 0958'), 'a fresh IV each time');
  t.equal(s.open(a), '+44 20 7946 0958');
  const parts = a.split('.');
  parts[3] = Buffer.from('tampered').toString('base64url');
  t.throws(() => s.open(parts.join('.')));
  t.throws(() => createSealer(Buffer.alloc(31)).seal('x'));
  t.throws(() => createSealer(Buffer.alloc(32, 1)).open(a), 'another key cannot open it');
});

t.test('telemetry is active only when the person opted in and the account allows it', async (t) => {
  const table: [boolean, boolean, boolean][] = [
    [false, false, false],
    [true, false, false],
    [false, true, false],
    [true, true, true],
  ];
  for (const [telemetry, privacyEnabled, expected] of table) {
    t.equal(isTelemetryActive({ telemetry }, { privacyEnabled }), expected, `telemetry=${telemetry} allowed=${privacyEnabled}`);
  }
});

t.test('only same-site paths are followed after sign-in', async (t) => {
  const table: [string | undefined, string][] = [
    [undefined, '/settings/personal'],
    ['/people?q=a', '/people?q=a'],
    ['//evil.test', '/settings/personal'],
    ['/\\evil.test', '/settings/personal'],
    ['https://evil.test', '/settings/personal'],
    ['javascript:alert(1)', '/settings/personal'],
    ['/\t/evil.test', '/settings/personal'],
    ['/\n/evil.test', '/settings/personal'],
    ['/\\/evil.test', '/settings/personal'],
    ['/a\nb', '/ab'],
    ['/.//evil.test', '/settings/personal'],
    ['/a/..//evil.test', '/settings/personal'],
    ['/%2e%2e//evil.test/x', '/settings/personal'],
    ['/people/../settings/users', '/settings/users'],
    ['/people/x y', '/people/x%20y'],
    ['/settings/users?q=a&page=2#results', '/settings/users?q=a&page=2#results'],
  ];
  for (const [next, expected] of table) t.equal(safeNext(next), expected, String(next));
});

t.test('forms: first message per field, in order; passwords never echoed', async (t) => {
  const f = formWithErrors({ a: 1 }, [
    { field: 'email', message: 'one' },
    { field: 'email', message: 'two' },
    { field: 'name', message: 'three' },
  ]);
  t.same(f.errors, { email: 'one', name: 'three' });
  t.same(f.summary.map((s) => s.field), ['email', 'name']);
  const parsed = parseForm(z.object({ email: z.email('bad email') }), { email: 'x', password: 'secret', _csrf: 'tok' });
  t.equal(parsed.ok, false);
  if (!parsed.ok) {
    t.same(parsed.form.values, { email: 'x' });
    t.equal(parsed.form.errors.email, 'bad email');
  }
});

t.test('sign-up form rules', async (t) => {
  const base = {
    organizationName: 'Acme', name: 'Ada', email: 'ada@acme.test', phone: '+1 (555) 010-9999', password: 'long enough pass',
    foundUs: 'other', edition: 'self_hosted', readWriteLicenses: '3',
  };
  t.equal(SignupForm.safeParse(base).success, true);
  t.equal(SignupForm.safeParse({ ...base, passwordReminder: '' }).success, true, 'reminder is optional');
  const bad: [Record<string, string>, string][] = [
    [{ phone: 'call me' }, 'phone'],
    [{ readWriteLicenses: '2.5' }, 'readWriteLicenses'],
    [{ edition: 'free' }, 'edition'],
    [{ foundUs: 'tv' }, 'foundUs'],
    [{ email: 'ada@' }, 'email'],
  ];
  for (const [change, field] of bad) {
    const r = SignupForm.safeParse({ ...base, ...change });
    t.equal(r.success, false, JSON.stringify(change));
    if (!r.success) t.equal(r.error.issues[0]!.path[0], field);
  }
});

t.test('notices: only known keys are shown', async (t) => {
  t.equal(noticeText('saved'), 'Saved');
  t.equal(noticeText('<script>'), undefined);
  t.equal(noticeText('constructor'), undefined);
  t.equal(noticeText(['saved']), undefined);
});
