import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A browser-like client for app.inject: keeps cookies and the latest CSRF token, posts forms. */
export class Agent {
  cookies = new Map<string, string>();
  csrf = '';

  /** `device`: the User-Agent and address the agent's requests come with (app.inject's defaults otherwise) */
  constructor(
    readonly app: FastifyInstance,
    readonly device: { userAgent?: string; remoteAddress?: string } = {},
  ) {}

  private withDevice(headers: Record<string, string>) {
    if (this.device.userAgent) headers['user-agent'] = this.device.userAgent;
    return { headers, ...(this.device.remoteAddress && { remoteAddress: this.device.remoteAddress }) };
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const m = /<meta name="csrf-token" content="([^"]+)">/.exec(res.body);
    if (m) this.csrf = m[1]!;
    return res;
  }

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string, opts: { htmx?: boolean } = {}) {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    if (opts.htmx) headers['hx-request'] = 'true';
    return this.remember(await this.app.inject({ method: 'GET', url, ...this.withDevice(headers) }));
  }

  /** POSTs a urlencoded form with the CSRF token (fetched first when there is none yet, unless csrf: false). */
  async post(url: string, form: Record<string, string | string[] | undefined> = {}, opts: { htmx?: boolean; csrf?: false | 'header' } = {}) {
    if (!this.csrf && opts.csrf !== false) await this.get('/login');
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    const headers: Record<string, string> = { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' };
    if (opts.csrf === 'header') headers['x-csrf-token'] = this.csrf;
    else if (opts.csrf !== false) body.append('_csrf', this.csrf);
    if (opts.htmx) headers['hx-request'] = 'true';
    return this.remember(await this.app.inject({ method: 'POST', url, ...this.withDevice(headers), payload: body.toString() }));
  }
}

export const SIGNUP = {
  organizationName: 'Acme Ltd',
  name: 'Ada Admin',
  email: 'ada@acme.test',
  phone: '+44 20 7946 0958',
  password: 'correct horse battery',
  passwordReminder: 'the horse one',
  foundUs: 'search',
  edition: 'professional',
  readWriteLicenses: '5',
};

/** Signs up a new organization and returns its administrator's agent (signed in). */
export async function signUp(app: FastifyInstance, overrides: Partial<typeof SIGNUP> = {}) {
  const agent = new Agent(app);
  await agent.get('/signup');
  const res = await agent.post('/signup', { ...SIGNUP, ...overrides });
  if (res.statusCode !== 303) throw new Error(`sign-up failed: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return agent;
}

export async function signIn(app: FastifyInstance, email: string, password: string, device: Agent['device'] = {}) {
  const agent = new Agent(app, device);
  await agent.get('/login');
  const res = await agent.post('/login', { email, password });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode}`);
  return agent;
}
