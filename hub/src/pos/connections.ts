import { generateSecret, type PosProvider } from '@pourcast/protocol';
import type { z } from 'zod';
import type { posConnectionInputSchema, posConnectionSchema } from '@pourcast/protocol';
import { newId, nowIso } from '../db/client.ts';
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
  const location = await d1
    .prepare('SELECT id FROM locations WHERE id = ? AND organization_id = ?')
    .bind(input.locationId, organizationId)
    .first();
  if (!location) throw new AppError(404, 'not_found', 'location not found');
  const id = newId();
  const createdAt = nowIso();
  const signingKey = input.provider === 'tabit' ? generateSecret() : input.signatureKey;
  await d1
    .prepare(
      `INSERT INTO pos_connections (id, organization_id, location_id, provider, signing_key, notification_url,
         access_token, api_base_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      id,
      organizationId,
      input.locationId,
      input.provider,
      signingKey,
      input.provider === 'square' ? input.notificationUrl : null,
      input.provider === 'square' ? input.accessToken : null,
      input.provider === 'square' ? input.apiBaseUrl : null,
      createdAt,
    )
    .run();
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
  const { results } = await d1
    .prepare(
      'SELECT id, provider, location_id, created_at FROM pos_connections WHERE organization_id = ? ORDER BY created_at',
    )
    .bind(organizationId)
    .all<{ id: string; provider: PosProvider; location_id: string; created_at: string }>();
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
  const row = await d1
    .prepare('SELECT * FROM pos_connections WHERE id = ? AND provider = ?')
    .bind(id, provider)
    .first<Record<string, string | null>>();
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
  const result = await d1
    .prepare(
      'INSERT INTO pos_webhook_receipts (connection_id, event_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING event_id',
    )
    .bind(connectionId, eventId, nowIso())
    .all();
  return result.results.length === 1;
}

/** Gives an event id back when processing failed, so the POS's retry is not refused as a replay. */
export async function releaseEvent(d1: D1Database, connectionId: string, eventId: string) {
  await d1
    .prepare('DELETE FROM pos_webhook_receipts WHERE connection_id = ? AND event_id = ?')
    .bind(connectionId, eventId)
    .run();
}
