import { sql, type SQL } from 'drizzle-orm';

// When an order's delivery is expected: when it went to the supplier (sent, or approved when it was never
// sent: an order phoned in) plus the lead time the order was drafted with. One place for the alerts that chase
// a delivery (delivery_late: nothing came; delivery_discrepancy: only part of it came).

const DAY_MS = 86_400_000;

/**
 * SQL for when the order aliased `o` went to its supplier (ISO text, NULL before approval). Select it beside
 * `o.lead_time_days` and give both to `expectedDeliveryAt`.
 */
export const placedAtSql: SQL = sql`COALESCE(o.sent_at, o.approved_at)`;

/** The expected delivery (ISO) of an order placed at `placedAt` (ISO) with a lead time of `leadTimeDays`. */
export function expectedDeliveryAt(placedAt: string, leadTimeDays: number): string {
  return new Date(Date.parse(placedAt) + leadTimeDays * DAY_MS).toISOString();
}

/** The expected delivery (ISO) of an order read whole, as `placedAtSql` places it; null before approval. */
export function expectedDeliveryOf(order: {
  sentAt: string | null;
  approvedAt: string | null;
  leadTimeDays: number;
}): string | null {
  const placedAt = order.sentAt ?? order.approvedAt;
  return placedAt ? expectedDeliveryAt(placedAt, order.leadTimeDays) : null;
}
