import type { z } from 'zod';
import type { pushSubscriptionInputSchema } from '@pourcast/protocol';
import { newId } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import type { PushSubscriptionKeys } from './web-push.ts';

type SubscriptionInput = z.infer<typeof pushSubscriptionInputSchema>;

/** Stores this browser's subscription for the user (the same endpoint again updates its keys). */
export async function saveSubscription(d1: D1Database, userId: string, input: SubscriptionInput) {
  const row = await d1
    .prepare(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth
       RETURNING id, endpoint, created_at`,
    )
    .bind(newId(), userId, input.endpoint, input.keys.p256dh, input.keys.auth)
    .first<{ id: string; endpoint: string; created_at: string }>();
  return { id: row!.id, endpoint: row!.endpoint, createdAt: row!.created_at };
}

export async function listSubscriptions(d1: D1Database, userId: string) {
  const { results } = await d1
    .prepare('SELECT id, endpoint, created_at FROM push_subscriptions WHERE user_id = ? ORDER BY created_at')
    .bind(userId)
    .all<{ id: string; endpoint: string; created_at: string }>();
  return results.map((r) => ({ id: r.id, endpoint: r.endpoint, createdAt: r.created_at }));
}

export async function deleteSubscription(d1: D1Database, userId: string, id: string) {
  const result = await d1
    .prepare('DELETE FROM push_subscriptions WHERE id = ? AND user_id = ?')
    .bind(id, userId)
    .run();
  if (result.meta.changes !== 1) throw new AppError(404, 'not_found', 'no such push subscription');
}

/** The keys the webpush channel encrypts for (any user's: deliveries name the subscription id). */
export async function subscriptionKeys(d1: D1Database, id: string): Promise<PushSubscriptionKeys | null> {
  return d1
    .prepare('SELECT endpoint, p256dh, auth FROM push_subscriptions WHERE id = ?')
    .bind(id)
    .first<PushSubscriptionKeys>();
}

export async function forgetSubscription(d1: D1Database, id: string) {
  await d1.prepare('DELETE FROM push_subscriptions WHERE id = ?').bind(id).run();
}
