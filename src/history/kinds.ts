/**
 * What a history entry can say happened: a closed vocabulary, each kind with the label the page and the CSV
 * show. A later area (permissions, roles, groups, divisions, project role assignments, projects) adds its kinds
 * here, one line each, and records them with recordHistory in the transaction of its change.
 */
export const HISTORY_KINDS = {
  'account.created': 'Organization created',
  'account.renamed': 'Organization name changed',
  'account.privacy': 'Organization privacy settings changed',
  'account.plan': 'Plan changed',
  'licenses.automatic': 'Automatic license distribution changed',
  'invitations.rules': 'Invitation rules changed',
  'invitation.sent': 'Invitation sent',
  'invitation.resent': 'Invitation resent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.accepted': 'Invitation accepted',
  'person.created': 'Person added',
  'person.license': 'License changed',
  'person.admin': 'Administrator rights changed',
  'person.deleted': 'Person deleted',
} as const;

export type HistoryKind = keyof typeof HISTORY_KINDS;

export const isHistoryKind = (value: string): value is HistoryKind => Object.hasOwn(HISTORY_KINDS, value);
