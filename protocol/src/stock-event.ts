import { z } from 'zod';
import { deviceIdSchema } from './device-messages.ts';
import { isoDateTimeSchema, recordIdSchema, ulidSchema } from './ids.ts';

export const STOCK_EVENT_KINDS = ['count', 'pour', 'receive', 'waste', 'transfer', 'adjust'] as const;
/** Kinds only the hub writes (from the POS). */
export const HUB_EVENT_KINDS = ['sale'] as const;
export const stockEventKindSchema = z.enum(STOCK_EVENT_KINDS);
export type StockEventKind = z.infer<typeof stockEventKindSchema>;

export const STOCK_EVENT_SOURCES = ['scale', 'scanner', 'camera', 'display', 'manual'] as const;
export const stockEventSourceSchema = z.enum(STOCK_EVENT_SOURCES);
export type StockEventSource = z.infer<typeof stockEventSourceSchema>;

/**
 * Why stock was wasted: the union of the scanner's waste mode reasons (device-messages.ts `scan.reason`) and
 * the staff display's (staff-display.ts). The hub's waste report groups by it, `unspecified` when absent.
 */
export const WASTE_REASONS = ['spill', 'breakage', 'comp', 'spoiled', 'expired', 'other'] as const;
export const wasteReasonSchema = z.enum(WASTE_REASONS);
export type WasteReason = z.infer<typeof wasteReasonSchema>;

/**
 * One fact the edge learned, append-only (DESIGN.md "Stock events: the ledger").
 *
 * Stock of an item at a location is kept as sealed containers and open millilitres, both folded from events:
 *   sealed += containersDelta
 *   openMl += deltaMl - containersDelta * containerMl
 * so a delivery of one 700 ml bottle is {deltaMl: +700, containersDelta: +1} (open ml unchanged), a pour is
 * {deltaMl: -30}, and a sealed bottle opened on a scale is {deltaMl: 0, containersDelta: -1} (open ml +700).
 */
export const stockEventSchema = z.strictObject({
  gatewayId: recordIdSchema,
  /** Strictly increasing per gateway, survives restarts, starts at 1. */
  seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  id: ulidSchema,
  locationId: recordIdSchema,
  itemId: recordIdSchema,
  kind: stockEventKindSchema,
  /** Change of the item's total stock at the location, integer ml (units for countables). */
  deltaMl: z.number().int().min(-10_000_000).max(10_000_000),
  /** Change of sealed containers; 0 for events about open containers. */
  containersDelta: z.number().int().min(-100_000).max(100_000).default(0),
  /**
   * The measured container's level after the event (the bottle on a scale or in a camera slot), or null
   * when the event is not a measurement. Lets the hub see a gap in one container's history.
   */
  levelAfterMl: z.number().int().min(0).max(10_000_000).nullable(),
  source: stockEventSourceSchema,
  deviceId: deviceIdSchema.optional(),
  userId: recordIdSchema.optional(),
  /** Scale platform or camera shelf slot the measurement came from. */
  slot: z.string().max(64).optional(),
  /** For `waste` events: why (the scanner's waste mode reason or the display's choice). */
  wasteReason: wasteReasonSchema.optional(),
  /** Free text a person added to a waste or adjust event ("dropped on the ice well"). */
  note: z.string().max(200).optional(),
  observedAt: isoDateTimeSchema,
  confidence: z.number().min(0).max(1),
});
export type StockEvent = z.infer<typeof stockEventSchema>;
export type StockEventInput = z.input<typeof stockEventSchema>;

export const MAX_EVENTS_PER_BATCH = 1000;

/** Gateway → hub: `POST /api/v1/gateways/:gatewayId/events`. */
export const eventBatchSchema = z
  .strictObject({
    gatewayId: recordIdSchema,
    /**
     * The oldest seq the gateway still holds unacknowledged. If the hub's contiguous seq is below
     * `fromSeq - 1`, the seqs in between are gone from the gateway for good: the hub records them as a
     * gap and moves on instead of waiting for ever.
     */
    fromSeq: z.number().int().positive(),
    events: z.array(stockEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  })
  .superRefine((batch, ctx) => {
    let previous = 0;
    batch.events.forEach((event, index) => {
      if (event.gatewayId !== batch.gatewayId) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'gatewayId'],
          message: 'differs from the batch gatewayId',
        });
      }
      if (event.seq <= previous) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'seq'],
          message: 'seqs must be strictly increasing',
        });
      }
      if (index === 0 && event.seq < batch.fromSeq) {
        ctx.addIssue({ code: 'custom', path: ['events', 0, 'seq'], message: 'first seq is below fromSeq' });
      }
      previous = event.seq;
    });
  });
export type EventBatch = z.infer<typeof eventBatchSchema>;
export type EventBatchInput = z.input<typeof eventBatchSchema>;

/** Hub → gateway answer to a batch. */
export const eventBatchAckSchema = z.strictObject({
  /** Highest seq such that every seq up to it is applied (or recorded as a gap). The gateway may delete up to here. */
  ackSeq: z.number().int().nonnegative(),
  /** Events of this batch applied now. */
  applied: z.number().int().nonnegative(),
  /** Events of this batch the hub already had (replays). */
  duplicates: z.number().int().nonnegative(),
  /** Seq ranges the hub has recorded as missing for this gateway, newest last. */
  gaps: z.array(z.strictObject({ fromSeq: z.number().int().positive(), toSeq: z.number().int().positive() })),
});
export type EventBatchAck = z.infer<typeof eventBatchAckSchema>;

/** Largest page of `GET /gateways/:id/events`, and the size of a page when `limit` is not given. */
export const MAX_SENT_EVENTS_PAGE = 500;

/**
 * Gateway → hub: `GET /api/v1/gateways/:id/events?afterSeq=N&limit=M` (gateway token, own id only). A gateway
 * restored from a backup asks the hub for the events it sent after the backup, which its restored database no
 * longer holds (edge/src/outbox/rebase.ts).
 */
export const sentEventsQuerySchema = z.strictObject({
  /** Events with a seq above this one; 0 for all. */
  afterSeq: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_SENT_EVENTS_PAGE).default(MAX_SENT_EVENTS_PAGE),
});
export type SentEventsQuery = z.infer<typeof sentEventsQuerySchema>;

/** Hub → gateway: one page of the gateway's own events, in seq order. */
export const sentEventsPageSchema = z
  .strictObject({
    events: z.array(stockEventSchema).max(MAX_SENT_EVENTS_PAGE),
    /** Pass as `afterSeq` for the next page; null when this page was the last. */
    nextAfterSeq: z.number().int().positive().nullable(),
  })
  .superRefine((page, ctx) => {
    page.events.forEach((event, index) => {
      if (index > 0 && event.seq <= page.events[index - 1]!.seq)
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'seq'],
          message: 'seqs must be strictly increasing',
        });
    });
    const last = page.events.at(-1);
    if (page.nextAfterSeq !== null && page.nextAfterSeq !== last?.seq)
      ctx.addIssue({ code: 'custom', path: ['nextAfterSeq'], message: 'is not the seq of the last event' });
  });
export type SentEventsPage = z.infer<typeof sentEventsPageSchema>;
