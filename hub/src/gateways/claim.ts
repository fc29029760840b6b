import { sql } from 'drizzle-orm';
import { generateSecret, sha256Base64Url, type GatewayClaimResponse } from '@pourcast/protocol';
import { GATEWAY_TOKEN_PREFIX } from '../auth/guards.ts';
import { newId, nowIso, openDb, runBatch, type Db } from '../db/client.ts';
import { claimCodes } from '../db/schema.ts';
import { AppError } from '../http/app-error.ts';
import type { HubBindings } from '../env.ts';

/** Crockford base-32 without I, L, O, U: easy to read off a screen and type on a gateway. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 12 random characters (60 bits) shown as XXXX-XXXX-XXXX. */
export function generateClaimCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** Case, spaces and dashes do not matter when a technician types the code. */
export const normalizeClaimCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

export const newGatewayToken = () => `${GATEWAY_TOKEN_PREFIX}${generateSecret(32)}`;

/** Stores only the SHA-256 of a new code; the code itself is answered once. */
export async function createClaimCode(
  db: Db,
  env: HubBindings,
  scope: { organizationId: string; locationId: string; userId: string },
  now = Date.now(),
) {
  const code = generateClaimCode();
  const ttlHours = Number(env.CLAIM_CODE_TTL_HOURS ?? 24) || 24;
  const expiresAt = new Date(now + ttlHours * 3_600_000).toISOString();
  await db.insert(claimCodes).values({
    codeHash: await sha256Base64Url(normalizeClaimCode(code)),
    organizationId: scope.organizationId,
    locationId: scope.locationId,
    createdBy: scope.userId,
    expiresAt,
  });
  return { code, expiresAt };
}

/**
 * Spends a claim code: in one D1 batch (a transaction) creates the gateway from the code's location, marks
 * the code used and opens the gateway's cursor at 0. Nothing happens unless the code is unused and unexpired,
 * so a code works exactly once even when two gateways race.
 */
export async function claimGateway(
  d1: D1Database,
  code: string,
  name: string,
): Promise<GatewayClaimResponse> {
  const codeHash = await sha256Base64Url(normalizeClaimCode(code));
  const gatewayId = newId();
  const token = newGatewayToken();
  const now = nowIso();
  const tokenHash = await sha256Base64Url(token);
  const usable = sql`code_hash = ${codeHash} AND used_at IS NULL AND expires_at > ${now}`;
  const [created] = await runBatch(d1, [
    sql`INSERT INTO gateways (id, organization_id, location_id, name, token_hash)
        SELECT ${gatewayId}, organization_id, location_id, ${name}, ${tokenHash} FROM claim_codes WHERE ${usable}`,
    sql`UPDATE claim_codes SET used_at = ${now}, gateway_id = ${gatewayId} WHERE ${usable}`,
    sql`INSERT INTO gateway_cursors (gateway_id, ack_seq, updated_at) SELECT id, 0, ${now} FROM gateways WHERE id = ${gatewayId}`,
  ]);
  if (!created || created.meta.changes !== 1) {
    throw new AppError(401, 'claim_code_invalid', 'the claim code is unknown, already used or expired');
  }
  const row = await openDb(d1).get<{ organization_id: string; location_id: string }>(
    sql`SELECT organization_id, location_id FROM gateways WHERE id = ${gatewayId}`,
  );
  return { gatewayId, token, locationId: row!.location_id, organizationId: row!.organization_id };
}
