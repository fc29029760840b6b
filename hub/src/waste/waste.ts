import type { ItemUnit } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';

/**
 * A waste event's `reason` column: `reason: note`, `reason`, or `unspecified: note` when only a note came.
 * The waste report groups by the text before the first colon.
 */
export function ledgerReason(reason: string | undefined, note: string | undefined): string | null {
  const trimmed = note?.trim();
  if (!reason) return trimmed ? `unspecified: ${trimmed}` : null;
  return trimmed ? `${reason}: ${trimmed}` : reason;
}

/** ledgerReason's inverse: the text before the column's first colon and the note after it, both trimmed. */
export function splitLedgerReason(column: string | null): { reason: string; note: string } {
  const colon = column?.indexOf(':') ?? -1;
  if (column === null || colon < 0) return { reason: column?.trim() ?? '', note: '' };
  return { reason: column.slice(0, colon).trim(), note: column.slice(colon + 1).trim() };
}

export interface WasteInput {
  itemId: string;
  ml: number;
  reason: string;
  note?: string;
}

/**
 * Waste logged at the hub: a `waste` ledger event (source manual) that lowers stock like the gateway's waste
 * events do. Its reason (and note) is kept in the event's `reason` column as `reason: note`.
 */
export async function logWaste(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; userId: string },
  input: WasteInput,
) {
  const reason = ledgerReason(input.reason, input.note);
  const inserted = await openDb(d1).all<{ id: string }>(
    sql`INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
          container_ml, level_after_ml, source, user_id, reason, observed_at, confidence)
        SELECT ${newId()}, organization_id, ${scope.locationId}, id, 'waste', ${-input.ml}, 0, container_ml, NULL,
               'manual', ${scope.userId}, ${reason}, ${nowIso()}, 1
          FROM items WHERE id = ${input.itemId} AND organization_id = ${scope.organizationId} AND archived_at IS NULL
        RETURNING id`,
  );
  if (inserted.length !== 1) {
    throw new AppError(422, 'unknown_item', 'the waste names an item this organization does not have', [
      'body.itemId: not an item of this organization',
    ]);
  }
}

/**
 * The waste events of a bar in a period, one row each: the amount wasted (ml, units for a countable, as the
 * item's `unit` says), its cost per ml or unit, and the reason as it is grouped by: the text before the
 * first colon, "unspecified" for events from gateways without a reason.
 */
export async function wasteEntries(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; from: string; to: string },
) {
  return openDb(d1).all<{
    item_id: string;
    name: string;
    unit: ItemUnit;
    ml: number;
    cost_per_ml: number;
    reason: string;
  }>(
    sql`SELECT e.item_id, i.name, i.unit, -e.delta_ml AS ml, i.cost * 1.0 / i.container_ml AS cost_per_ml,
               COALESCE(NULLIF(TRIM(SUBSTR(e.reason, 1, INSTR(e.reason || ':', ':') - 1)), ''), 'unspecified') AS reason
          FROM stock_events e JOIN items i ON i.id = e.item_id
         WHERE e.organization_id = ${scope.organizationId} AND e.location_id = ${scope.locationId} AND e.kind = 'waste'
           AND e.observed_at >= ${new Date(scope.from).toISOString()} AND e.observed_at < ${new Date(scope.to).toISOString()}`,
  );
}

type WasteEntry = Awaited<ReturnType<typeof wasteEntries>>[number];

/**
 * Waste entries summed by reason and unit: a reason wasted in ml and in units is two groups, never added
 * together. Costs are not rounded. The waste report's reasons and the reports' waste section both read this.
 */
export function wasteByReason(entries: readonly WasteEntry[]) {
  const groups = new Map<
    string,
    { reason: string; unit: ItemUnit; amount: number; events: number; cost: number }
  >();
  for (const entry of entries) {
    const key = `${entry.reason}\u0000${entry.unit}`;
    const group = groups.get(key) ?? {
      reason: entry.reason,
      unit: entry.unit,
      amount: 0,
      events: 0,
      cost: 0,
    };
    group.amount += entry.ml;
    group.events += 1;
    group.cost += entry.ml * entry.cost_per_ml;
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Waste in a period by reason and by item (`wasteEntries`), in each item's unit: a reason has a line per unit. */
export async function wasteReport(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; from: string; to: string },
  withMoney: boolean,
) {
  const results = await wasteEntries(d1, scope);
  type Line = { unit: ItemUnit; amount: number; cost: number };
  const items = new Map<string, Line & { itemId: string; itemName: string }>();
  for (const row of results) {
    const it = items.get(row.item_id) ?? {
      itemId: row.item_id,
      itemName: row.name,
      unit: row.unit,
      amount: 0,
      cost: 0,
    };
    it.amount += row.ml;
    it.cost += row.ml * row.cost_per_ml;
    items.set(row.item_id, it);
  }
  // ml lines first, then units; the largest amount first within each.
  const byAmount = (a: Line, b: Line) => (a.unit === b.unit ? b.amount - a.amount : a.unit === 'ml' ? -1 : 1);
  const money = <T extends Line>(entry: T) => {
    const { cost, ...rest } = entry;
    return withMoney ? { ...rest, cost: Math.round(cost * 100) / 100 } : rest;
  };
  return {
    locationId: scope.locationId,
    reasons: wasteByReason(results).sort(byAmount).map(money),
    items: [...items.values()].sort(byAmount).map(money),
  };
}

/** The waste events of a period, newest first (at most 500), each saying whether a photo came with it. */
export async function wasteEvents(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; from: string; to: string },
) {
  const results = await openDb(d1).all<{
    id: string;
    item_id: string;
    name: string;
    ml: number;
    reason: string | null;
    user_id: string | null;
    source: string;
    observed_at: string;
    has_photo: number;
  }>(
    sql`SELECT e.id, e.item_id, i.name, -e.delta_ml AS ml, e.reason, e.user_id, e.source, e.observed_at,
               p.event_id IS NOT NULL AS has_photo
          FROM stock_events e JOIN items i ON i.id = e.item_id
          LEFT JOIN waste_photos p ON p.event_id = e.id
         WHERE e.organization_id = ${scope.organizationId} AND e.location_id = ${scope.locationId} AND e.kind = 'waste'
           AND e.observed_at >= ${new Date(scope.from).toISOString()} AND e.observed_at < ${new Date(scope.to).toISOString()}
         ORDER BY e.observed_at DESC LIMIT 500`,
  );
  return {
    locationId: scope.locationId,
    events: results.map((row) => {
      const { reason, note } = splitLedgerReason(row.reason);
      return {
        id: row.id,
        itemId: row.item_id,
        itemName: row.name,
        ml: row.ml,
        reason: reason || 'unspecified',
        ...(note ? { note } : {}),
        ...(row.user_id ? { userId: row.user_id } : {}),
        source: row.source,
        observedAt: row.observed_at,
        hasPhoto: row.has_photo === 1,
      };
    }),
  };
}
