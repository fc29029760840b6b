import { z } from 'zod';

/** ULIDs: 26 Crockford base-32 characters, time-sortable. */
export const ulidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID');
/** Ids the hub gives to its records (ULIDs, or short slugs for seeded records). */
export const recordIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id of 1-64 letters, digits, - or _');
export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/** Millisecond epoch timestamps, as devices and gateways send them. */
export const epochMsSchema = z.number().int().min(1_500_000_000_000).max(4_102_444_800_000);
