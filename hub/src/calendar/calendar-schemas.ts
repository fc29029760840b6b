import { z } from 'zod';
import { recordIdSchema } from '@pourcast/protocol';

/**
 * The calendar API's contract (a bar's dated events, its iCalendar feed and weather coordinates). It lives
 * beside the routes until the dashboard needs it, then moves to `@pourcast/protocol` unchanged.
 */
const date = z.iso.date();
export const eventKindSchema = z.enum(['holiday', 'event']);

export const eventInputSchema = z.strictObject({
  date,
  /** Events with the same name share one learned uplift: name recurring events the same way. */
  name: z.string().trim().min(1).max(120),
  kind: eventKindSchema.default('event'),
});

export const locationEventSchema = z.strictObject({
  id: recordIdSchema,
  locationId: recordIdSchema,
  date,
  name: z.string(),
  kind: eventKindSchema,
  source: z.enum(['manual', 'ical']),
});
export const eventListSchema = z.strictObject({ events: z.array(locationEventSchema) });
export const eventsQuerySchema = z.strictObject({ from: date.optional(), to: date.optional() });
export const eventParam = z.strictObject({ id: recordIdSchema, eventId: recordIdSchema });

export const calendarPatchSchema = z.strictObject({
  /**
   * The bar's iCalendar feed, or null to stop reading it (its events are removed). A well-formed http URL
   * passes here and is refused with 422 `feed_not_https` by the route: only https feeds are read.
   */
  icalUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional(),
  /** Where the bar is, for the weather regressor (used only when the hub has a weather API configured). */
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
});

export const calendarSettingsSchema = z.strictObject({
  locationId: recordIdSchema,
  icalUrl: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** The bar's local date of the last feed fetch, and what went wrong with it if anything. */
  icalFetchedOn: date.nullable(),
  icalError: z.string().nullable(),
  weatherFetchedOn: date.nullable(),
  weatherError: z.string().nullable(),
});

export type EventInput = z.infer<typeof eventInputSchema>;
export type LocationEvent = z.infer<typeof locationEventSchema>;
export type CalendarPatch = z.infer<typeof calendarPatchSchema>;
export type CalendarSettings = z.infer<typeof calendarSettingsSchema>;
