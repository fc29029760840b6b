import { sql } from 'drizzle-orm';
import type { BarSettings, MenuItem, PourCostReport } from '@pourcast/protocol';
import { openDb } from '../db/client.ts';

export interface PourCostScope {
  organizationId: string;
  /** One bar's sales, or every bar of the organization when null. */
  locationId: string | null;
  from: string;
  to: string;
}

const round = (n: number) => Math.round(n * 100) / 100;
const share = (cost: number, price: number) =>
  price > 0 ? Math.round((cost / price) * 10_000) / 10_000 : null;

/** The band of a category: its own when the owner set one, otherwise the bar's default band. */
export function targetFor(settings: BarSettings, category: string) {
  const own = settings.categoryPourCostTargets[category];
  return own ?? { low: settings.pourCostTargetLow, high: settings.pourCostTargetHigh };
}

/**
 * Pour cost = ingredient cost / menu price, per menu item against its category's band; an item off the band gets
 * the price that puts it in the middle of the band. Per category the figure is weighted by what was sold in the
 * period (Σ sold × ingredient cost / Σ sold × price), so a cocktail nobody orders does not move the category as
 * much as the house pour; a category with nothing sold falls back to its menu items unweighted (`basis: 'menu'`).
 * `sold` is per menu item, net of voids and refunds.
 */
export function pourCostReport(
  menu: MenuItem[],
  costPerMl: Map<string, number>,
  sold: Map<string, number>,
  settings: BarSettings,
  period: Pick<PourCostScope, 'from' | 'to' | 'locationId'>,
): PourCostReport {
  const items = menu
    .filter((item) => !item.archived)
    .map((item) => {
      const ingredientCost = round(
        item.recipe.lines.reduce((sum, line) => sum + line.ml * (costPerMl.get(line.itemId) ?? 0), 0),
      );
      const pourCost = share(ingredientCost, item.price);
      const { low, high } = targetFor(settings, item.category);
      const middle = (low + high) / 2;
      const onTarget = pourCost !== null && pourCost >= low && pourCost <= high;
      return {
        menuItemId: item.id,
        name: item.name,
        category: item.category,
        price: item.price,
        ingredientCost,
        pourCost,
        targetLow: low,
        targetHigh: high,
        onTarget,
        priceForTarget: onTarget || middle === 0 ? null : round(ingredientCost / middle),
        sold: Math.max(0, sold.get(item.id) ?? 0),
      };
    });
  const byCategory = new Map<
    string,
    { cost: number; price: number; soldCost: number; soldPrice: number; sold: number }
  >();
  for (const item of items) {
    const c = byCategory.get(item.category) ?? { cost: 0, price: 0, soldCost: 0, soldPrice: 0, sold: 0 };
    c.cost += item.ingredientCost;
    c.price += item.price;
    c.soldCost += item.sold * item.ingredientCost;
    c.soldPrice += item.sold * item.price;
    c.sold += item.sold;
    byCategory.set(item.category, c);
  }
  const categories = [...byCategory.entries()].map(([category, c]) => {
    const basis = c.sold > 0 ? ('sales' as const) : ('menu' as const);
    const pourCost = basis === 'sales' ? share(c.soldCost, c.soldPrice) : share(c.cost, c.price);
    const { low, high } = targetFor(settings, category);
    return {
      category,
      pourCost,
      basis,
      sold: c.sold,
      targetLow: low,
      targetHigh: high,
      onTarget: pourCost !== null && pourCost >= low && pourCost <= high,
    };
  });
  return {
    targetLow: settings.pourCostTargetLow,
    targetHigh: settings.pourCostTargetHigh,
    from: period.from,
    to: period.to,
    locationId: period.locationId,
    items,
    categories,
  };
}

/**
 * Per menu item, what was sold in the period: sale lines applied to one of its recipe versions, sales counted
 * up, voids and refunds counted down (the money went back), comps left out (poured, not sold).
 */
export async function soldInPeriod(d1: D1Database, scope: PourCostScope): Promise<Map<string, number>> {
  const results = await openDb(d1).all<{ menu_item_id: string; sold: number }>(
    sql`SELECT v.menu_item_id AS menu_item_id,
               SUM(CASE s.kind WHEN 'sale' THEN s.quantity WHEN 'void' THEN -s.quantity
                               WHEN 'refund' THEN -s.quantity ELSE 0 END) AS sold
          FROM sale_lines s JOIN recipe_versions v ON v.id = s.recipe_version_id
         WHERE s.organization_id = ${scope.organizationId} AND (${scope.locationId} IS NULL OR s.location_id = ${scope.locationId})
           AND s.sold_at >= ${scope.from} AND s.sold_at < ${scope.to}
         GROUP BY v.menu_item_id`,
  );
  return new Map(results.map((row) => [row.menu_item_id, row.sold]));
}
