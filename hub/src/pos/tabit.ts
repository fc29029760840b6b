import { z } from 'zod';
import { hmacHex, timingSafeEqual } from './hmac.ts';
import type { PosAdapter, PosSaleLine } from './sale-line.ts';

/**
 * Tabit closed-check webhook. Tabit's partner API is not public: this is the shape our integration is
 * configured to send (closed checks with their lines), kept in this adapter so a change stays here.
 * Signature: `x-tabit-signature: sha256=<hex HMAC-SHA256(secret, "<x-tabit-timestamp>.<raw body>")>`;
 * the timestamp (epoch seconds) must be within REPLAY_WINDOW_S of the hub's clock and each eventId is
 * accepted once per connection.
 */
export const TABIT_REPLAY_WINDOW_S = 300;

const tabitLine = z.object({
  lineId: z.string().min(1),
  menuItemId: z.string().min(1),
  name: z.string().min(1),
  quantity: z.number().positive().max(1000),
  /** Line total after discounts, in the check's currency. */
  price: z.number().finite(),
  modifiers: z.array(z.object({ name: z.string() })).default([]),
  voided: z.boolean().default(false),
  comp: z.boolean().default(false),
});

export const tabitClosedCheckSchema = z.object({
  eventId: z.string().min(1).max(120),
  eventType: z.literal('check.closed'),
  check: z.object({
    id: z.string().min(1),
    closedAt: z.iso.datetime({ offset: true }),
    /** The station the check was rung up at ("well-1"), matched to the bar's stations by name. */
    station: z.string().trim().min(1).max(64).optional(),
    /** Who served it, as the POS knows them. */
    employeeName: z.string().trim().min(1).max(120).optional(),
    items: z.array(tabitLine).max(500),
    refunds: z
      .array(
        z.object({
          refundId: z.string().min(1),
          lineId: z.string().min(1),
          quantity: z.number().positive(),
          amount: z.number(),
        }),
      )
      .default([]),
  }),
});
export type TabitClosedCheck = z.infer<typeof tabitClosedCheckSchema>;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export async function verifyTabitSignature(
  secret: string,
  rawBody: string,
  headers: { signature?: string; timestamp?: string },
  now: Date,
): Promise<SignatureCheck> {
  if (!headers.signature || !headers.timestamp) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{9,11}$/.test(headers.timestamp)) return { ok: false, reason: 'malformed timestamp' };
  const skew = Math.abs(now.getTime() / 1000 - Number(headers.timestamp));
  if (skew > TABIT_REPLAY_WINDOW_S) return { ok: false, reason: 'timestamp outside the replay window' };
  const expected = `sha256=${await hmacHex(secret, `${headers.timestamp}.${rawBody}`)}`;
  if (!timingSafeEqual(expected, headers.signature)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/** A voided line is kept as its sale plus the void that cancels it; comps pour with no revenue. */
export const tabitAdapter: PosAdapter<TabitClosedCheck> = {
  provider: 'tabit',
  toSaleLines({ check }) {
    const lines: PosSaleLine[] = [];
    const byId = new Map(check.items.map((item) => [item.lineId, item]));
    const where = {
      ...(check.station ? { station: check.station } : {}),
      ...(check.employeeName ? { staff: check.employeeName } : {}),
    };
    for (const item of check.items) {
      const base = {
        lineRef: `${check.id}:${item.lineId}`,
        checkRef: check.id,
        externalItemId: item.menuItemId,
        externalName: item.name,
        quantity: item.quantity,
        modifiers: item.modifiers.map((m) => m.name),
        soldAt: check.closedAt,
        ...where,
      };
      lines.push({ ...base, kind: item.comp ? 'comp' : 'sale', revenue: item.comp ? 0 : item.price });
      if (item.voided) lines.push({ ...base, kind: 'void', revenue: item.comp ? 0 : -item.price });
    }
    for (const refund of check.refunds) {
      const item = byId.get(refund.lineId);
      lines.push({
        lineRef: `${check.id}:${refund.lineId}:${refund.refundId}`,
        checkRef: check.id,
        kind: 'refund',
        externalItemId: item?.menuItemId ?? `unknown-line:${refund.lineId}`,
        externalName: item?.name ?? `refund of unknown line ${refund.lineId}`,
        quantity: refund.quantity,
        modifiers: item?.modifiers.map((m) => m.name) ?? [],
        revenue: -Math.abs(refund.amount),
        soldAt: check.closedAt,
        ...where,
      });
    }
    return lines;
  },
};
