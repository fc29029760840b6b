import type { DemandOutlook } from './demand-outlook.ts';

export interface PolicyInput {
  /** Null when the item has no usable forecast (nothing measured yet). */
  outlook: DemandOutlook | null;
  leadTimeDays: number;
  reviewDays: number;
  /** Probability of not running out before the next delivery can arrive, e.g. 0.95. */
  serviceLevel: number;
  /** A par the manager pinned at this bar, in ml. */
  pinnedParMl: number | null;
  /** The item's par in the catalog, used only when there is neither a pin nor a forecast. */
  catalogParMl: number | null;
}

export interface StockTargets {
  source: 'forecast' | 'pinned-par' | 'catalog-par' | 'none';
  /** Order when the inventory position (on hand + arriving) is at or below this, in ml. */
  reorderPointMl: number;
  /** Order enough to bring the inventory position up to this, in ml. */
  orderUpToMl: number;
  /** Days the order-up-to level covers (lead time + review period) when from the forecast. */
  coverDays: number;
}

/**
 * Periodic review from the forecast quantiles, every `reviewDays` days with lead time L (DESIGN: "reorder
 * point and order-up-to level from the forecast quantiles over lead time + review period"):
 * - reorder point s = demand over L + R at the service level: without an order today, the next order
 *   (R days away) arrives L days after that, so stock must last L + R days;
 * - order-up-to S = demand over L + R at the service level: what is ordered today has to last until the
 *   next order's delivery, L + R days away, and no longer (the order after it brings the rest).
 * So s = S: at each review an item short of its L + R demand is topped up to it, in whole cases (the
 * case rounding and the supplier minimum keep it from a bottle every time).
 * A pinned par replaces both (classic par ordering: top up to par when below it).
 */
export function stockTargets(input: PolicyInput): StockTargets {
  if (input.pinnedParMl !== null) {
    return {
      source: 'pinned-par',
      reorderPointMl: input.pinnedParMl,
      orderUpToMl: input.pinnedParMl,
      coverDays: 0,
    };
  }
  if (input.outlook) {
    const l = input.leadTimeDays;
    const r = input.reviewDays;
    return {
      source: 'forecast',
      reorderPointMl: input.outlook.quantile(l + r, input.serviceLevel),
      orderUpToMl: input.outlook.quantile(l + r, input.serviceLevel),
      coverDays: l + r,
    };
  }
  if (input.catalogParMl !== null) {
    return {
      source: 'catalog-par',
      reorderPointMl: input.catalogParMl,
      orderUpToMl: input.catalogParMl,
      coverDays: 0,
    };
  }
  return { source: 'none', reorderPointMl: 0, orderUpToMl: 0, coverDays: 0 };
}

/**
 * Containers to order: when the inventory position is at or below the reorder point, enough whole
 * containers to reach the order-up-to level; 0 otherwise.
 */
export function containersNeeded(targets: StockTargets, positionMl: number, containerMl: number): number {
  if (positionMl > targets.reorderPointMl) return 0;
  const short = targets.orderUpToMl - positionMl;
  return short > 0 ? Math.ceil(short / containerMl) : 0;
}

/** Whole cases covering `containers`. */
export const casesFor = (containers: number, caseSize: number) =>
  containers > 0 ? Math.ceil(containers / caseSize) : 0;

export interface CaseDiscount {
  minCases: number;
  /** Fraction off, 0-1. */
  discount: number;
}

/** Price per container after the best case discount the number of cases reaches. */
export function discountedPrice(price: number, cases: number, discounts: readonly CaseDiscount[]): number {
  let best = 0;
  for (const tier of discounts) if (cases >= tier.minCases && tier.discount > best) best = tier.discount;
  return roundMoney(price * (1 - best));
}

export const roundMoney = (value: number) => Math.round(value * 100) / 100;
