import { accounts, persons } from '../../src/db/schema.js';
import { signUp } from './agent.js';
import { build } from './build.js';

type Test = Parameters<typeof build>[0];

/** A fresh app with one organization signed up: its administrator's browser, the account row and the administrator. */
export async function signedUpAccount(t: Test) {
  const ctx = await build(t);
  const admin = await signUp(ctx.app);
  const [account] = await ctx.db.select().from(accounts);
  const [ada] = await ctx.db.select().from(persons);
  return { ...ctx, admin, account: account!, ada: ada! };
}
