import t from 'tap';
import { invitations } from '../../src/db/schema.js';
import { SIGNUP, signUp } from '../helpers/agent.js';
import { build } from '../helpers/build.js';

t.test('when the invitation email cannot be sent, the invitation is kept and the inviter is told to resend', async (t) => {
  const { app, db, outbox, mailFails } = await build(t);
  const admin = await signUp(app);
  mailFails.on = true;
  const res = await admin.post('/people/invite', { name: 'Ivy Invitee', email: 'ivy@acme.test', access: 'inherited' });
  t.equal(res.statusCode, 303, 'not a 500');
  t.match(res.headers.location, /\?notice=invitation-mail-failed$/);
  const page = await admin.get(res.headers.location as string);
  t.match(page.body, 'The invitation is saved, but its email could not be sent. Use “Resend invitation” to try again.');
  t.equal((await db.select().from(invitations)).length, 1);
  t.equal(outbox.length, 0);
  mailFails.on = false;
  const personUrl = (res.headers.location as string).split('?')[0];
  const resent = await admin.post(`${personUrl}/invitation/resend`, {});
  t.equal(resent.headers.location, `${personUrl}?notice=invitation-resent`);
  t.equal(outbox.length, 1);
});

t.test('a password reset whose email fails answers as usual (no telling which emails exist)', async (t) => {
  const { app, outbox, mailFails } = await build(t);
  const admin = await signUp(app);
  mailFails.on = true;
  const res = await admin.post('/password/forgot', { email: SIGNUP.email });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?notice=reset-sent');
  t.equal(outbox.length, 0);
});
