import { and, asc, eq, isNull } from 'drizzle-orm';
import { sha256Base64Url, type GatewayCatalog, type GatewaySummary } from '@pourcast/protocol';
import { nowIso, type Db } from '../db/client.ts';
import { gatewayCursors, gatewayGaps, gateways, items } from '../db/schema.ts';
import { notFound } from '../http/app-error.ts';
import { newGatewayToken } from './claim.ts';

/** The organization's gateways with their ingest cursor and recorded gaps. */
export async function listGateways(db: Db, organizationId: string): Promise<GatewaySummary[]> {
  const rows = await db
    .select({
      id: gateways.id,
      name: gateways.name,
      locationId: gateways.locationId,
      lastSeenAt: gateways.lastSeenAt,
      revokedAt: gateways.revokedAt,
      ackSeq: gatewayCursors.ackSeq,
    })
    .from(gateways)
    .leftJoin(gatewayCursors, eq(gatewayCursors.gatewayId, gateways.id))
    .where(eq(gateways.organizationId, organizationId))
    .orderBy(asc(gateways.name), asc(gateways.id));
  const gaps = await db
    .select()
    .from(gatewayGaps)
    .innerJoin(gateways, eq(gateways.id, gatewayGaps.gatewayId))
    .where(eq(gateways.organizationId, organizationId))
    .orderBy(asc(gatewayGaps.id));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    locationId: row.locationId,
    ackSeq: row.ackSeq ?? 0,
    lastSeenAt: row.lastSeenAt,
    revoked: row.revokedAt !== null,
    gaps: gaps
      .filter((gap) => gap.gateway_gaps.gatewayId === row.id)
      .map(({ gateway_gaps: gap }) => ({
        fromSeq: gap.fromSeq,
        toSeq: gap.toSeq,
        recordedAt: gap.recordedAt,
      })),
  }));
}

async function assertOwnGateway(db: Db, organizationId: string, id: string) {
  const [row] = await db
    .select({ id: gateways.id })
    .from(gateways)
    .where(and(eq(gateways.id, id), eq(gateways.organizationId, organizationId)));
  if (!row) throw notFound('gateway');
}

/** A new token replaces the old one at once (and lifts a revocation); answered once. */
export async function rotateGatewayToken(db: Db, organizationId: string, id: string) {
  await assertOwnGateway(db, organizationId, id);
  const token = newGatewayToken();
  await db
    .update(gateways)
    .set({ tokenHash: await sha256Base64Url(token), revokedAt: null })
    .where(eq(gateways.id, id));
  return { gatewayId: id, token };
}

export async function revokeGatewayToken(db: Db, organizationId: string, id: string) {
  await assertOwnGateway(db, organizationId, id);
  await db.update(gateways).set({ revokedAt: nowIso() }).where(eq(gateways.id, id));
}

/** What a gateway caches to work offline: every active item of its organization. */
export async function gatewayCatalog(
  db: Db,
  organizationId: string,
  locationId: string,
): Promise<GatewayCatalog> {
  const rows = await db
    .select({
      id: items.id,
      name: items.name,
      category: items.category,
      containerMl: items.containerMl,
      barcodes: items.barcodes,
      emptyWeightG: items.emptyWeightG,
      densityGPerMl: items.densityGPerMl,
    })
    .from(items)
    .where(and(eq(items.organizationId, organizationId), isNull(items.archivedAt)))
    .orderBy(asc(items.name));
  return { locationId, items: rows };
}
