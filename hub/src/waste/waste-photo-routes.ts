import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  periodQuerySchema,
  recordIdSchema,
  WASTE_PHOTO_MAX_BYTES,
  wasteEventsSchema,
  wastePhotoProblem,
  wastePhotoUploadQuerySchema,
  sniffWastePhoto,
} from '@pourcast/protocol';
import { currentGateway, currentUser } from '../auth/guards.ts';
import { nowIso, openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { wasteEvents } from './waste.ts';

const eventParam = z.strictObject({ id: recordIdSchema, eventId: recordIdSchema });
const photoParam = z.strictObject({ eventId: recordIdSchema });
const periodQuery = periodQuerySchema.omit({ locationId: true });

/** The request body, read no further than one byte past the limit (a larger body is refused, not buffered). */
async function boundedBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > WASTE_PHOTO_MAX_BYTES) {
    throw new AppError(
      413,
      'payload_too_large',
      `the photo is ${declared} bytes; at most ${WASTE_PHOTO_MAX_BYTES}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > WASTE_PHOTO_MAX_BYTES) {
        await reader.cancel();
        throw new AppError(413, 'payload_too_large', `the photo is over ${WASTE_PHOTO_MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** D1 hands a BLOB back as an ArrayBuffer or as an array of byte values. */
const bytesOf = (value: ArrayBuffer | number[]) =>
  value instanceof ArrayBuffer ? new Uint8Array(value) : Uint8Array.from(value);

export const wastePhotoRoutes = new Hono<HubEnv>()
  .put(
    '/gateways/:id/waste-photos/:eventId',
    route({
      method: 'put',
      path: '/gateways/:id/waste-photos/:eventId',
      tag: 'waste',
      summary:
        'The photo of one of this gateway’s waste events (raw JPEG, PNG or WebP, at most 1 MiB); again for the same event replaces it; 409 while the event has not reached the hub',
      access: { kind: 'gateway' },
      query: wastePhotoUploadQuerySchema,
      status: 204,
    }),
    valid('param', eventParam),
    valid('query', wastePhotoUploadQuerySchema),
    async (c) => {
      const gateway = currentGateway(c);
      const { eventId } = c.req.valid('param');
      const bytes = await boundedBody(c.req.raw);
      const problem = wastePhotoProblem(bytes);
      if (problem) {
        throw new AppError(
          problem.status,
          problem.status === 413 ? 'payload_too_large' : 'unsupported_media_type',
          problem.reason,
        );
      }
      const event = await openDb(c.env.DB).get<{
        kind: string;
        gateway_id: string | null;
        organization_id: string;
        user_id: string | null;
        observed_at: string;
      }>(
        sql`SELECT kind, gateway_id, organization_id, user_id, observed_at FROM stock_events WHERE id = ${eventId}`,
      );
      if (!event) {
        throw new AppError(
          409,
          'event_not_here_yet',
          'the hub has no such event yet; upload again once it is acknowledged',
        );
      }
      if (event.gateway_id !== gateway.gatewayId || event.organization_id !== gateway.organizationId) {
        throw new AppError(403, 'forbidden', 'a gateway may only attach photos to its own events');
      }
      if (event.kind !== 'waste') throw new AppError(422, 'not_waste', 'photos belong to waste events only');
      await openDb(c.env.DB).run(
        sql`INSERT INTO waste_photos (event_id, organization_id, content_type, bytes, size, taken_by, taken_at, uploaded_at)
            VALUES (${eventId}, ${gateway.organizationId}, ${sniffWastePhoto(bytes)}, ${bytes}, ${bytes.length},
                    ${event.user_id}, ${c.req.valid('query').takenAt ?? event.observed_at}, ${nowIso()})
            ON CONFLICT (event_id) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes,
              size = excluded.size, taken_at = excluded.taken_at, uploaded_at = excluded.uploaded_at`,
      );
      return c.body(null, 204);
    },
  )
  .get(
    '/waste-photos/:eventId',
    route({
      method: 'get',
      path: '/waste-photos/:eventId',
      tag: 'waste',
      summary: 'The photo of a waste event (its own content type, cache-control private)',
      access: { kind: 'user', right: 'waste:photos' },
    }),
    valid('param', photoParam),
    async (c) => {
      const user = currentUser(c);
      const row = await openDb(c.env.DB).get<{ content_type: string; bytes: ArrayBuffer | number[] }>(
        sql`SELECT content_type, bytes FROM waste_photos
             WHERE event_id = ${c.req.valid('param').eventId} AND organization_id = ${user.organizationId}`,
      );
      if (!row) throw notFound('waste photo');
      return c.body(bytesOf(row.bytes), 200, {
        'content-type': row.content_type,
        'cache-control': 'private, max-age=3600',
      });
    },
  )
  .get(
    '/locations/:id/waste/events',
    route({
      method: 'get',
      path: '/locations/:id/waste/events',
      tag: 'waste',
      summary: 'Each waste event of a period, newest first, and whether it has a photo',
      access: { kind: 'user', right: 'waste:read' },
      query: periodQuery,
      response: wasteEventsSchema,
    }),
    valid('param', idParam),
    valid('query', periodQuery),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const { from, to } = c.req.valid('query');
      if (new Date(from) >= new Date(to)) {
        throw new AppError(400, 'invalid_request', 'invalid query', ['query.to: must be after from']);
      }
      const scope = { organizationId: user.organizationId, locationId: location.id, from, to };
      return c.json(await wasteEvents(c.env.DB, scope), 200);
    },
  );
