import { customType, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { organizations, stockEvents } from './schema.ts';

/**
 * The photo's bytes as a BLOB in D1, read through drizzle as base64 text so the organization export
 * (data-rights/export.ts) writes it into its JSON and CSV as it is; the photo route reads the raw BLOB itself.
 */
const base64Blob = customType<{ data: string; driverData: ArrayBuffer | number[] }>({
  dataType: () => 'blob',
  fromDriver(value) {
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
  toDriver(value) {
    return Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)).buffer;
  },
});

/**
 * The optional photo of a waste event (issue 5): one per ledger event, uploaded by the gateway that logged it
 * (waste/waste-photo-routes.ts), read by managers and owners.
 */
export const wastePhotos = sqliteTable(
  'waste_photos',
  {
    eventId: text('event_id')
      .primaryKey()
      .references(() => stockEvents.id, { onDelete: 'cascade' }),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id),
    contentType: text('content_type', { enum: ['image/jpeg', 'image/png', 'image/webp'] }).notNull(),
    bytes: base64Blob('bytes').notNull(),
    size: integer('size').notNull(),
    takenBy: text('taken_by'),
    takenAt: text('taken_at').notNull(),
    uploadedAt: text('uploaded_at').notNull(),
  },
  (t) => [index('waste_photos_organization_idx').on(t.organizationId)],
);
