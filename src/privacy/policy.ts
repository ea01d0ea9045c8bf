import { RESET_LINK_HOURS } from '../auth/accounts.js';
import { SESSION_COOKIE, SESSION_DAYS } from '../auth/lucia.js';
import type { Config } from '../config.js';
import { INVITATION_DAYS } from '../invitations/invitations.js';
import { CLEANUP_EVERY_MINUTES } from '../jobs/cleanup.js';
import { SUPPORT_LIMIT, SUPPORT_MESSAGE_MAX } from '../support/forms.js';
import { CSRF_COOKIE } from '../web/security.js';

/** "1 hour", "7 days". */
export const count = (n: number, unit: string) => `${n.toLocaleString('en-GB')} ${unit}${n === 1 ? '' : 's'}`;

/** "every hour", "every 30 minutes". */
export const every = (minutes: number) => (minutes === 60 ? 'every hour' : minutes % 60 === 0 ? `every ${count(minutes / 60, 'hour')}` : `every ${count(minutes, 'minute')}`);

/**
 * The figures the privacy policy quotes, read from the code and the configuration that enforce them, so the
 * page can't drift from what the app does.
 */
export function policyFacts(config: Pick<Config, 'LOGIN_RATE_LIMIT_MAX' | 'LOGIN_RATE_LIMIT_WINDOW_MINUTES' | 'HISTORY_RETENTION_DAYS'>) {
  return {
    sessionCookie: SESSION_COOKIE,
    csrfCookie: CSRF_COOKIE,
    sessionDays: SESSION_DAYS,
    /** lucia renews a session used in the second half of its lifetime: it runs out this many days after the last visit, at the earliest */
    sessionMinDays: SESSION_DAYS / 2,
    resetLinkHours: RESET_LINK_HOURS,
    invitationDays: INVITATION_DAYS,
    signInLimit: { max: config.LOGIN_RATE_LIMIT_MAX, windowMinutes: config.LOGIN_RATE_LIMIT_WINDOW_MINUTES },
    supportLimit: SUPPORT_LIMIT,
    supportMessageMax: SUPPORT_MESSAGE_MAX,
    historyDays: config.HISTORY_RETENTION_DAYS,
    cleanupEveryMinutes: CLEANUP_EVERY_MINUTES,
  };
}
export type PolicyFacts = ReturnType<typeof policyFacts>;
