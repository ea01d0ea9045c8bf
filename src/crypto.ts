import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const KEY_ID_BYTES = 6;

/** A short, stable name for a key (a hash of it, never the key): sealed values carry it, so opening picks the key. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('accord key id\0').update(key).digest().subarray(0, KEY_ID_BYTES).toString('base64url');
}

function checkKey(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('APP_KEY must be 32 bytes');
  return key;
}

function decrypt(key: Buffer, iv: string, tag: string, data: string, aad?: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * AES-256-GCM for personal data at rest (phone numbers, password reminders), with key rotation: `key` seals,
 * `previous` keys still open what they sealed. Format: v2.keyId.iv.tag.ciphertext (base64url; "v2.keyId" is
 * authenticated as associated data). Values from before key ids (v1.iv.tag.ciphertext) are tried with each key.
 */
export function createSealer(key: Buffer, previous: Buffer[] = []) {
  const current = keyId(checkKey(key));
  const keys = new Map<string, Buffer>([[current, key]]);
  for (const k of previous) if (!keys.has(keyId(checkKey(k)))) keys.set(keyId(k), k);
  return {
    /** the id of the key that seals */
    keyId: current,
    seal(plain: string): string {
      const iv = randomBytes(12);
      const header = `v2.${current}`;
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(header));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [header, ...[iv, cipher.getAuthTag(), data].map((p) => p.toString('base64url'))].join('.');
    },
    open(sealed: string): string {
      const parts = sealed.split('.');
      if (parts[0] === 'v2' && parts.length === 5) {
        const [, id, iv, tag, data] = parts as [string, string, string, string, string];
        const k = keys.get(id);
        if (!k) throw new Error(`sealed with a key that is neither APP_KEY nor in APP_KEY_PREVIOUS (key id ${id})`);
        return decrypt(k, iv, tag, data, `v2.${id}`);
      }
      if (parts[0] === 'v1' && parts.length === 4) {
        const [, iv, tag, data] = parts as [string, string, string, string];
        for (const k of keys.values()) {
          try {
            return decrypt(k, iv, tag, data);
          } catch {
            // GCM's tag check fails for a wrong key: try the next one
          }
        }
        throw new Error('sealed with a key that is neither APP_KEY nor in APP_KEY_PREVIOUS');
      }
      throw new Error('not a sealed value');
    },
    /** Whether a sealed value was sealed under another key than APP_KEY (or before key ids): rotation re-seals it. */
    isStale(sealed: string): boolean {
      return !sealed.startsWith(`v2.${current}.`);
    },
  };
}
export type Sealer = ReturnType<typeof createSealer>;

/** The app's sealer: APP_KEY (or the development key) seals, APP_KEY_PREVIOUS still opens. */
export function createAppSealer(config: { APP_KEY?: string; APP_KEY_PREVIOUS: string[]; dataDir: string }): Sealer {
  return createSealer(
    resolveAppKey(config.APP_KEY, config.dataDir),
    config.APP_KEY_PREVIOUS.map((hex) => Buffer.from(hex, 'hex')),
  );
}

/** APP_KEY when set; otherwise (development) a key generated once and kept in the data folder. */
export function resolveAppKey(appKey: string | undefined, dataDir: string): Buffer {
  if (appKey) return Buffer.from(appKey, 'hex');
  const file = path.join(dataDir, 'app-key');
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
  fs.mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  fs.writeFileSync(file, key.toString('hex'), { mode: 0o600 });
  return key;
}

/** A random URL-safe token and the SHA-256 hash that is all the database keeps of it. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newId(): string {
  return randomBytes(15).toString('base64url');
}
