import type { ItemCategory } from '../db/types.ts';

export interface IngredientPour {
  itemId: string;
  ml: number;
  category: ItemCategory;
}

export interface ModifierRule {
  nameKey: string;
  multiplier: number;
  dropCategories: ItemCategory[];
}

export const modifierKey = (name: string) => name.trim().toLowerCase();

/**
 * The ml each inventory item gives to `quantity` servings of a recipe with the named modifiers applied:
 * multipliers compound ("double" ×2), dropped categories leave the pour out ("neat" drops mixers).
 * Unknown modifier names change nothing and are reported, so a new POS modifier is noticed, not guessed.
 */
export function pourUsage(
  lines: IngredientPour[],
  quantity: number,
  modifierNames: string[],
  rules: Map<string, ModifierRule>,
): { usage: { itemId: string; ml: number }[]; unknownModifiers: string[] } {
  let multiplier = 1;
  const dropped = new Set<ItemCategory>();
  const unknownModifiers: string[] = [];
  for (const name of modifierNames) {
    const rule = rules.get(modifierKey(name));
    if (!rule) {
      unknownModifiers.push(name);
      continue;
    }
    multiplier *= rule.multiplier;
    for (const category of rule.dropCategories) dropped.add(category);
  }
  const usage = lines
    .filter((line) => !dropped.has(line.category))
    .map((line) => ({ itemId: line.itemId, ml: Math.round(line.ml * multiplier * quantity) }))
    .filter((line) => line.ml !== 0);
  return { usage, unknownModifiers };
}
