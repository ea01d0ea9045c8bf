import path from 'node:path';
import { z } from 'zod';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** Every setting the app reads from its environment, parsed once at start. */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  DATA_DIR: z.string().min(1).default('./data'),
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).default('Accord <no-reply@localhost>'),
  /** Where "Contact support" sends messages (Reply-To: the sender). */
  SUPPORT_EMAIL: z.email({ pattern: z.regexes.html5Email, error: 'must be an email address, like support@example.com' }).default('support@localhost'),
  APP_KEY: z
    .string()
    .regex(HEX_KEY, 'must be 64 hexadecimal characters (32 bytes), e.g. from `openssl rand -hex 32`')
    .optional(),
  /** Keys that sealed older rows: they still open them until `npm run rotate-key` has re-sealed every row under APP_KEY. */
  APP_KEY_PREVIOUS: z
    .string()
    .transform((s) => s.split(',').map((k) => k.trim()).filter((k) => k !== ''))
    .superRefine((keys, ctx) => {
      keys.forEach((k, i) => {
        if (!HEX_KEY.test(k)) {
          ctx.addIssue({ code: 'custom', message: `key ${i + 1} of ${keys.length} is not 64 hexadecimal characters (comma-separated keys, each from \`openssl rand -hex 32\`)` });
        }
      });
    })
    .default([]),
  TRUST_PROXY: boolish.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOGIN_RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(10),
  LOGIN_RATE_LIMIT_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** History entries older than this many days are deleted by the hourly cleanup. */
  HISTORY_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
});

export type Config = z.infer<typeof ConfigSchema> & {
  baseUrl: string;
  outboxDir: string;
  dataDir: string;
  secureCookies: boolean;
};

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every wrong variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = ConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.NODE_ENV === 'production' && !c.APP_KEY) {
    throw new ConfigError('Invalid configuration:\n  APP_KEY: is required when NODE_ENV=production');
  }
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    ...c,
    dataDir,
    baseUrl: (c.BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    outboxDir: path.resolve(c.MAIL_OUTBOX_DIR ?? path.join(dataDir, 'outbox')),
    secureCookies: c.NODE_ENV === 'production',
  };
}
