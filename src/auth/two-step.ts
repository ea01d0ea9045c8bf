import { createHash, randomBytes } from 'node:crypto';
import { and, count, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { FastifyReply } from 'fastify';
import type { Sealer } from '../crypto.js';
import { hashToken, newToken } from '../crypto.js';
import type { Db, Tx } from '../db/client.js';
import { persons, recoveryCodes, sessions, twoStepChallenges } from '../db/schema.js';
import { type Actor, recordHistory } from '../history/record.js';
import { now } from '../web/clock.js';

/** Personal, "Two-step verification": set it up, see it, make new recovery codes, turn it off. */
export const TWO_STEP_PAGE = '/settings/personal/two-step';

/** The cookie that names a half-signed-in state (sent only to the second step's page). */
export const TWO_STEP_CHALLENGE_COOKIE = 'accord_two_step';

/** The half-signed-in state (password right, code not yet entered) lasts this long. */
export const TWO_STEP_MINUTES = 5;
/** Wrong codes one half-signed-in state accepts before it ends (each also counts against the address's attempts). */
export const TWO_STEP_FAILURES = 5;
export const RECOVERY_CODE_COUNT = 10;
/** RFC 6238 defaults, which every authenticator app supports. */
const PERIOD = 30;
const DIGITS = 6;
/** A code of the step before or after the server's is accepted too (clocks drift, people type slowly). */
const WINDOW = 1;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** The person's state as requests see it (src/auth/lucia.ts loads both with the session). */
export interface TwoStepPerson {
  isAdmin: boolean;
  twoStepOn: boolean;
  twoStepMustSetUp: boolean;
}

/**
 * Whether the person must set up two-step verification before doing anything else: it is off and their organization
 * requires it (of administrators, or of everyone), or an administrator reset theirs.
 */
export function mustSetUpTwoStep(person: TwoStepPerson, account: { twoStepForAdmins: boolean; twoStepForEveryone: boolean }): boolean {
  if (person.twoStepOn) return false;
  return person.twoStepMustSetUp || account.twoStepForEveryone || (account.twoStepForAdmins && person.isAdmin);
}

/** Whether the organization's policy requires it of the person (then they may not turn it off). */
export const requiredOf = (person: { isAdmin: boolean }, account: { twoStepForAdmins: boolean; twoStepForEveryone: boolean }) =>
  account.twoStepForEveryone || (account.twoStepForAdmins && person.isAdmin);

/** A new secret for an authenticator app: 160 random bits, as base32 (RFC 4226's recommended length). */
export const newSecret = (): string => new OTPAuth.Secret({ size: 20 }).base32;

const totp = (secret: string, label = '') =>
  new OTPAuth.TOTP({ issuer: 'Accord', label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });

/** The secret as people type it: groups of four. */
export const groupedSecret = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

/** What the set-up page shows: the otpauth:// link as a QR code (an SVG image made here, no script) and the secret. */
export async function setUpImage(secret: string, email: string): Promise<string> {
  const svg = await QRCode.toString(totp(secret, email).toString(), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The 30-second step a six-digit code belongs to at `at` (within the window), or null when it is not a code of the secret. */
export function codeStep(secret: string, code: string, at: Date = now()): number | null {
  const delta = totp(secret).validate({ token: code, timestamp: at.getTime(), window: WINDOW });
  return delta === null ? null : Math.floor(at.getTime() / 1000 / PERIOD) + delta;
}

/** The current code of a secret (tests, as an authenticator app would show it). */
export const currentCode = (secret: string, at: Date = now()) => totp(secret).generate({ timestamp: at.getTime() });

/** What a person typed in the code field: a six-digit code, a recovery code, or neither. */
export type TypedCode = { kind: 'app'; code: string } | { kind: 'recovery'; code: string };

export function readCode(input: string): TypedCode | null {
  const compact = input.replace(/[\s-]/g, '').toLowerCase();
  if (/^\d{6}$/.test(compact)) return { kind: 'app', code: compact };
  if (compact.length === 16 && [...compact].every((c) => BASE32.includes(c))) return { kind: 'recovery', code: compact };
  return null;
}

/** Ten recovery codes of 80 random bits each, shown as xxxx-xxxx-xxxx-xxxx. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = [...randomBytes(16)].map((b) => BASE32[b & 31]).join('');
    return chars.match(/.{4}/g)!.join('-');
  });
}

/** Codes are stored only as this hash (80 random bits make a slow hash unnecessary). */
export const hashRecoveryCode = (code: string) =>
  createHash('sha256').update('accord recovery code\0').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('hex');

async function insertRecoveryCodes(tx: Tx, accountId: string, personId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, personId));
  await tx.insert(recoveryCodes).values(codes.map((code) => ({ codeHash: hashRecoveryCode(code), accountId, personId })));
  return codes;
}

export type EnableResult = { ok: true; codes: string[] } | { ok: false; reason: 'wrong-code' | 'already-on' };

/**
 * Turns two-step verification on with the secret the person's app now holds, once their code proves it: the sealed
 * secret, the step of that code (it can't be used again), and ten new recovery codes, with a history entry.
 */
export async function enableTwoStep(db: Db, sealer: Sealer, actor: Actor & { personId: string }, secret: string, code: string): Promise<EnableResult> {
  const step = codeStep(secret, code);
  if (step === null) return { ok: false, reason: 'wrong-code' };
  return db.transaction(async (tx) => {
    const on = await tx
      .update(persons)
      .set({ twoStepSecret: sealer.seal(secret), twoStepEnabledAt: now(), twoStepLastStep: step, twoStepMustSetUp: false })
      .where(and(eq(persons.id, actor.personId), isNull(persons.twoStepSecret)))
      .returning({ id: persons.id });
    if (on.length === 0) return { ok: false, reason: 'already-on' } as const;
    const codes = await insertRecoveryCodes(tx, actor.accountId, actor.personId);
    await recordHistory(tx, actor, { kind: 'person.twoStep', subject: { type: 'person', id: actor.personId }, before: { twoStep: false }, after: { twoStep: true } });
    return { ok: true, codes } as const;
  });
}

/** "Make new codes": ten new recovery codes replace the old ones (used or not), if two-step verification is on. */
export async function replaceRecoveryCodes(db: Db, actor: Actor & { personId: string }): Promise<string[] | null> {
  return db.transaction(async (tx) => {
    const [me] = await tx.select({ on: isNotNull(persons.twoStepSecret) }).from(persons).where(eq(persons.id, actor.personId)).for('update');
    if (!me?.on) return null;
    return insertRecoveryCodes(tx, actor.accountId, actor.personId);
  });
}

/** How many of the person's recovery codes are still unused. */
export async function recoveryCodesLeft(db: Db, personId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0);
}

/** Whether every code given is an unused recovery code of the person ("Download" sends back the codes just shown). */
export async function areUnusedCodes(db: Db, personId: string, codes: string[]): Promise<boolean> {
  const hashes = [...new Set(codes.map(hashRecoveryCode))];
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt), inArray(recoveryCodes.codeHash, hashes)));
  return Number(row?.n ?? 0) === codes.length && hashes.length === codes.length;
}

/** Turns it off (the caller has checked the password): the secret and the recovery codes go, with a history entry. */
export async function disableTwoStep(db: Db, actor: Actor & { personId: string }): Promise<boolean> {
  return db.transaction(async (tx) => {
    const off = await tx
      .update(persons)
      .set({ twoStepSecret: null, twoStepEnabledAt: null, twoStepLastStep: null })
      .where(and(eq(persons.id, actor.personId), isNotNull(persons.twoStepSecret)))
      .returning({ id: persons.id });
    if (off.length === 0) return false;
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, actor.personId));
    await recordHistory(tx, actor, { kind: 'person.twoStep', subject: { type: 'person', id: actor.personId }, before: { twoStep: true }, after: { twoStep: false } });
    return true;
  });
}

/**
 * An administrator's "Reset two-step verification" of a person who lost their device: secret and recovery codes go,
 * the person's sessions and half-signed-in states end, and they set it up again at their next sign-in.
 */
export async function resetTwoStep(db: Db, actor: Actor, personId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ on: isNotNull(persons.twoStepSecret), mustSetUp: persons.twoStepMustSetUp })
      .from(persons)
      .where(and(eq(persons.id, personId), eq(persons.accountId, actor.accountId)))
      .for('update');
    if (!before) return false;
    await tx
      .update(persons)
      .set({ twoStepSecret: null, twoStepEnabledAt: null, twoStepLastStep: null, twoStepMustSetUp: true })
      .where(eq(persons.id, personId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.personId, personId));
    await tx.delete(twoStepChallenges).where(eq(twoStepChallenges.personId, personId));
    await tx.delete(sessions).where(eq(sessions.userId, personId));
    await recordHistory(tx, actor, {
      kind: 'person.twoStepReset',
      subject: { type: 'person', id: personId },
      before: { twoStep: before.on },
      after: { twoStep: false, setUpAtNextSignIn: true },
    });
    return true;
  });
}

/** The person's two-step state as the pages show it. */
export async function twoStepStatus(db: Db, personId: string) {
  const [row] = await db
    .select({ enabledAt: persons.twoStepEnabledAt, on: isNotNull(persons.twoStepSecret), mustSetUp: persons.twoStepMustSetUp })
    .from(persons)
    .where(eq(persons.id, personId));
  return row;
}

export type SecondStep = 'app' | 'recovery' | 'replayed' | 'wrong';

/**
 * Checks the second step of a person's sign-in. A code from the app counts once: its step must come after the last
 * step accepted, written in the same statement (two requests with one code: one wins). A recovery code is used up
 * by the same statement that finds it.
 */
export async function checkSecondStep(db: Db, sealer: Sealer, personId: string, typed: TypedCode): Promise<SecondStep> {
  if (typed.kind === 'recovery') {
    const used = await db
      .update(recoveryCodes)
      .set({ usedAt: now() })
      .where(and(eq(recoveryCodes.codeHash, hashRecoveryCode(typed.code)), eq(recoveryCodes.personId, personId), isNull(recoveryCodes.usedAt)))
      .returning({ personId: recoveryCodes.personId });
    return used.length ? 'recovery' : 'wrong';
  }
  const [me] = await db.select({ sealed: persons.twoStepSecret }).from(persons).where(eq(persons.id, personId));
  if (!me?.sealed) return 'wrong';
  const step = codeStep(sealer.open(me.sealed), typed.code);
  if (step === null) return 'wrong';
  const taken = await db
    .update(persons)
    .set({ twoStepLastStep: step })
    .where(and(eq(persons.id, personId), eq(persons.twoStepSecret, me.sealed), or(isNull(persons.twoStepLastStep), lt(persons.twoStepLastStep, step))))
    .returning({ id: persons.id });
  return taken.length ? 'app' : 'replayed';
}

/** Starts the half-signed-in state after a right password; the token goes in a cookie. */
export async function startChallenge(db: Db, person: { id: string; accountId: string }, next: string | null): Promise<string> {
  const { token, hash } = newToken();
  await db.insert(twoStepChallenges).values({
    tokenHash: hash,
    accountId: person.accountId,
    personId: person.id,
    next,
    expiresAt: new Date(now().getTime() + TWO_STEP_MINUTES * 60_000),
  });
  return token;
}

/**
 * After a right password (or a password reset) of a person with two-step verification on: the half-signed-in
 * state begins, in a cookie sent only to the second step's page, and the browser goes there.
 */
export async function beginSecondStep(reply: FastifyReply, db: Db, secureCookies: boolean, person: { id: string; accountId: string }, next: string | null) {
  const token = await startChallenge(db, person, next);
  reply.setCookie(TWO_STEP_CHALLENGE_COOKIE, token, {
    path: '/login/two-step',
    httpOnly: true,
    sameSite: 'lax',
    secure: secureCookies,
    maxAge: TWO_STEP_MINUTES * 60,
  });
  return reply.redirect('/login/two-step', 303);
}

/** The half-signed-in state a token names, if it has not expired (nor ended). */
export async function findChallenge(db: Db, token: string) {
  const [row] = await db
    .select()
    .from(twoStepChallenges)
    .where(and(eq(twoStepChallenges.tokenHash, hashToken(token)), gt(twoStepChallenges.expiresAt, now())));
  return row;
}

/** Counts a wrong code; at TWO_STEP_FAILURES the state ends (the person starts again with the password). */
export async function failChallenge(db: Db, tokenHash: string): Promise<'again' | 'ended'> {
  const [row] = await db
    .update(twoStepChallenges)
    .set({ failures: sql`${twoStepChallenges.failures} + 1` })
    .where(eq(twoStepChallenges.tokenHash, tokenHash))
    .returning({ failures: twoStepChallenges.failures });
  if (row && row.failures < TWO_STEP_FAILURES) return 'again';
  await endChallenge(db, tokenHash);
  return 'ended';
}

/** Ends the state (signed in, or given up); true when this call ended it (a second request with it finds nothing). */
export async function endChallenge(db: Db, tokenHash: string): Promise<boolean> {
  const ended = await db.delete(twoStepChallenges).where(eq(twoStepChallenges.tokenHash, tokenHash)).returning({ personId: twoStepChallenges.personId });
  return ended.length > 0;
}
