import type { PosProvider, SaleIngestResult } from '@pourcast/protocol';
import { sql, type SQL } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { pourUsage } from '../recipes/apply-modifiers.ts';
import { modifierRules } from '../recipes/modifiers.ts';
import { recipeTimeline } from '../recipes/recipes.ts';
import { USAGE_FACTOR, type PosSaleLine, type SaleKind } from './sale-line.ts';

export interface SaleScope {
  organizationId: string;
  locationId: string;
  provider: PosProvider;
}

const CHUNK = 40;

/**
 * Records POS lines once each (idempotent on provider + line ref + kind), lists new POS item ids as "needs
 * mapping", then applies every line whose item is mapped. Nothing is dropped: an unmapped line waits.
 */
export async function recordSaleLines(
  d1: D1Database,
  scope: SaleScope,
  lines: PosSaleLine[],
): Promise<SaleIngestResult> {
  const now = nowIso();
  const statements: SQL[] = [];
  const seen = new Map<string, string>();
  for (const line of lines) seen.set(line.externalItemId, line.externalName);
  for (const [externalId, externalName] of seen) {
    statements.push(
      sql`INSERT INTO pos_item_mappings (organization_id, provider, external_id, external_name, menu_item_id, updated_at)
          VALUES (${scope.organizationId}, ${scope.provider}, ${externalId}, ${externalName}, NULL, ${now})
          ON CONFLICT DO UPDATE SET external_name = excluded.external_name, updated_at = excluded.updated_at`,
    );
  }
  const lineStatements = lines.map(
    (line) =>
      sql`INSERT INTO sale_lines (id, organization_id, location_id, provider, check_ref, line_ref, kind, external_item_id,
            external_name, quantity, modifiers, revenue, sold_at, station, staff)
          VALUES (${newId()}, ${scope.organizationId}, ${scope.locationId}, ${scope.provider}, ${line.checkRef},
                  ${line.lineRef}, ${line.kind}, ${line.externalItemId}, ${line.externalName}, ${line.quantity},
                  ${JSON.stringify(line.modifiers)}, ${line.revenue}, ${new Date(line.soldAt).toISOString()},
                  ${line.station ?? null}, ${line.staff ?? null})
          ON CONFLICT DO NOTHING RETURNING id`,
  );
  // One D1 batch, as before: drizzle writes each statement's text and parameters (see runBatch).
  const results = await runBatch(d1, [...statements, ...lineStatements]);
  const recorded = results.slice(statements.length).filter((r) => r.results.length > 0).length;
  await applyPendingSales(d1, scope.organizationId);
  const externalIds = [...seen.keys()];
  let needsMapping = 0;
  for (let i = 0; i < externalIds.length; i += CHUNK) {
    const ids = externalIds.slice(i, i + CHUNK);
    const marks = sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    );
    const row = await openDb(d1).get<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM pos_item_mappings WHERE organization_id = ${scope.organizationId}
             AND provider = ${scope.provider} AND menu_item_id IS NULL AND external_id IN (${marks})`,
    );
    needsMapping += row?.n ?? 0;
  }
  return { lines: lines.length, recorded, duplicates: lines.length - recorded, needsMapping };
}

interface PendingRow {
  id: string;
  location_id: string;
  kind: SaleKind;
  quantity: number;
  modifiers: string;
  sold_at: string;
  external_name: string;
  menu_item_id: string;
}

/**
 * Turns mapped, unapplied sale lines into expected usage: the recipe version valid when the line was sold,
 * modifiers applied, times the kind's factor. Each usage is mirrored in the ledger as a `sale` event with a
 * zero delta: a sale is what should have left the bottle, not a measurement, so the stock fold (migration 0001)
 * must not move — the scale or camera already recorded the pour itself. Answers how many lines it applied.
 */
export async function applyPendingSales(d1: D1Database, organizationId: string): Promise<number> {
  const pending = sql`FROM sale_lines s JOIN pos_item_mappings m ON m.organization_id = s.organization_id
           AND m.provider = s.provider AND m.external_id = s.external_item_id
         WHERE s.organization_id = ${organizationId} AND s.applied_at IS NULL AND m.menu_item_id IS NOT NULL`;
  const results = await openDb(d1).all<PendingRow>(
    sql`SELECT s.id, s.location_id, s.kind, s.quantity, s.modifiers, s.sold_at, s.external_name, m.menu_item_id
        ${pending} ORDER BY s.sold_at`,
  );
  if (!results.length) return 0;
  const rules = await modifierRules(d1, organizationId);
  // The recipes of the pending lines' menu items only: a webhook's one sale does not read the whole menu.
  const recipeAt = await recipeTimeline(d1, sql`SELECT DISTINCT m.menu_item_id ${pending}`);
  const now = nowIso();
  const statements: SQL[] = [];
  for (const line of results) {
    const recipe = recipeAt(line.menu_item_id, line.sold_at);
    if (!recipe) continue;
    const { usage } = pourUsage(recipe.lines, line.quantity, JSON.parse(line.modifiers) as string[], rules);
    const factor = USAGE_FACTOR[line.kind];
    for (const { itemId, ml } of usage) {
      const signed = ml * factor;
      if (signed === 0) continue;
      const eventId = newId();
      const reason = `${line.kind} ${line.external_name}: expected ${signed} ml`;
      statements.push(
        sql`INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
              container_ml, level_after_ml, source, reason, observed_at, confidence)
            SELECT ${eventId}, organization_id, ${line.location_id}, id, 'sale', 0, 0, container_ml, NULL, 'pos',
                   ${reason}, ${line.sold_at}, 1 FROM items
             WHERE id = ${itemId}
               AND NOT EXISTS (SELECT 1 FROM sale_usages WHERE sale_line_id = ${line.id} AND item_id = ${itemId})`,
        sql`INSERT INTO sale_usages (sale_line_id, item_id, location_id, ml, sold_at, stock_event_id)
            VALUES (${line.id}, ${itemId}, ${line.location_id}, ${signed}, ${line.sold_at}, ${eventId})
            ON CONFLICT DO NOTHING`,
      );
    }
    statements.push(
      sql`UPDATE sale_lines SET applied_at = ${now}, recipe_version_id = ${recipe.versionId}
           WHERE id = ${line.id} AND applied_at IS NULL`,
    );
  }
  for (let i = 0; i < statements.length; i += 300) await runBatch(d1, statements.slice(i, i + 300));
  return results.length;
}
