import { z } from 'zod';
import { deviceIdSchema, scanModeSchema } from './device-messages.ts';
import { recordIdSchema } from './ids.ts';
import { stockEventSchema, wasteReasonSchema } from './stock-event.ts';

/**
 * The staff display behind the bar talks to its gateway under /api/v1/staff. Reads (snapshot, live feed,
 * weighing) are open on the bar LAN like the rest of the gateway's read API; every write needs a display
 * token, which a display gets by pairing with a one-time code the technician asks the gateway for.
 */

/** Technician (admin token) → gateway: `POST /api/v1/staff/pairing-codes`. */
export const pairingCodeSchema = z.strictObject({
  /** 8 digits, single use. */
  code: z.string().regex(/^\d{8}$/),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type PairingCode = z.infer<typeof pairingCodeSchema>;

/** Display → gateway: `POST /api/v1/staff/pair`. */
export const pairRequestSchema = z.strictObject({
  code: z.string().regex(/^\d{8}$/, 'must be the 8-digit pairing code'),
  /** What the technician calls this screen ("back bar tablet"). */
  name: z.string().trim().min(1).max(60),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

export const pairResponseSchema = z.strictObject({
  displayId: z.string().regex(/^display-[0-9a-z]{8}$/),
  name: z.string(),
  /** Also set as an HttpOnly cookie; shown once, stored hashed on the gateway. */
  token: z.string().min(32),
});
export type PairResponse = z.infer<typeof pairResponseSchema>;

/** Why something was wasted, as the display offers it (the hub's waste report groups by these). */
export const wasteEntryReasonSchema = wasteReasonSchema.extract([
  'spill',
  'breakage',
  'comp',
  'spoiled',
  'other',
]);
export const WASTE_ENTRY_REASONS = wasteEntryReasonSchema.options;
export type WasteEntryReason = z.infer<typeof wasteEntryReasonSchema>;

/** Staff initials, as a person types them on the display (2-4 letters). */
export const staffInitialsSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2,4}$/, 'must be 2-4 letters (initials)')
  .transform((value) => value.toUpperCase());

/** Display → gateway: `POST /api/v1/staff/waste`. Becomes one `waste` stock event. */
export const wasteEntrySchema = z.strictObject({
  itemId: recordIdSchema,
  ml: z.number().int().positive().max(100_000),
  reason: wasteEntryReasonSchema,
  /** A whole sealed bottle (breakage): one container less, `ml` is then its size. */
  sealedBottle: z.boolean().default(false),
  /** Who is logging it. */
  staff: staffInitialsSchema,
  /** Anything the person wants to add ("dropped on the ice well"). */
  note: z.string().trim().max(200).optional(),
});
export type WasteEntry = z.input<typeof wasteEntrySchema>;

/** Display → gateway: `POST /api/v1/staff/undo`. Appends a compensating event; nothing is updated in place. */
export const undoRequestSchema = z.strictObject({
  /** The ledger seq of the event to undo. */
  seq: z.number().int().positive(),
  staff: staffInitialsSchema,
});
export type UndoRequest = z.input<typeof undoRequestSchema>;

/**
 * An undo is a compensating `adjust` event, source `display`, on the same gateway, whose slot names the ledger
 * seq it undoes (`undo:42`). The gateway writes it; the hub reads it to take an undone delivery scan off its
 * purchase order.
 */
export const UNDO_SLOT_PREFIX = 'undo:';
export const undoSlot = (seq: number): string => `${UNDO_SLOT_PREFIX}${seq}`;
/** The seq an event undoes, or null when it is not a display undo (or its slot does not parse). */
export function undoneSeq(event: { slot?: string | null | undefined; source: string }): number | null {
  if (event.source !== 'display' || !event.slot?.startsWith(UNDO_SLOT_PREFIX)) return null;
  const seq = Number(event.slot.slice(UNDO_SLOT_PREFIX.length));
  return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/**
 * Display → gateway: `POST /api/v1/staff/scanners/:deviceId/mode`. A bartender taking a delivery puts the
 * scanner in receive mode (and back to count). The gateway sends it as the scanner's config (retained, until
 * the scanner acknowledges it); the scanner protocol carries the mode only, so a waste-mode scan has no reason.
 */
export const scanModeRequestSchema = z.strictObject({
  mode: scanModeSchema,
  staff: staffInitialsSchema,
});
export type ScanModeRequest = z.input<typeof scanModeRequestSchema>;

/** A scanner's mode as the display shows it: the one last sent and whether the scanner has acknowledged it. */
export const scannerModeSchema = z.strictObject({
  /** null: never configured, the scanner is in its own default mode (count). */
  mode: scanModeSchema.nullable(),
  /** Sent and not yet acknowledged by the scanner. */
  pending: z.boolean(),
  configVersion: z.number().int().nonnegative().nullable(),
});
export type ScannerMode = z.infer<typeof scannerModeSchema>;

/** The gateway's answer to a scan mode request. */
export const scanModeResponseSchema = z.strictObject({
  deviceId: deviceIdSchema,
  scanMode: scannerModeSchema,
});
export type ScanModeResponse = z.infer<typeof scanModeResponseSchema>;

/** The gateway's answer to a waste entry or an undo: the event it appended. */
export const staffWriteResponseSchema = z.strictObject({ event: stockEventSchema });
export type StaffWriteResponse = z.infer<typeof staffWriteResponseSchema>;

/** One tile: a shelf slot (scale platform) and its bottle, level against the bottle's size. */
export const slotTileSchema = z.strictObject({
  deviceId: deviceIdSchema,
  slot: z.string(),
  itemId: recordIdSchema.nullable(),
  itemName: z.string().nullable(),
  containerMl: z.number().int().positive().nullable(),
  levelMl: z.number().int().nullable(),
  fill: z.number().min(0).max(1).nullable(),
  phase: z.enum(['unknown', 'empty', 'bottle']),
  /** The item's par at the bar (from the hub), ml; null when it has none. */
  parMl: z.number().int().nonnegative().nullable(),
  /** The bar's on-hand stock of the item (all its bottles, sealed and open), ml; null without a par. */
  onHandMl: z.number().int().nullable(),
  /** On hand below par; for an item without a par, the bottle's fill below the display's `lowFill`. */
  low: z.boolean(),
});
export type SlotTile = z.infer<typeof slotTileSchema>;

export const displayDeviceSchema = z.strictObject({
  id: deviceIdSchema,
  kind: z.string(),
  state: z.enum(['online', 'offline', 'unknown']),
  lastStatusAt: z.iso.datetime({ offset: true }).nullable(),
  /** Scanners only: the mode the gateway sent and whether the scanner acknowledged it. */
  scanMode: scannerModeSchema.optional(),
});
export type DisplayDevice = z.infer<typeof displayDeviceSchema>;

export const hubLinkSchema = z.strictObject({
  reachable: z.boolean(),
  claimed: z.boolean(),
  /** Events the hub has not acknowledged yet. */
  pending: z.number().int().nonnegative(),
});
export type HubLinkState = z.infer<typeof hubLinkSchema>;

/** An item the display may pick (waste form, weighing). */
export const displayItemSchema = z.strictObject({
  id: recordIdSchema,
  name: z.string(),
  containerMl: z.number().int().positive(),
  weighable: z.boolean(),
});

/** A recent ledger event with what the display needs to show it and whether it may still be undone. */
export const recentEventSchema = z.strictObject({
  event: stockEventSchema,
  itemName: z.string().nullable(),
  /** Already undone by a later compensating event. */
  undone: z.boolean(),
  /** This event is itself an undo. */
  undoOf: z.number().int().positive().nullable(),
});
export type RecentEvent = z.infer<typeof recentEventSchema>;

/** `GET /api/v1/staff/snapshot`: everything the display shows, as of ledger seq `lastSeq`. */
export const staffSnapshotSchema = z.strictObject({
  lastSeq: z.number().int().nonnegative(),
  tiles: z.array(slotTileSchema),
  recent: z.array(recentEventSchema),
  devices: z.array(displayDeviceSchema),
  hub: hubLinkSchema,
  items: z.array(displayItemSchema),
  /** Fill share under which the tile of an item without a par is low. */
  lowFill: z.number().min(0).max(1),
});
export type StaffSnapshot = z.infer<typeof staffSnapshotSchema>;

/**
 * Server-Sent Events on `GET /api/v1/staff/live`. Each `event:` name has its payload schema; `stock` events
 * carry the ledger seq as their SSE id, so a reconnecting display resumes with `Last-Event-ID`.
 */
export const staffLiveSchemas = {
  stock: recentEventSchema,
  tiles: z.strictObject({ tiles: z.array(slotTileSchema) }),
  device: displayDeviceSchema,
  hub: hubLinkSchema,
  /** The display fell too far behind (its queue overflowed): fetch a fresh snapshot. */
  resync: z.strictObject({ reason: z.string() }),
} as const;
export type StaffLiveName = keyof typeof staffLiveSchemas;
export type StaffLivePayload<K extends StaffLiveName> = z.infer<(typeof staffLiveSchemas)[K]>;

/** `GET /api/v1/staff/scales/:deviceId/platforms/:platform/weight?itemId=`: the weigh-this-bottle reading. */
export const weighQuerySchema = z.strictObject({ itemId: recordIdSchema.optional() });
export const weighReadingSchema = z.strictObject({
  deviceId: deviceIdSchema,
  platform: z.number().int().min(0).max(15),
  /** Latest net grams on the platform; null before the first reading. */
  grams: z.number().nullable(),
  /** The last few readings agree within 3 g. */
  stable: z.boolean(),
  /** With an item: the liquid in the bottle, from its empty weight and density. */
  levelMl: z.number().int().nonnegative().nullable(),
  fill: z.number().min(0).max(1).nullable(),
});
export type WeighReading = z.infer<typeof weighReadingSchema>;
