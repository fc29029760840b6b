import { generateSecret, type PosProvider } from '@pourcast/protocol';
import type { z } from 'zod';
import type { posConnectionInputSchema, posConnectionSchema } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';

export interface PosConnection {
  id: string;
  organizationId: string;
  locationId: string;
  provider: PosProvider;
  signingKey: string;
  notificationUrl: string | null;
  accessToken: string | null;
  apiBaseUrl: string | null;
}

type ConnectionOut = z.infer<typeof posConnectionSchema>;
const webhookPath = (provider: string, id: string) => `/api/v1/pos/webhooks/${provider}/${id}`;

/** A POS account for one bar. Tabit gets a generated HMAC secret, shown once; Square brings its own key. */
export async function createConnection(
  d1: D1Database,
  organizationId: string,
  input: z.infer<typeof posConnectionInputSchema>,
): Promise<ConnectionOut> {
  const db = openDb(d1);
  const location = await db.get(
    sql`SELECT id FROM locations WHERE id = ${input.locationId} AND organization_id = ${organizationId}`,
  );
  if (!location) throw new AppError(404, 'not_found', 'location not found');
  const id = newId();
  const createdAt = nowIso();
  const signingKey = input.provider === 'tabit' ? generateSecret() : input.signatureKey;
  await db.run(
    sql`INSERT INTO pos_connections (id, organization_id, location_id, provider, signing_key, notification_url,
          access_token, api_base_url, created_at)
        VALUES (${id}, ${organizationId}, ${input.locationId}, ${input.provider}, ${signingKey},
                ${input.provider === 'square' ? input.notificationUrl : null},
                ${input.provider === 'square' ? input.accessToken : null},
                ${input.provider === 'square' ? input.apiBaseUrl : null}, ${createdAt})`,
  );
  return {
    id,
    provider: input.provider,
    locationId: input.locationId,
    webhookPath: webhookPath(input.provider, id),
    ...(input.provider === 'tabit' ? { signingSecret: signingKey } : {}),
    createdAt,
  };
}

/** Connections without their keys. */
export async function listConnections(d1: D1Database, organizationId: string): Promise<ConnectionOut[]> {
  const results = await openDb(d1).all<{
    id: string;
    provider: PosProvider;
    location_id: string;
    created_at: string;
  }>(
    sql`SELECT id, provider, location_id, created_at FROM pos_connections WHERE organization_id = ${organizationId}
         ORDER BY created_at`,
  );
  return results.map((row) => ({
    id: row.id,
    provider: row.provider,
    locationId: row.location_id,
    webhookPath: webhookPath(row.provider, row.id),
    createdAt: row.created_at,
  }));
}

export async function findConnection(
  d1: D1Database,
  provider: PosProvider,
  id: string,
): Promise<PosConnection | null> {
  const row = await openDb(d1).get<Record<string, string | null>>(
    sql`SELECT * FROM pos_connections WHERE id = ${id} AND provider = ${provider}`,
  );
  if (!row) return null;
  return {
    id: row.id!,
    organizationId: row.organization_id!,
    locationId: row.location_id!,
    provider,
    signingKey: row.signing_key!,
    notificationUrl: row.notification_url ?? null,
    accessToken: row.access_token ?? null,
    apiBaseUrl: row.api_base_url ?? null,
  };
}

/** Records a webhook event id; false when this connection already accepted it (a replay). */
export async function claimEvent(d1: D1Database, connectionId: string, eventId: string): Promise<boolean> {
  const claimed = await openDb(d1).all<{ event_id: string }>(
    sql`INSERT INTO pos_webhook_receipts (connection_id, event_id, received_at)
        VALUES (${connectionId}, ${eventId}, ${nowIso()}) ON CONFLICT DO NOTHING RETURNING event_id`,
  );
  return claimed.length === 1;
}

/** Gives an event id back when processing failed, so the POS's retry is not refused as a replay. */
export async function releaseEvent(d1: D1Database, connectionId: string, eventId: string) {
  await openDb(d1).run(
    sql`DELETE FROM pos_webhook_receipts WHERE connection_id = ${connectionId} AND event_id = ${eventId}`,
  );
}
