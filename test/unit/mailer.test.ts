// Without SMTP_URL, each message is written to the outbox as an .eml file (nodemailer loads with the first one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { createMailer } from '../../src/mail/mailer.js';

t.test('messages go to the outbox folder as .eml files', async (t) => {
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'accord-outbox-'));
  t.teardown(() => fs.rmSync(outboxDir, { recursive: true, force: true }));
  const logged: unknown[] = [];
  const log = { info: (obj: unknown) => logged.push(obj) } as never;
  const mailer = createMailer({ outboxDir, from: 'Accord <no-reply@localhost>', log });
  await mailer.send({ to: 'ada@example.test', subject: 'First', text: 'Hello', link: 'http://localhost/x' });
  await mailer.send({ to: 'bob@example.test', subject: 'Second', text: 'Again' });
  const files = fs.readdirSync(outboxDir).filter((f) => f.endsWith('.eml'));
  t.equal(files.length, 2, 'one file per message');
  const all = files.map((f) => fs.readFileSync(path.join(outboxDir, f), 'utf8')).join('\n');
  t.match(all, /To: ada@example\.test/);
  t.match(all, /Subject: Second/);
  t.match(logged, [{ to: 'ada@example.test', link: 'http://localhost/x' }, { to: 'bob@example.test' }], 'each is logged with its link');
});
