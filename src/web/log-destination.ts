import type { Config } from '../config.js';

/**
 * Where the app's log lines go. In development: readable lines (pino-pretty, written synchronously in this thread,
 * no worker). Otherwise: undefined, so pino writes one JSON object per line to stdout, for a log collector.
 * pino-pretty is imported only in development, so production never loads it.
 */
export async function logDestination(config: Pick<Config, 'NODE_ENV'>): Promise<{ write(line: string): void } | undefined> {
  if (config.NODE_ENV !== 'development') return undefined;
  const { default: pretty } = await import('pino-pretty');
  return pretty({ sync: true, colorize: Boolean(process.stdout.isTTY), translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
}
