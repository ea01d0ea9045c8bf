import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../db/client.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A @fastify/rate-limit store kept in PostgreSQL, so every app instance counts against one limit.
 * One statement per request: insert the key, or bump it, or restart its window when it has run out.
 */
export function postgresRateLimitStore(db: Db) {
  class PostgresStore {
    constructor(private readonly prefix = 'rl:') {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      const id = this.prefix + key;
      db.execute<{ count: number; reset_at: string | Date }>(sql`
        insert into rate_limits (key, count, reset_at)
        values (${id}, 1, now() + make_interval(secs => ${timeWindow / 1000}))
        on conflict (key) do update set
          count = case when rate_limits.reset_at <= now() then 1 else rate_limits.count + 1 end,
          reset_at = case when rate_limits.reset_at <= now() then excluded.reset_at else rate_limits.reset_at end
        returning count, reset_at`)
        .then((res) => {
          const row = rowsOf<{ count: number; reset_at: string | Date }>(res)[0]!;
          cb(null, { current: Number(row.count), ttl: Math.max(0, new Date(row.reset_at).getTime() - Date.now()) });
        })
        .catch((err: Error) => cb(err));
    }

    read(key: string, cb: Callback): void {
      db.execute<{ count: number; reset_at: string | Date }>(
        sql`select count, reset_at from rate_limits where key = ${this.prefix + key} and reset_at > now()`,
      )
        .then((res) => {
          const row = rowsOf<{ count: number; reset_at: string | Date }>(res)[0];
          cb(null, row ? { current: Number(row.count), ttl: new Date(row.reset_at).getTime() - Date.now() } : { current: 0, ttl: 0 });
        })
        .catch((err: Error) => cb(err));
    }

    /**
     * A route's limit counts under its method and path; a limiter made with `app.createRateLimit({ bucket })`
     * counts in the bucket it names (`bucket: 'POST/login'` adds to the sign-in attempts of the address).
     */
    child(routeOptions: { routeInfo?: { url?: string; method?: string }; bucket?: string }) {
      const info = routeOptions.routeInfo;
      const route = routeOptions.bucket ? `${routeOptions.bucket}:` : info?.url ? `${info.method}${info.url}:` : '';
      return new PostgresStore(`${this.prefix}${route}`);
    }
  }
  return PostgresStore;
}
