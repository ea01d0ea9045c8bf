import { z } from 'zod';

/**
 * Keyset pagination of the people lists (ordered by name, id): a page starts right after, or ends right before, the
 * (name, id) of a boundary row. In the address the boundary travels as an opaque, URL-safe token (`after=` for the
 * next page, `before=` for the previous one): base64url of the JSON `[name, id]`. The boundary row need not exist
 * any more — the comparison works all the same.
 */
export interface Cursor {
  name: string;
  id: string;
}

/** Longer tokens are not read at all (a name is at most 200 characters; 500 leaves room for older rows). */
export const MAX_CURSOR_TOKEN = 1500;

// PostgreSQL text can't hold U+0000: a cursor carrying one would fail the statement, so it is refused here.
const part = (max: number) => z.string().min(1).max(max).refine((s) => !s.includes('\u0000'));
const CursorJson = z.tuple([part(500), part(100)]);

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.name, c.id]), 'utf8').toString('base64url');
}

/** The boundary a token names, or undefined for anything malformed, oversized or of the wrong shape. */
export function decodeCursor(token: unknown): Cursor | undefined {
  if (typeof token !== 'string' || token.length > MAX_CURSOR_TOKEN || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = CursorJson.safeParse(json);
  return parsed.success ? { name: parsed.data[0], id: parsed.data[1] } : undefined;
}

/** A query parameter holding a cursor token: kept as sent when it decodes, otherwise dropped (the first page). */
export const cursorToken = z
  .string()
  .refine((token) => decodeCursor(token) !== undefined)
  .optional()
  .catch(undefined);

/** Where a list page sits: at most one of `after` / `before` (tokens that decode, see `cursorToken`). */
export interface ListPosition {
  after?: string;
  before?: string;
}

/** The boundary to read from: `after` or `before` decoded, or nothing (the first page). */
export function boundaryOf(at: ListPosition): { after?: Cursor; before?: Cursor } {
  if (at.after) return { after: decodeCursor(at.after) };
  if (at.before) return { before: decodeCursor(at.before) };
  return {};
}

/**
 * Which neighbouring pages exist, from what was read (limit + 1 rows in the reading direction): the extra row means
 * more in that direction; a page reached by `after` has one before it, a page reached by `before` one after it.
 */
export function neighbours(at: ListPosition, extraRow: boolean): { hasPrevious: boolean; hasNext: boolean } {
  if (at.before) return { hasPrevious: extraRow, hasNext: true };
  return { hasPrevious: Boolean(at.after), hasNext: extraRow };
}
