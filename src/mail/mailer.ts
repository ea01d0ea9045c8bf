import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { SendMailOptions } from 'nodemailer';
import { newId } from '../crypto.js';

export interface Message {
  to: string;
  subject: string;
  text: string;
  /** The action link in the message; logged so a developer without SMTP can follow it. */
  link?: string;
  /** Where answers go (a support request: its sender); nodemailer encodes the name safely. */
  replyTo?: { name: string; address: string };
}

export interface Mailer {
  send(message: Message): Promise<void>;
}

/** SMTP via nodemailer when SMTP_URL is set; otherwise each message is written as an .eml file to the outbox. */
export function createMailer(opts: { smtpUrl?: string; outboxDir: string; from: string; log: FastifyBaseLogger }): Mailer {
  // nodemailer (some forty modules) is loaded by the first message rather than at start
  let transport: Promise<{ sendMail(mail: SendMailOptions): Promise<unknown> }> | undefined;
  const loadTransport = async () => {
    const { default: nodemailer } = await import('nodemailer');
    return opts.smtpUrl
      ? nodemailer.createTransport(opts.smtpUrl)
      : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  };
  return {
    async send(message) {
      const info = await (await (transport ??= loadTransport())).sendMail({ from: opts.from, to: message.to, subject: message.subject, text: message.text, replyTo: message.replyTo });
      if (!opts.smtpUrl) {
        await fs.mkdir(opts.outboxDir, { recursive: true });
        const file = path.join(opts.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${newId()}.eml`);
        await fs.writeFile(file, (info as unknown as { message: Buffer }).message);
        opts.log.info({ to: message.to, subject: message.subject, file, link: message.link }, 'mail written to outbox');
      } else {
        opts.log.info({ to: message.to, subject: message.subject, link: message.link }, 'mail sent');
      }
    },
  };
}
