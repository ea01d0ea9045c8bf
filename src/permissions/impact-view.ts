/**
 * The impact preview as the pages show it (SPEC §6): a sentence for the whole change and one row per permission,
 * numbers as text with their units ("3 people in 5 projects"), so the table reads the same to everyone.
 */
import type { ImpactSummary } from './impact.js';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "3 people in 5 projects", or "Nobody". */
export function peopleInProjects(side: { people: number; projects: number }): string {
  return side.people === 0 ? 'Nobody' : `${count(side.people, 'person', 'people')} in ${count(side.projects, 'project', 'projects')}`;
}

/** The summary sentence: "12 people in 30 projects would be affected." or "Nobody’s access would change." */
export function impactSentence(impact: Pick<ImpactSummary, 'people' | 'projects'>): string {
  return impact.people === 0 ? 'Nobody’s access would change.' : `${peopleInProjects(impact)} would be affected.`;
}

export interface ImpactView {
  sentence: string;
  rows: { key: string; label: string; gained: string; lost: string }[];
  affectsAnyone: boolean;
}

export function impactView(impact: ImpactSummary): ImpactView {
  return {
    sentence: impactSentence(impact),
    rows: impact.changes.map((c) => ({ key: c.key, label: c.label, gained: peopleInProjects(c.gained), lost: peopleInProjects(c.lost) })),
    affectsAnyone: impact.people > 0,
  };
}

/** What the live region says when a change waits for its confirmation. */
export const confirmText = (impact: ImpactView) => `${impact.sentence} Nothing is saved yet: press “Save this change” or “Cancel”.`;
