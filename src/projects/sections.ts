/**
 * A project's sections as pages: each section of the catalog (src/permissions/catalog.ts, SECTIONS) gets a URL slug
 * and one sentence saying what it will hold. The contents come later; the permission side (who sees which section)
 * is complete here.
 */
import type { Section, SectionKey } from '../permissions/catalog.js';

export const SECTION_SLUGS: Readonly<Record<SectionKey, string>> = {
  comments: 'comments',
  lists: 'lists',
  mindmaps: 'mind-maps',
  tasks: 'tasks',
  planning: 'planning',
  time: 'time',
  documents: 'documents',
  financials: 'financials',
  manage: 'manage',
};

export const SECTION_PURPOSES: Readonly<Record<SectionKey, string>> = {
  comments: 'Comments will hold the project’s diary: notes people add, each with its author and date.',
  lists: 'Lists will hold the project’s titled lists.',
  mindmaps: 'Mind maps will hold the project’s titled mind maps.',
  tasks: 'Tasks will hold the project’s tasks, which people add, rename and mark as done.',
  planning: 'Planning will hold the project’s titled plans.',
  time: 'Time tracking will hold the time people spend on the project: the date, the hours and the person.',
  documents: 'Documents will hold the project’s titled documents.',
  financials: 'Financials will hold the project’s budget.',
  manage: 'Manage will hold the project’s name, division, lock and role assignments.',
};

const BY_SLUG = new Map(Object.entries(SECTION_SLUGS).map(([key, slug]) => [slug, key as SectionKey]));

/** The section a URL slug names ("mind-maps" → mindmaps), or undefined. */
export function sectionBySlug(slug: string): SectionKey | undefined {
  return BY_SLUG.get(slug);
}

/** The address of a project's page, or of one of its sections. */
export function projectUrl(projectId: string, section?: SectionKey): string {
  return section ? `/projects/${projectId}/${SECTION_SLUGS[section]}` : `/projects/${projectId}`;
}

/** The sections as navigation links, in catalog order (pass only the sections the person can read). */
export function sectionLinks(projectId: string, sections: readonly Section[], current?: SectionKey) {
  return sections.map((s) => ({ href: projectUrl(projectId, s.key), label: s.name, current: s.key === current }));
}
