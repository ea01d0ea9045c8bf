import t from 'tap';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createSealer, keyId } from '../../src/crypto.js';
import { sealV1 } from '../helpers/legacy-seal.js';

const OLD = Buffer.alloc(32, 1);
const OLDER = Buffer.alloc(32, 2);
const NEW = Buffer.alloc(32, 3);

t.test('sealed values name their key; APP_KEY seals, previous keys still open', async (t) => {
  const old = createSealer(OLD);
  const rotated = createSealer(NEW, [OLD, OLDER]);
  const sealedOld = old.seal('+44 20 7946 0958');
  t.match(sealedOld, new RegExp(`^v2\\.${keyId(OLD)}\\.`), 'the key id follows the version');
  t.equal(keyId(OLD).length, 8);
  t.not(keyId(OLD), keyId(NEW));
  t.equal(rotated.open(sealedOld), '+44 20 7946 0958', 'a previous key opens what it sealed');
  t.match(rotated.seal('x'), new RegExp(`^v2\\.${keyId(NEW)}\\.`), 'the new key seals');
  t.equal(rotated.open(createSealer(OLDER).seal('older')), 'older');
  t.ok(rotated.isStale(sealedOld));
  t.notOk(rotated.isStale(rotated.seal('x')));
  t.throws(() => createSealer(NEW).open(sealedOld), /neither APP_KEY nor in APP_KEY_PREVIOUS \(key id /, 'without the previous key: a clear error');
});

t.test('values sealed before key ids (v1) still open with whichever key sealed them', async (t) => {
  const rotated = createSealer(NEW, [OLDER, OLD]);
  t.equal(rotated.open(sealV1(OLD, 'reminder')), 'reminder');
  t.equal(rotated.open(sealV1(NEW, 'current')), 'current');
  t.ok(rotated.isStale(sealV1(NEW, 'current')), 'a v1 value is re-sealed even under the current key');
  t.throws(() => createSealer(NEW).open(sealV1(OLD, 'x')), /neither APP_KEY nor in APP_KEY_PREVIOUS/);
  t.throws(() => rotated.open('v3.a.b.c'), /not a sealed value/);
});

t.test('the key id is authenticated: changing it, or any other part, fails', async (t) => {
  const s = createSealer(NEW, [OLD]);
  const parts = s.seal('secret').split('.');
  t.throws(() => s.open([parts[0], keyId(OLD), ...parts.slice(2)].join('.')), 'another key id');
  const data = parts.slice();
  data[4] = Buffer.from('tampered').toString('base64url');
  t.throws(() => s.open(data.join('.')), 'tampered ciphertext');
});

t.test('APP_KEY_PREVIOUS: comma-separated 64-hex keys, a clear error for a bad one', async (t) => {
  const a = 'a'.repeat(64);
  const b = 'B'.repeat(64);
  t.same(loadConfig({}).APP_KEY_PREVIOUS, [], 'none by default');
  t.same(loadConfig({ APP_KEY_PREVIOUS: `${a}, ${b},` }).APP_KEY_PREVIOUS, [a, b], 'spaces and a trailing comma are fine');
  const cases: [string, RegExp][] = [
    ['not-a-key', /APP_KEY_PREVIOUS: key 1 of 1 is not 64 hexadecimal characters/],
    [`${a},${'g'.repeat(64)}`, /APP_KEY_PREVIOUS: key 2 of 2 is not 64 hexadecimal characters/],
    [`${a};${b}`, /APP_KEY_PREVIOUS: key 1 of 1 is not/],
    [a.slice(1), /APP_KEY_PREVIOUS: key 1 of 1 is not/],
  ];
  for (const [value, message] of cases) {
    let error: unknown;
    try {
      loadConfig({ APP_KEY_PREVIOUS: value });
    } catch (e) {
      error = e;
    }
    t.ok(error instanceof ConfigError, value);
    t.match((error as Error).message, message);
  }
});
