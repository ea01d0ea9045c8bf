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
  'permissions.global': 'Global permissions changed',
  'role.permissions': 'Role permissions changed',
  'role.renamed': 'Role renamed',
  'role.visibility': 'Role shown or hidden',
  'division.created': 'Division created',
  'division.renamed': 'Division renamed',
  'division.deleted': 'Division deleted',
  'division.permissions': 'Division permissions changed',
  'group.created': 'Group created',
  'group.renamed': 'Group renamed',
  'group.deleted': 'Group deleted',
  'group.members': 'Group members changed',
  'project.created': 'Project created',
  'project.changed': 'Project changed',
  'project.roles': 'Project role assignments changed',
  'project.locked': 'Project locked for editing',
  'project.unlocked': 'Project unlocked',
  'project.deleted': 'Project deleted',
  'project.budget': 'Project budget changed',
  'comment.added': 'Comment added',
  'comment.deleted': 'Comment deleted',
  'task.added': 'Task added',
  'task.renamed': 'Task renamed',
  'task.done': 'Task marked done or not done',
  'time.added': 'Time entry added',
  'time.changed': 'Time entry changed',
  'time.deleted': 'Time entry deleted',
  'entry.added': 'Entry added',
  'entry.renamed': 'Entry renamed',
  'entry.deleted': 'Entry deleted',
  'projectRequest.created': 'Project requested',
  'projectRequest.approved': 'Project request approved',
  'projectRequest.rejected': 'Project request rejected',
} as const;

export type HistoryKind = keyof typeof HISTORY_KINDS;

export const isHistoryKind = (value: string): value is HistoryKind => Object.hasOwn(HISTORY_KINDS, value);
