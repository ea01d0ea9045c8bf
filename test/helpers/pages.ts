// Following the keyset "Previous page" / "Next page" links of the people lists (/people, /settings/users).
import type { Agent } from './agent.js';

const unescapeHtml = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The address of the page's `rel="next"` or `rel="prev"` link, or undefined when there is none. */
export function pageLink(body: string, rel: 'next' | 'prev'): string | undefined {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(body);
  return m ? unescapeHtml(m[1]!) : undefined;
}

/**
 * Walks from `url` along one kind of link until there is none; returns the ids each page shows (`idsOf`) in the order
 * the pages were visited, and the addresses visited. Stops with an error after `max` pages (a loop).
 */
export async function walkPages(agent: Agent, url: string, rel: 'next' | 'prev', idsOf: (body: string) => string[], max = 50) {
  const pages: string[][] = [];
  const urls: string[] = [];
  let next: string | undefined = url;
  while (next) {
    if (pages.length >= max) throw new Error(`more than ${max} pages from ${url}`);
    const res = await agent.get(next);
    if (res.statusCode !== 200) throw new Error(`${next} answered ${res.statusCode}`);
    urls.push(next);
    pages.push(idsOf(res.body));
    next = pageLink(res.body, rel);
  }
  return { pages, urls };
}
