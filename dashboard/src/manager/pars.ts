import type { Item, StockLine } from '@pourcast/protocol';

/** What the bar counts an item in (as the hub's order lines say it). */
export type ContainerLabel = 'bottles' | 'kegs' | 'units';

/** Units for countables (the item's unit is `unit`), kegs for the keg category, else bottles: as the hub's order lines. */
export function containerLabelOf(item: Pick<StockLine, 'category'> & Pick<Item, 'unit'>): ContainerLabel {
  if (item.unit === 'unit') return 'units';
  return item.category === 'keg' ? 'kegs' : 'bottles';
}

/** A gap under this share of the par in force is noise in the forecast, not a reason to change the par. */
export const MATERIAL_SHARE = 0.2;

/**
 * How the forecast's suggested par stands against the par in force: higher, lower, the same, or
 * `none` when no par is in force. It differs materially when the gap is at least MATERIAL_SHARE of
 * the par in force and at least half a container (a few millilitres on a small par are not worth a
 * look); any suggestion above zero differs materially from no par at all. Null without a suggestion.
 */
export function parGap(
  currentMl: number | null,
  suggestedMl: number | null,
  containerMl: number,
): { direction: 'higher' | 'lower' | 'same' | 'none'; share: number | null; material: boolean } | null {
  if (suggestedMl === null) return null;
  if (currentMl === null || currentMl <= 0)
    return { direction: 'none', share: null, material: suggestedMl > 0 };
  const gap = suggestedMl - currentMl;
  const share = gap / currentMl;
  return {
    direction: gap > 0 ? 'higher' : gap < 0 ? 'lower' : 'same',
    share,
    material: Math.abs(share) >= MATERIAL_SHARE && Math.abs(gap) >= containerMl / 2,
  };
}

/** The largest par the hub pins (parPinSchema). */
export const MAX_PAR_ML = 10_000_000;

/** A par typed in containers (bottles, kegs, units) as the whole millilitres the hub keeps; null if it is none. */
export function parMlFromContainers(containers: number, containerMl: number): number | null {
  if (!Number.isFinite(containers) || containers < 0) return null;
  const ml = Math.round(containers * containerMl);
  return ml <= MAX_PAR_ML ? ml : null;
}

/** Millilitres as containers to one decimal: 5250 ml of 700 ml bottles is 7.5. */
export const containersOf = (ml: number, containerMl: number) => Math.round((ml / containerMl) * 10) / 10;
