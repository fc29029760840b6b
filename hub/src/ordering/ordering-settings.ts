import { sql } from 'drizzle-orm';
import { DELIVERY_GRACE_DAYS } from '../alerts/rules.ts';
import { nowIso, openDb } from '../db/client.ts';

export interface OrderingSettings {
  /** 0.5-0.999: the chance of not running out before the next delivery. Managers set it. */
  serviceLevel: number;
  reviewPeriodDays: number;
  /** Orders totalling at most this are approved automatically; null = never. Owners set it. */
  autoApproveLimit: number | null;
  /** Days past an order's expected delivery before the alerts call it late or short. Managers set it. */
  deliveryGraceDays: number;
}

export const DEFAULT_SETTINGS: OrderingSettings = {
  serviceLevel: 0.95,
  reviewPeriodDays: 7,
  autoApproveLimit: null,
  deliveryGraceDays: DELIVERY_GRACE_DAYS,
};

export async function orderingSettings(d1: D1Database, organizationId: string): Promise<OrderingSettings> {
  const row = await openDb(d1).get<{
    service_level: number;
    review_period_days: number;
    auto_approve_limit: number | null;
    delivery_grace_days: number;
  }>(
    sql`SELECT service_level, review_period_days, auto_approve_limit, delivery_grace_days FROM ordering_settings
         WHERE organization_id = ${organizationId}`,
  );
  if (!row) return { ...DEFAULT_SETTINGS };
  return {
    serviceLevel: row.service_level,
    reviewPeriodDays: row.review_period_days,
    autoApproveLimit: row.auto_approve_limit,
    deliveryGraceDays: row.delivery_grace_days,
  };
}

/** Writes the given fields, keeping the others. */
export async function updateOrderingSettings(
  d1: D1Database,
  organizationId: string,
  userId: string,
  patch: Partial<OrderingSettings>,
): Promise<OrderingSettings> {
  const next = { ...(await orderingSettings(d1, organizationId)), ...patch };
  const at = nowIso();
  await openDb(d1).run(
    sql`INSERT INTO ordering_settings (organization_id, service_level, review_period_days, auto_approve_limit,
          delivery_grace_days, updated_by, updated_at)
        VALUES (${organizationId}, ${next.serviceLevel}, ${next.reviewPeriodDays}, ${next.autoApproveLimit},
          ${next.deliveryGraceDays}, ${userId}, ${at})
        ON CONFLICT (organization_id) DO UPDATE SET service_level = ${next.serviceLevel},
          review_period_days = ${next.reviewPeriodDays}, auto_approve_limit = ${next.autoApproveLimit},
          delivery_grace_days = ${next.deliveryGraceDays}, updated_by = ${userId}, updated_at = ${at}`,
  );
  return next;
}
