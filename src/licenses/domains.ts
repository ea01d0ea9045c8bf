import { normalizeDomain } from '../invitations/rules.js';

/** "Allowed email domains" (SPEC §4): parsing what an administrator types, and checking each domain. */

export const MAX_DOMAINS = 100;

/** A domain name as it appears after the @ of an email address: ASCII labels (punycode for others), a dot, a TLD. */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export function isValidDomain(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(labels.at(-1)!);
}

export interface DomainList {
  /** valid domains, lower case, without duplicates, in the order typed */
  domains: string[];
  /** what was typed that is not a domain, as typed */
  invalid: string[];
}

/**
 * Splits the field on commas, semicolons, spaces and new lines; lower-cases each entry and drops a leading "@"
 * (people paste "@example.com"). Every entry is checked; duplicates are kept once.
 */
export function parseDomainList(text: string): DomainList {
  const domains: string[] = [];
  const invalid: string[] = [];
  for (const entry of text.split(/[\s,;]+/).filter(Boolean)) {
    const domain = normalizeDomain(entry);
    if (!isValidDomain(domain)) invalid.push(entry);
    else if (!domains.includes(domain)) domains.push(domain);
  }
  return { domains, invalid };
}

const quoted = (s: string) => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;

/** The message that names every entry that is not a domain. */
export function invalidDomainsMessage(invalid: string[]): string {
  if (invalid.length === 1) return `${quoted(invalid[0]!)} is not a valid domain. Enter domains like example.com`;
  const names = invalid.map(quoted);
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${list} are not valid domains. Enter domains like example.com`;
}
