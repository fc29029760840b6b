import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Db } from '../db/client.ts';
import { rateLimits } from '../db/schema-security.ts';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';

/** At most `limit` hits per fixed window of `windowSeconds`. */
export interface WindowLimit {
  limit: number;
  windowSeconds: number;
}

export interface LimitAnswer {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

const secondsBetween = (from: Date, to: Date) =>
  Math.max(1, Math.ceil((to.getTime() - from.getTime()) / 1000));

/**
 * Counts one hit on `key` in one statement (insert, or upsert that restarts a window that has passed), so
 * concurrent requests in one Worker or many never lose a count. Answers whether the hit is within the limit.
 */
export async function hit(db: Db, key: string, limit: WindowLimit, now: Date): Promise<LimitAnswer> {
  const nowIso = now.toISOString();
  const windowOpen = new Date(now.getTime() - limit.windowSeconds * 1000).toISOString();
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: nowIso, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${rateLimits.windowStart} <= ${windowOpen} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${rateLimits.windowStart} <= ${windowOpen} THEN ${nowIso} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const count = row?.count ?? 1;
  const windowEnd = new Date(new Date(row?.windowStart ?? nowIso).getTime() + limit.windowSeconds * 1000);
  return { allowed: count <= limit.limit, count, retryAfterSeconds: secondsBetween(now, windowEnd) };
}

/** A 429 with `Retry-After`, in the hub's one error envelope. */
export function tooManyRequests(c: Context<HubEnv>, retryAfterSeconds: number, what: string): AppError {
  c.header('retry-after', String(retryAfterSeconds));
  return new AppError(429, 'rate_limited', `${what}; retry in ${retryAfterSeconds} s`);
}

/** Public routes addressed by id (POS webhooks): per id, so one noisy connection cannot starve the others. */
export const PUBLIC_ID_LIMIT: WindowLimit = { limit: 120, windowSeconds: 60 };

/** Throws 429 when the public route's `:id` has used its window. */
export async function limitPublicId(c: Context<HubEnv>, db: Db, routeKey: string, id: string) {
  const answer = await hit(db, `public:${routeKey}:${id}`, PUBLIC_ID_LIMIT, new Date());
  if (!answer.allowed)
    throw tooManyRequests(c, answer.retryAfterSeconds, 'too many requests for this connection');
}

/** Reads a key's row (tests and the login gate). */
export async function readLimit(db: Db, key: string) {
  const [row] = await db.select().from(rateLimits).where(eq(rateLimits.key, key));
  return row;
}
