import { z } from 'zod';
import { isoDateTimeSchema, recordIdSchema } from './ids.ts';

/**
 * Hub → gateway: `GET /api/v1/gateways/:id/pars` (gateway token, own id only). The bar's items with the par in
 * force (pinned for this bar, else the catalog's) and the hub's on-hand stock, so the staff display can show
 * what is below par. The gateway caches the last answer and works from it offline.
 */
export const gatewayParLineSchema = z.strictObject({
  itemId: recordIdSchema,
  /** ml; null when the item has no par at this bar (the display falls back to its fill rule). */
  parMl: z.number().int().nonnegative().nullable(),
  /** The hub's stock of the item at the bar (sealed × size + open), ml, as of `ackSeq`. */
  onHandMl: z.number().int(),
});
export type GatewayParLine = z.infer<typeof gatewayParLineSchema>;

export const gatewayParsSchema = z.strictObject({
  locationId: recordIdSchema,
  /**
   * The highest contiguous seq of this gateway the hub had applied when it read the stock: the gateway adds its
   * own events after this seq to `onHandMl`, so a pour not yet forwarded still counts.
   */
  ackSeq: z.number().int().nonnegative(),
  asOf: isoDateTimeSchema,
  items: z.array(gatewayParLineSchema),
});
export type GatewayPars = z.infer<typeof gatewayParsSchema>;
