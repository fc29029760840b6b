import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { sha256Base64Url } from '@pourcast/protocol';
import type { Db } from '../db/client.ts';
import { rateLimits } from '../db/schema-security.ts';
import type { HubEnv } from '../env.ts';
import { hit, readLimit, tooManyRequests, type WindowLimit } from './rate-limit.ts';

/** Failures in a row on one account before it is locked; each further failure doubles the lock. */
export const LOCK_AFTER_FAILURES = 5;
export const FIRST_LOCK_SECONDS = 30;
export const MAX_LOCK_SECONDS = 15 * 60;
/** Failed logins from one client address, over all accounts, per window (password spraying). */
export const ADDRESS_FAILURES: WindowLimit = { limit: 30, windowSeconds: 15 * 60 };
/** Login attempts of any outcome from one address per minute (PBKDF2 is CPU the Worker pays for). */
export const ADDRESS_ATTEMPTS: WindowLimit = { limit: 60, windowSeconds: 60 };

/** The account key never holds the email itself: rate_limits outlives an organization's deletion. */
const accountKey = async (email: string) =>
  `login:account:${await sha256Base64Url(email.trim().toLowerCase())}`;
/**
 * Cloudflare sets `cf-connecting-ip` on every request it forwards; without it (wrangler dev, tests without the
 * header) there is no trustworthy address, and one shared bucket would let anyone lock everyone out.
 */
const addressOf = (c: Context<HubEnv>) => c.req.header('cf-connecting-ip');

export function lockSeconds(failures: number): number {
  if (failures < LOCK_AFTER_FAILURES) return 0;
  return Math.min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** (failures - LOCK_AFTER_FAILURES));
}

/**
 * Before any password is hashed: refuses (429 + Retry-After) a locked account, an address over its failure
 * budget, or an address over its attempt rate. Unknown and known emails are treated alike.
 */
export async function gateLogin(c: Context<HubEnv>, db: Db, email: string, now: Date) {
  const account = await readLimit(db, await accountKey(email));
  if (account?.lockedUntil && account.lockedUntil > now.toISOString()) {
    const seconds = Math.ceil((new Date(account.lockedUntil).getTime() - now.getTime()) / 1000);
    throw tooManyRequests(c, Math.max(1, seconds), 'too many failed logins for this account');
  }
  const address = addressOf(c);
  if (!address) return;
  const failures = await readLimit(db, `login:address-failures:${address}`);
  const windowOpen = new Date(now.getTime() - ADDRESS_FAILURES.windowSeconds * 1000).toISOString();
  if (failures && failures.windowStart > windowOpen && failures.count >= ADDRESS_FAILURES.limit) {
    const end = new Date(failures.windowStart).getTime() + ADDRESS_FAILURES.windowSeconds * 1000;
    throw tooManyRequests(
      c,
      Math.max(1, Math.ceil((end - now.getTime()) / 1000)),
      'too many failed logins from this address',
    );
  }
  const attempts = await hit(db, `login:address:${address}`, ADDRESS_ATTEMPTS, now);
  if (!attempts.allowed)
    throw tooManyRequests(c, attempts.retryAfterSeconds, 'too many login attempts from this address');
}

/** A wrong password: one more failure in a row for the account (locking it past the threshold) and the address. */
export async function recordLoginFailure(c: Context<HubEnv>, db: Db, email: string, now: Date) {
  const key = await accountKey(email);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now.toISOString(), count: 1, failures: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: { failures: sql`${rateLimits.failures} + 1`, count: sql`${rateLimits.count} + 1` },
    })
    .returning({ failures: rateLimits.failures });
  const seconds = lockSeconds(row?.failures ?? 1);
  if (seconds > 0) {
    const lockedUntil = new Date(now.getTime() + seconds * 1000).toISOString();
    await db.update(rateLimits).set({ lockedUntil }).where(eq(rateLimits.key, key));
  }
  const address = addressOf(c);
  if (address) await hit(db, `login:address-failures:${address}`, ADDRESS_FAILURES, now);
}

/** A correct password ends the account's run of failures. */
export async function recordLoginSuccess(db: Db, email: string) {
  await db.delete(rateLimits).where(eq(rateLimits.key, await accountKey(email)));
}
