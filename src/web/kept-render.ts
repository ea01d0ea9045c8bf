/**
 * HTML kept with a read that a VersionedCache gives again and again (a page of tasks, a page of people), so that a
 * page asked for many times is rendered once. Forms carry each request's CSRF token: the HTML is rendered with a
 * stand-in for it, split there, and each request joins the parts with its own token. It is kept in a WeakMap
 * keyed by the cached read, so it goes when the cache drops the read; a read the cache did not keep (a POST's
 * answer, read afresh) is rendered every time.
 */
import { randomBytes } from 'node:crypto';
import { isCachedRead } from '../db/versioned-cache.js';

/** `(csrfToken, render)`: the HTML that `render(csrfToken)` gives, kept or rendered now. */
export type KeptRender = (csrfToken: string, render: (csrfToken: string) => string) => string;

/** The stand-in for the token: random per process, so no name or title can spell it. */
const TOKEN_STAND_IN = `csrf-${randomBytes(18).toString('base64url')}`;
/** Per cached read and variant: 'seen' after its first use, then the parts around the stand-in. */
const kept = new WeakMap<object, Map<string, 'seen' | readonly string[]>>();

const renderNow: KeptRender = (csrfToken, render) => render(csrfToken);

/**
 * The HTML of `read` in one `variant`: everything besides the read and the token that the HTML depends on (who
 * reads it, the search it came from), or undefined to keep nothing (a page showing a message). Kept from its
 * second use on: a read asked for once (a search typed once) is not worth keeping.
 */
export function keptRender(read: object, variant: string | undefined): KeptRender {
  if (variant === undefined || !isCachedRead(read)) return renderNow;
  return (csrfToken, render) => {
    let variants = kept.get(read);
    if (!variants) kept.set(read, (variants = new Map()));
    const parts = variants.get(variant);
    if (parts === undefined) {
      variants.set(variant, 'seen');
      return render(csrfToken);
    }
    if (parts !== 'seen') return parts.join(csrfToken);
    const split = render(TOKEN_STAND_IN).split(TOKEN_STAND_IN);
    variants.set(variant, split);
    return split.join(csrfToken);
  };
}
