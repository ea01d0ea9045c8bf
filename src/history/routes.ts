import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../permissions/guard.js';
import type { AppDeps } from '../web/deps.js';
import { emptyForm, parseForm } from '../web/forms.js';
import { isHtmx } from '../web/htmx.js';
import { loggableError } from '../web/errors.js';
import { exportFileName, historyCsv } from './csv.js';
import { HistoryFilterForm } from './forms.js';
import { EXPORT_PATH, HISTORY_PATH, historyPageData, invalidFilterData } from './page.js';

/** /settings/history (administrators): the page, the htmx answer to the filter, and the CSV export. */
export default async function historyRoutes(app: FastifyInstance, { db, config }: AppDeps) {
  const days = config.HISTORY_RETENTION_DAYS;

  app.get(HISTORY_PATH, async (request, reply) => {
    const auth = requireAdmin(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const parsed = parseForm(HistoryFilterForm, query);
    if (!parsed.ok) {
      // htmx: only the error summary and the messages next to the fields change; without JavaScript the page again
      return reply.render('history/index', invalidFilterData(days, parsed.form), { status: 422, fragment: 'history/_errors' });
    }
    const data = await historyPageData(db, auth.account.id, parsed.data, days, emptyForm(query));
    if (isHtmx(request)) reply.header('HX-Replace-Url', data.url);
    return reply.render('history/index', data, { fragment: 'history/_results' });
  });

  app.get(EXPORT_PATH, async (request, reply) => {
    const auth = requireAdmin(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const parsed = parseForm(HistoryFilterForm, query);
    if (!parsed.ok) return reply.render('history/index', invalidFilterData(days, parsed.form), { status: 422, fragment: 'history/_errors' });
    const { older: _o, newer: _n, ...filter } = parsed.data;
    const csv = historyCsv(db, auth.account.id, filter, (err) => request.log.warn({ error: loggableError(err) }, 'history export stopped'));
    return reply
      .header('content-type', 'text/csv; charset=utf-8; header=present')
      .header('content-disposition', `attachment; filename="${exportFileName()}"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
}
