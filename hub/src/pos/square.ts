import { z } from 'zod';
import { hmacBase64, timingSafeEqual } from './hmac.ts';
import type { PosAdapter, PosSaleLine } from './sale-line.ts';

/**
 * Square webhooks (developer.squareup.com/docs/webhooks/step3validate): the header
 * `x-square-hmacsha256-signature` is base64(HMAC-SHA256(signature key, notification URL + raw body)).
 * Square signs no timestamp and retries for up to a day, so replays are refused by `event_id` (once per
 * connection) rather than by a time window. `order.updated` and `payment.*` carry no line items: the hub
 * reads the order (Orders API RetrieveOrder) and records its lines once the order is COMPLETED.
 */
export async function verifySquareSignature(
  signatureKey: string,
  notificationUrl: string,
  rawBody: string,
  signature: string | undefined,
): Promise<boolean> {
  if (!signature) return false;
  return timingSafeEqual(await hmacBase64(signatureKey, notificationUrl + rawBody), signature);
}

export const squareEventSchema = z.object({
  merchant_id: z.string().optional(),
  type: z.string().min(1),
  event_id: z.string().min(1).max(120),
  created_at: z.string().optional(),
  data: z.object({
    type: z.string().optional(),
    id: z.string().optional(),
    object: z.record(z.string(), z.unknown()).default({}),
  }),
});
export type SquareEvent = z.infer<typeof squareEventSchema>;

/** The order id an event is about: order.* events (`order_updated`/`order_created`), payment.* and refund.*. */
export function squareOrderId(event: SquareEvent): string | null {
  const object = event.data.object as Record<string, { order_id?: unknown } | undefined>;
  for (const key of ['order_updated', 'order_created', 'payment', 'refund']) {
    const orderId = object[key]?.order_id;
    if (typeof orderId === 'string' && orderId) return orderId;
  }
  return null;
}

const money = z.object({ amount: z.number().int(), currency: z.string() }).partial().optional();
const lineItem = z.object({
  uid: z.string(),
  name: z.string().optional(),
  variation_name: z.string().optional(),
  catalog_object_id: z.string().optional(),
  quantity: z.string(),
  modifiers: z.array(z.object({ name: z.string().optional() })).optional(),
  base_price_money: money,
  total_money: money,
});
export const squareOrderSchema = z.object({
  id: z.string(),
  state: z.string(),
  closed_at: z.string().optional(),
  updated_at: z.string().optional(),
  line_items: z.array(lineItem).default([]),
  returns: z
    .array(
      z.object({
        uid: z.string().optional(),
        return_line_items: z
          .array(lineItem.extend({ source_line_item_uid: z.string().optional() }))
          .default([]),
      }),
    )
    .default([]),
});
export type SquareOrder = z.infer<typeof squareOrderSchema>;

const cents = (m: { amount?: number } | undefined) => (m?.amount === undefined ? null : m.amount / 100);
const itemName = (item: z.infer<typeof lineItem>) =>
  [item.name, item.variation_name].filter(Boolean).join(' ') || 'unnamed item';

/** A COMPLETED order's lines: a zero-total line with a non-zero base price is a comp; returns are refunds. */
export const squareAdapter: PosAdapter<SquareOrder> = {
  provider: 'square',
  toSaleLines(order) {
    if (order.state !== 'COMPLETED') return [];
    const soldAt = order.closed_at ?? order.updated_at ?? new Date().toISOString();
    const lines: PosSaleLine[] = order.line_items.map((item) => {
      const total = cents(item.total_money);
      const comp = total === 0 && (cents(item.base_price_money) ?? 0) > 0;
      return {
        lineRef: `${order.id}:${item.uid}`,
        checkRef: order.id,
        kind: comp ? 'comp' : 'sale',
        externalItemId: item.catalog_object_id ?? `name:${itemName(item)}`,
        externalName: itemName(item),
        quantity: Number(item.quantity),
        modifiers: (item.modifiers ?? []).flatMap((m) => (m.name ? [m.name] : [])),
        revenue: total,
        soldAt,
      };
    });
    for (const [index, ret] of order.returns.entries()) {
      for (const item of ret.return_line_items) {
        const total = cents(item.total_money);
        lines.push({
          lineRef: `${order.id}:return:${ret.uid ?? index}:${item.uid}`,
          checkRef: order.id,
          kind: 'refund',
          externalItemId: item.catalog_object_id ?? `name:${itemName(item)}`,
          externalName: itemName(item),
          quantity: Number(item.quantity),
          modifiers: (item.modifiers ?? []).flatMap((m) => (m.name ? [m.name] : [])),
          revenue: total === null ? null : -Math.abs(total),
          soldAt,
        });
      }
    }
    return lines.filter((line) => Number.isFinite(line.quantity) && line.quantity > 0);
  },
};

/** Reads one order from Square's Orders API (a third-party boundary: tests stub `fetch` here). */
export async function fetchSquareOrder(
  apiBaseUrl: string,
  accessToken: string,
  orderId: string,
): Promise<SquareOrder> {
  const response = await fetch(`${apiBaseUrl.replace(/\/$/, '')}/v2/orders/${encodeURIComponent(orderId)}`, {
    headers: {
      authorization: `Bearer ${accessToken}`,
      'square-version': '2025-01-23',
      accept: 'application/json',
    },
  });
  if (!response.ok) throw new Error(`Square RetrieveOrder answered ${response.status}`);
  const body = (await response.json()) as { order?: unknown };
  return squareOrderSchema.parse(body.order);
}
