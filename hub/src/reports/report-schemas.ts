import { z } from 'zod';
import { isoDateTimeSchema, itemUnitSchema, recordIdSchema, userLocaleSchema } from '@pourcast/protocol';

/** The reports a manager can run (issue 6); each is a table plus totals compared with the previous period. */
export const REPORT_KINDS = ['valuation', 'variance', 'usage', 'waste', 'orders'] as const;
export const reportKindSchema = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof reportKindSchema>;
export const REPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;

const day = z.iso.date();

/** A period of whole days (inclusive, UTC), one bar or every bar of the organization. */
export const reportQuerySchema = z.strictObject({
  locationId: recordIdSchema.optional(),
  from: day,
  to: day,
});
/** An export: the format, and the language to write it in (else the caller's own, else en-US). */
export const reportExportQuerySchema = reportQuerySchema.extend({
  format: z.enum(REPORT_FORMATS),
  locale: userLocaleSchema.optional(),
});
export const reportParamSchema = z.strictObject({ kind: reportKindSchema });

/**
 * How a column's values read: money in the organization's currency, an amount in its row's unit (the row's
 * `unit` column), a plain number, text, a date, or the unit itself (`ml` for a liquid, `unit` for a
 * countable such as a can or a bottled beer, counted in units).
 */
export const columnTypeSchema = z.enum(['text', 'date', 'number', 'amount', 'money', 'unit']);
export type ColumnType = z.infer<typeof columnTypeSchema>;

export const reportSchema = z.strictObject({
  kind: reportKindSchema,
  title: z.string(),
  organization: z.string(),
  currency: z.string(),
  /** Bar names covered. */
  bars: z.array(z.string()),
  from: isoDateTimeSchema,
  to: isoDateTimeSchema,
  /** The period of the same length just before. */
  previous: z.strictObject({ from: isoDateTimeSchema, to: isoDateTimeSchema }),
  columns: z.array(z.strictObject({ key: z.string(), label: z.string(), type: columnTypeSchema })),
  /** A row with amounts says their unit in its `unit` value (ml or unit); one row never mixes them. */
  rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
  /**
   * Money adds up across items; amounts only within a unit, so an amount figure has one total per unit
   * its rows are in (ml for the liquids, unit for the countables), each saying its `unit`, null for
   * money and counts.
   */
  totals: z.array(
    z.strictObject({
      key: z.string(),
      label: z.string(),
      type: columnTypeSchema,
      unit: itemUnitSchema.nullable(),
      value: z.number(),
      previous: z.number().nullable(),
    }),
  ),
});
export type Report = z.infer<typeof reportSchema>;

export const stockHistoryQuerySchema = z.strictObject({
  locationId: recordIdSchema,
  itemId: recordIdSchema,
  days: z.coerce.number().int().min(1).max(366).default(28),
});
export const stockHistorySchema = z.strictObject({
  locationId: recordIdSchema,
  itemId: recordIdSchema,
  /**
   * Total ml on hand at the end of each trading day at the bar (06:00 to 06:00 local), oldest first, the
   * last the day in progress (stock now); from the first day the ledger tracked the item at the bar: the
   * days before it are unmeasured, not empty.
   */
  points: z.array(z.strictObject({ date: day, totalMl: z.number().int() })),
});

export const reportContextSchema = z.strictObject({ organization: z.string(), currency: z.string() });
