import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../web/deps.js';
import { loggableError } from '../web/errors.js';
import { emptyForm, type FormState, parseForm } from '../web/forms.js';
import { SUPPORT_LIMIT, SUPPORT_MESSAGE_MAX, SupportForm, type SupportMessage } from './forms.js';
import { supportEmail } from './mail.js';

/** The form as sent, with one message in the error summary (about the sending, not about a field). */
const refused = (data: SupportMessage, message: string): FormState => ({ values: data, errors: {}, summary: [{ field: 'message', message }] });

/** "Contact support": a message sent by email to SUPPORT_EMAIL and kept nowhere; rate limited per address. */
export default async function supportRoutes(app: FastifyInstance, deps: AppDeps) {
  const { mailer, config } = deps;
  // Counted in the shared PostgreSQL store (all instances), only for messages that would be sent.
  const limit = app.createRateLimit({
    max: SUPPORT_LIMIT.max,
    timeWindow: SUPPORT_LIMIT.windowMinutes * 60_000,
    keyGenerator: (request) => `support:${request.ip}`,
  });

  const page = (reply: FastifyReply, form: FormState, status = 200) =>
    reply.render('support/support', { title: 'Contact support', form, maxLength: SUPPORT_MESSAGE_MAX }, { status });
  const blank = (request: FastifyRequest) =>
    emptyForm(request.auth ? { name: request.auth.person.name, email: request.auth.person.email } : {});

  app.get('/support', async (request, reply) => page(reply, blank(request)));

  app.post('/support', async (request, reply) => {
    const parsed = parseForm(SupportForm, request.body);
    if (!parsed.ok) return page(reply, parsed.form, 422);
    const state = await limit(request);
    if (!state.isAllowed && state.isExceeded) {
      const minutes = Math.max(1, Math.ceil(state.ttl / 60_000));
      reply.header('retry-after', String(state.ttlInSeconds));
      const message = `You have sent ${SUPPORT_LIMIT.max} messages from your address within ${SUPPORT_LIMIT.windowMinutes} minutes. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}, then send it again: your message is still below.`;
      return page(reply, refused(parsed.data, message), 429);
    }
    try {
      await mailer.send(supportEmail(config.SUPPORT_EMAIL, parsed.data, request.auth));
    } catch (err) {
      request.log.error({ error: loggableError(err) }, 'support email could not be sent');
      reply.header('retry-after', '300');
      return page(reply, refused(parsed.data, 'Your message could not be sent: the mail server did not accept it. It is still below: try again in a few minutes.'), 503);
    }
    return reply.redirect('/support?notice=support-sent', 303);
  });
}
