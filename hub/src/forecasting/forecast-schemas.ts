import { z } from 'zod';
import { FORECAST_MODEL_NAMES, isoDateTimeSchema, recordIdSchema } from '@pourcast/protocol';

/**
 * The forecasting API's contract. It lives beside the routes until the dashboard needs it, then moves to
 * `@pourcast/protocol` unchanged (the schemas only use protocol's building blocks).
 */
const date = z.iso.date();
const quantity = z.number().nonnegative();

export const forecastQuerySchema = z.strictObject({
  locationId: recordIdSchema,
  itemId: recordIdSchema.optional(),
});
export const accuracyQuerySchema = z.strictObject({ locationId: recordIdSchema });

export const recentAccuracySchema = z.strictObject({
  days: z.number().int().nonnegative(),
  rmsse: z.number().nullable(),
  spl: z.number().nullable(),
  belowP10: z.number().min(0).max(1).nullable(),
  aboveP90: z.number().min(0).max(1).nullable(),
});

export const forecastSchema = z.strictObject({
  locationId: recordIdSchema,
  itemId: recordIdSchema,
  itemName: z.string(),
  /** 'ml' for liquids, 'unit' for countables: the unit of every quantity below. */
  unit: z.enum(['ml', 'unit']),
  startDate: date,
  historyEndDate: date,
  observedDays: z.number().int().nonnegative(),
  model: z.enum(FORECAST_MODEL_NAMES),
  components: z.array(z.enum(FORECAST_MODEL_NAMES)),
  coldStart: z.boolean(),
  days: z.array(z.strictObject({ date, mean: quantity, p10: quantity, p50: quantity, p90: quantity })),
  totals: z.array(
    z.strictObject({
      days: z.number().int().positive(),
      mean: quantity,
      p10: quantity,
      p50: quantity,
      p90: quantity,
    }),
  ),
  /** The chosen model's in-sample rolling backtest. */
  backtest: z
    .strictObject({
      windows: z.number().int(),
      rmsse: z.number().nullable(),
      mase: z.number().nullable(),
      wape: z.number().nullable(),
      bias: z.number().nullable(),
    })
    .nullable(),
  /** Its forecasts of the last 28 days scored against what happened. */
  accuracy: recentAccuracySchema,
  createdAt: isoDateTimeSchema,
});
export type ForecastAnswer = z.infer<typeof forecastSchema>;
export const forecastListSchema = z.strictObject({
  locationId: recordIdSchema,
  forecasts: z.array(forecastSchema),
});

export const accuracyAnswerSchema = z.strictObject({
  locationId: recordIdSchema,
  /** The accuracy window starts after this day (null before anything was scored). */
  since: date.nullable(),
  bar: recentAccuracySchema,
  items: z.array(
    recentAccuracySchema.extend({
      itemId: recordIdSchema,
      itemName: z.string(),
      model: z.string().nullable(),
    }),
  ),
});

export const forecastRunAnswerSchema = z.strictObject({
  runId: z.string(),
  seriesDone: z.number().int().nonnegative(),
  seriesFailed: z.number().int().nonnegative(),
  finished: z.boolean(),
});
