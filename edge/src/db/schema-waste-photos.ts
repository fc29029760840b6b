import { sql } from 'drizzle-orm';
import { blob, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The photo a person took of a waste entry on the staff display, kept until the hub has it: the outbox's
 * photo uploader (outbox/waste-photo-uploader.ts) sends it once the hub acknowledged the event, then deletes it.
 */
export const wastePhotos = sqliteTable('waste_photos', {
  /** The waste event's id (stock_events.id), the same at the hub. */
  eventId: text('event_id').primaryKey(),
  contentType: text('content_type', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  takenAt: text('taken_at').notNull(),
  attempts: integer('attempts').notNull().default(0),
  /** ms since epoch; 0 means as soon as the event is acknowledged. */
  nextAttemptAt: integer('next_attempt_at').notNull().default(0),
  lastError: text('last_error'),
  createdAt: integer('created_at')
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});
