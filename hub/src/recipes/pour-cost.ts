import type { BarSettings, MenuItem } from '@pourcast/protocol';

/**
 * Pour cost = ingredient cost / menu price, per menu item and per category (Σ cost / Σ price). An item off the
 * owner's target band gets the price that puts it in the middle of the band.
 */
export function pourCostReport(menu: MenuItem[], costPerMl: Map<string, number>, settings: BarSettings) {
  const low = settings.pourCostTargetLow;
  const high = settings.pourCostTargetHigh;
  const middle = (low + high) / 2;
  const round = (n: number) => Math.round(n * 100) / 100;
  const items = menu
    .filter((item) => !item.archived)
    .map((item) => {
      const ingredientCost = round(
        item.recipe.lines.reduce((sum, line) => sum + line.ml * (costPerMl.get(line.itemId) ?? 0), 0),
      );
      const pourCost = item.price > 0 ? Math.round((ingredientCost / item.price) * 10_000) / 10_000 : null;
      const onTarget = pourCost !== null && pourCost >= low && pourCost <= high;
      return {
        menuItemId: item.id,
        name: item.name,
        category: item.category,
        price: item.price,
        ingredientCost,
        pourCost,
        onTarget,
        priceForTarget: onTarget || middle === 0 ? null : round(ingredientCost / middle),
      };
    });
  const byCategory = new Map<string, { cost: number; price: number }>();
  for (const item of items) {
    const c = byCategory.get(item.category) ?? { cost: 0, price: 0 };
    c.cost += item.ingredientCost;
    c.price += item.price;
    byCategory.set(item.category, c);
  }
  const categories = [...byCategory.entries()].map(([category, c]) => {
    const pourCost = c.price > 0 ? Math.round((c.cost / c.price) * 10_000) / 10_000 : null;
    return { category, pourCost, onTarget: pourCost !== null && pourCost >= low && pourCost <= high };
  });
  return { targetLow: low, targetHigh: high, items, categories };
}
