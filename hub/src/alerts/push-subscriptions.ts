import type { z } from 'zod';
import type { pushSubscriptionInputSchema } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import type { PushSubscriptionKeys } from './web-push.ts';

type SubscriptionInput = z.infer<typeof pushSubscriptionInputSchema>;

/** Stores this browser's subscription for the user (the same endpoint again updates its keys). */
export async function saveSubscription(d1: D1Database, userId: string, input: SubscriptionInput) {
  const row = await openDb(d1).get<{ id: string; endpoint: string; created_at: string }>(
    sql`INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth)
        VALUES (${newId()}, ${userId}, ${input.endpoint}, ${input.keys.p256dh}, ${input.keys.auth})
        ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth
        RETURNING id, endpoint, created_at`,
  );
  return { id: row!.id, endpoint: row!.endpoint, createdAt: row!.created_at };
}

export async function listSubscriptions(d1: D1Database, userId: string) {
  const results = await openDb(d1).all<{ id: string; endpoint: string; created_at: string }>(
    sql`SELECT id, endpoint, created_at FROM push_subscriptions WHERE user_id = ${userId} ORDER BY created_at`,
  );
  return results.map((r) => ({ id: r.id, endpoint: r.endpoint, createdAt: r.created_at }));
}

export async function deleteSubscription(d1: D1Database, userId: string, id: string) {
  const result = await openDb(d1).run(
    sql`DELETE FROM push_subscriptions WHERE id = ${id} AND user_id = ${userId}`,
  );
  if (result.meta.changes !== 1) throw new AppError(404, 'not_found', 'no such push subscription');
}

/** The keys the webpush channel encrypts for (any user's: deliveries name the subscription id). */
export async function subscriptionKeys(d1: D1Database, id: string): Promise<PushSubscriptionKeys | null> {
  const keys = await openDb(d1).get<PushSubscriptionKeys>(
    sql`SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = ${id}`,
  );
  return keys ?? null;
}

export async function forgetSubscription(d1: D1Database, id: string) {
  await openDb(d1).run(sql`DELETE FROM push_subscriptions WHERE id = ${id}`);
}
