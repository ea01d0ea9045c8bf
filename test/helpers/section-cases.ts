/**
 * The routes of a project's sections, described once for the generated permission test
 * (test/routes/section-permissions.test.ts): each area lists its pages and edit routes in its own file under
 * test/helpers/section-cases/, and the test runs every case as a person with and without the permission, with a
 * Read-Only license, with No Access, in a locked project and against another account's project.
 */
import type { Db } from '../../src/db/client.js';
import type { PermissionKey, SectionKey } from '../../src/permissions/catalog.js';

export interface CaseContext {
  db: Db;
  accountId: string;
  projectId: string;
  /** the person who makes the request */
  actorId: string;
  /** another person of the same account (the author of "someone else's" comment or time entry) */
  otherId: string;
}

export interface SectionRouteCase {
  /** what the request does, e.g. "add a comment" */
  name: string;
  method: 'GET' | 'POST';
  /** the section the route belongs to: without its read permission the route answers the projects' 404 */
  section: SectionKey;
  /**
   * any one of these allows the request (a Read & Write license needed too); empty for a page, which needs only the
   * section's read permission. The test grants exactly one of them (the first) plus the section's read permission.
   */
  permissions: PermissionKey[];
  /** creates what the route acts on (rows in ctx.projectId) and returns its URL and form body (no _csrf) */
  prepare(ctx: CaseContext): Promise<{ url: string; body?: Record<string, string> }>;
  /** the rows the route could change, compared before and after a refused request (must be JSON-comparable) */
  snapshot(ctx: CaseContext): Promise<unknown>;
  /**
   * the status in a locked project, when it is not the rule's (a page 200, an edit — or the confirmation page of
   * one, a GET with permissions — 403): locking a locked project changes nothing and says so (303)
   */
  whileLocked?: number;
}
