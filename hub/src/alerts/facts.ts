import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { lineFlags } from '../ordering/orders.ts';
import { loadNeeds } from '../ordering/load-needs.ts';
import { expectedDeliveryAt, placedAtSql } from '../ordering/expected-delivery.ts';
import { varianceLines } from '../variance/variance-report.ts';
import { readSettings } from '../variance/settings.ts';
import type {
  DiscrepancyFact,
  DraftOrderFact,
  GatewayFact,
  LateOrderFact,
  LicenceFact,
  StockFact,
  VarianceFact,
} from './rules.ts';

/** What the rules read from D1, one loader per rule, each scoped to one organization. */
export interface Location {
  id: string;
  name: string;
  timezone: string;
}

export async function loadLocations(d1: D1Database, organizationId: string): Promise<Location[]> {
  const results = await openDb(d1).all<Location>(
    sql`SELECT id, name, timezone FROM locations WHERE organization_id = ${organizationId} ORDER BY name, id`,
  );
  return results;
}

/** P90 is the level the ordering rules use for "enough until the next delivery". */
const STOCK_OUT_LEVEL = 0.9;

export async function stockFacts(
  d1: D1Database,
  organizationId: string,
  location: Location,
  now: Date,
): Promise<StockFact[]> {
  const needs = await loadNeeds(d1, organizationId, location.id, now);
  return needs.map((need) => {
    const leadTimeDays = need.offers.length ? Math.min(...need.offers.map((o) => o.leadTimeDays)) : 2;
    return {
      locationId: location.id,
      locationName: location.name,
      itemId: need.itemId,
      itemName: need.itemName,
      onHandMl: need.onHandMl,
      arrivingMl: need.arrivingMl,
      parMl: need.pinnedParMl ?? need.catalogParMl,
      demandP90BeforeDeliveryMl: need.outlook ? need.outlook.quantile(leadTimeDays, STOCK_OUT_LEVEL) : null,
      leadTimeDays,
      countable: need.containerLabel === 'units',
    };
  });
}

/** Flagged variance lines of the 24 hours before `now` (the last shift, whatever its hours). */
export async function varianceFacts(
  d1: D1Database,
  organizationId: string,
  location: Location,
  now: Date,
): Promise<VarianceFact[]> {
  const settings = await readSettings(d1, organizationId);
  const from = new Date(now.getTime() - 86_400_000).toISOString();
  const lines = await varianceLines(
    d1,
    { organizationId, locationId: location.id, from, to: now.toISOString() },
    settings,
  );
  return lines
    .filter((line) => line.flagged)
    .map((line) => ({
      locationId: location.id,
      locationName: location.name,
      itemId: line.itemId,
      itemName: line.itemName,
      varianceMl: line.varianceMl,
      variancePct: line.variancePct,
      bandMl: line.bandMl,
    }));
}

export async function gatewayFacts(d1: D1Database, organizationId: string): Promise<GatewayFact[]> {
  const results = await openDb(d1).all<GatewayFact>(
    sql`SELECT g.id AS gatewayId, g.name, g.location_id AS locationId, l.name AS locationName,
              COALESCE(g.last_seen_at, g.created_at) AS lastSeenAt
         FROM gateways g JOIN locations l ON l.id = g.location_id
        WHERE g.organization_id = ${organizationId} AND g.revoked_at IS NULL`,
  );
  return results;
}

export async function draftOrderFacts(d1: D1Database, organizationId: string): Promise<DraftOrderFact[]> {
  const results = await openDb(d1).all<DraftOrderFact>(
    sql`SELECT o.id AS orderId, o.location_id AS locationId, l.name AS locationName, s.name AS supplierName,
              o.created_at AS createdAt
         FROM purchase_orders o JOIN locations l ON l.id = o.location_id JOIN suppliers s ON s.id = o.supplier_id
        WHERE o.organization_id = ${organizationId} AND o.status = 'draft'`,
  );
  return results;
}

interface DiscrepancyRow {
  order_id: string;
  location_id: string;
  location_name: string;
  supplier_name: string;
  status: string;
  item_name: string;
  line_id: string | null;
  quantity: number;
  received_quantity: number;
  unit_price: number | null;
  received_unit_price: number | null;
}

interface AwaitingRow {
  order_id: string;
  location_id: string;
  location_name: string;
  supplier_name: string;
  /** When the order went to the supplier: sent, or approved when it was received without being sent. */
  placed_at: string;
  lead_time_days: number;
  item_name: string;
  quantity: number;
  received_quantity: number;
}

/**
 * Orders with a delivery received in the last `days` days, their lines' flags and the substituted items, each
 * net of the staff undos that took scans of it back off (an undone substitution is no difference); and every
 * order still partially received, however long ago its last delivery came, with when the whole delivery was
 * expected and the lines still short.
 */
export async function discrepancyFacts(
  d1: D1Database,
  organizationId: string,
  now: Date,
  days = 7,
): Promise<DiscrepancyFact[]> {
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const db = openDb(d1);
  const recent = db.all<DiscrepancyRow>(
    sql`WITH recent AS (
         SELECT DISTINCT order_id FROM order_receipts
          WHERE organization_id = ${organizationId} AND order_id IS NOT NULL AND received_at >= ${since})
       SELECT o.id AS order_id, o.location_id, l.name AS location_name, s.name AS supplier_name, o.status,
              i.name AS item_name, pl.id AS line_id, pl.quantity, pl.received_quantity, pl.unit_price,
              pl.received_unit_price
         FROM recent r JOIN purchase_orders o ON o.id = r.order_id
         JOIN locations l ON l.id = o.location_id JOIN suppliers s ON s.id = o.supplier_id
         JOIN purchase_order_lines pl ON pl.order_id = o.id JOIN items i ON i.id = pl.item_id
       UNION ALL
       SELECT o.id, o.location_id, l.name, s.name, o.status, i.name, NULL, 0, SUM(rc.quantity), NULL, NULL
         FROM recent r JOIN purchase_orders o ON o.id = r.order_id
         JOIN locations l ON l.id = o.location_id JOIN suppliers s ON s.id = o.supplier_id
         JOIN order_receipts rc ON rc.order_id = o.id AND rc.line_id IS NULL JOIN items i ON i.id = rc.item_id
        GROUP BY o.id, rc.item_id HAVING SUM(rc.quantity) <> 0`,
  );
  const awaiting = db.all<AwaitingRow>(
    sql`SELECT o.id AS order_id, o.location_id, l.name AS location_name, s.name AS supplier_name,
              ${placedAtSql} AS placed_at, o.lead_time_days, i.name AS item_name,
              pl.quantity, pl.received_quantity
         FROM purchase_orders o JOIN locations l ON l.id = o.location_id JOIN suppliers s ON s.id = o.supplier_id
         JOIN purchase_order_lines pl ON pl.order_id = o.id JOIN items i ON i.id = pl.item_id
        WHERE o.organization_id = ${organizationId} AND o.status = 'partially_received'
          AND pl.received_quantity < pl.quantity AND ${placedAtSql} IS NOT NULL
        ORDER BY o.id, i.name, pl.id`,
  );
  const [recentRows, awaitingRows] = await Promise.all([recent, awaiting]);
  const byOrder = new Map<string, DiscrepancyFact>();
  const factOf = (row: Omit<DiscrepancyRow, 'status'> | AwaitingRow): DiscrepancyFact => {
    let fact = byOrder.get(row.order_id);
    if (!fact) {
      fact = {
        orderId: row.order_id,
        locationId: row.location_id,
        locationName: row.location_name,
        supplierName: row.supplier_name,
        differences: [],
        awaiting: null,
      };
      byOrder.set(row.order_id, fact);
    }
    return fact;
  };
  for (const row of recentRows) {
    const fact = factOf(row);
    if (row.line_id === null) {
      fact.differences.push(`${row.item_name}: substituted (${row.received_quantity} not on the order)`);
      continue;
    }
    const flags = lineFlags({
      quantity: row.quantity,
      receivedQuantity: row.received_quantity,
      unitPrice: row.unit_price ?? 0,
      receivedUnitPrice: row.received_unit_price,
      delivered: row.status === 'received' || row.status === 'closed',
    });
    if (flags.length)
      fact.differences.push(
        `${row.item_name}: ${flags.join(', ').replace('_', ' ')} (${row.received_quantity} of ${row.quantity})`,
      );
  }
  for (const row of awaitingRows) {
    const fact = factOf(row);
    fact.awaiting ??= { expectedAt: expectedDeliveryAt(row.placed_at, row.lead_time_days), short: [] };
    fact.awaiting.short.push(`${row.item_name}: short (${row.received_quantity} of ${row.quantity})`);
  }
  return [...byOrder.values()];
}

/**
 * Orders still awaiting their first delivery: sent, or approved (an order phoned in, or never sent). Receiving
 * moves an order on which anything arrived to partially received or received, and back once every scan of it
 * is undone, so the status says whether nothing came. One query for the organization.
 */
export async function lateOrderFacts(d1: D1Database, organizationId: string): Promise<LateOrderFact[]> {
  const rows = await openDb(d1).all<Omit<LateOrderFact, 'expectedAt' | 'sent'> & { sent: number }>(
    sql`SELECT o.id AS orderId, o.location_id AS locationId, l.name AS locationName, s.name AS supplierName,
              ${placedAtSql} AS placedAt, o.sent_at IS NOT NULL AS sent, o.lead_time_days AS leadTimeDays
         FROM purchase_orders o JOIN locations l ON l.id = o.location_id JOIN suppliers s ON s.id = o.supplier_id
        WHERE o.organization_id = ${organizationId} AND o.status IN ('sent', 'approved')
          AND ${placedAtSql} IS NOT NULL
        ORDER BY o.id`,
  );
  return rows.map((row) => ({
    ...row,
    sent: row.sent === 1,
    expectedAt: expectedDeliveryAt(row.placedAt, row.leadTimeDays),
  }));
}

export async function licenceFacts(d1: D1Database, organizationId: string): Promise<LicenceFact[]> {
  const results = await openDb(d1).all<LicenceFact>(
    sql`SELECT c.id AS licenceId, c.location_id AS locationId, l.name AS locationName, c.name, c.kind,
              c.expires_on AS expiresOn, l.timezone
         FROM licences c JOIN locations l ON l.id = c.location_id WHERE c.organization_id = ${organizationId}`,
  );
  return results;
}
