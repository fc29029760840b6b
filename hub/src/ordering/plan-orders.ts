import type { DemandOutlook } from './demand-outlook.ts';
import {
  casesFor,
  containersNeeded,
  discountedPrice,
  roundMoney,
  stockTargets,
  type CaseDiscount,
  type StockTargets,
} from './stock-policy.ts';

export interface OfferTerms {
  offerId: string;
  supplierId: string;
  supplierName: string;
  price: number;
  caseSize: number;
  leadTimeDays: number;
  /** The supplier's minimum order value. */
  minimumOrder: number;
  deliveryFee: number;
  discounts: readonly CaseDiscount[];
}

export interface ItemNeed {
  itemId: string;
  itemName: string;
  containerMl: number;
  /** 'bottles', 'kegs', 'units': how the reason counts containers. */
  containerLabel: string;
  onHandMl: number;
  /** Still to arrive on approved or sent orders. */
  arrivingMl: number;
  outlook: DemandOutlook | null;
  pinnedParMl: number | null;
  catalogParMl: number | null;
  offers: readonly OfferTerms[];
}

export interface PlanOptions {
  serviceLevel: number;
  reviewDays: number;
}

export interface PlannedLine {
  itemId: string;
  offerId: string;
  cases: number;
  caseSize: number;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
  reason: string;
}

export interface PlannedOrder {
  supplierId: string;
  supplierName: string;
  deliveryFee: number;
  minimumOrder: number;
  leadTimeDays: number;
  lines: PlannedLine[];
  subtotal: number;
}

interface Candidate {
  offer: OfferTerms;
  targets: StockTargets;
  cases: number;
  unitPrice: number;
  lineTotal: number;
  /** Runs out (at the expected demand) before this supplier's delivery could arrive. */
  tooSlow: boolean;
  landedPerContainer: number;
}

const fmt = (value: number) => (Math.round(value * 10) / 10).toString();

function evaluate(
  need: ItemNeed,
  offer: OfferTerms,
  options: PlanOptions,
): Omit<Candidate, 'landedPerContainer'> {
  const targets = stockTargets({
    outlook: need.outlook,
    leadTimeDays: offer.leadTimeDays,
    reviewDays: options.reviewDays,
    serviceLevel: options.serviceLevel,
    pinnedParMl: need.pinnedParMl,
    catalogParMl: need.catalogParMl,
  });
  const position = need.onHandMl + need.arrivingMl;
  const cases = casesFor(containersNeeded(targets, position, need.containerMl), offer.caseSize);
  const unitPrice = discountedPrice(offer.price, cases, offer.discounts);
  const tooSlow = need.outlook !== null && need.outlook.mean(offer.leadTimeDays) > position;
  return {
    offer,
    targets,
    cases,
    unitPrice,
    lineTotal: roundMoney(unitPrice * cases * offer.caseSize),
    tooSlow,
  };
}

function why(need: ItemNeed, chosen: Candidate, others: Candidate[], level: number): string {
  const { targets, cases, offer } = chosen;
  const n = (ml: number) => `${fmt(ml / need.containerMl)} ${need.containerLabel}`;
  const head = `${cases} case${cases === 1 ? '' : 's'} of ${offer.caseSize}`;
  const stock = `on hand ${n(need.onHandMl)}, arriving ${n(need.arrivingMl)}`;
  const basis =
    targets.source === 'forecast'
      ? `${targets.coverDays}-day P${Math.round(level * 100)} demand ${n(targets.orderUpToMl)}`
      : `below ${targets.source === 'pinned-par' ? 'pinned' : 'catalog'} par ${n(targets.orderUpToMl)}`;
  const price = `${offer.supplierName} ${chosen.landedPerContainer.toFixed(2)} landed per ${need.containerLabel.replace(/s$/, '')}`;
  const beaten = others
    .filter((c) => c !== chosen)
    .map((c) =>
      c.tooSlow
        ? `${c.offer.supplierName} too slow (${c.offer.leadTimeDays} days)`
        : `${c.offer.supplierName} ${c.landedPerContainer.toFixed(2)}`,
    );
  return `${head}: ${basis}, ${stock}; ${price}${beaten.length ? ` (vs ${beaten.join(', ')})` : ''}`;
}

/**
 * Drafts purchase orders from each item's need. Per item, every supplier offering it is costed on its
 * own lead time (a slower supplier needs more stock to cover its wait), rounded up to its case size with
 * its case discount, plus its delivery fee shared over the items it is a candidate for; the lowest landed
 * cost per container wins, ties to the shorter lead time. A supplier whose delivery would come after the
 * expected stock-out is passed over while a faster one exists. Orders below the supplier's minimum get
 * whole cases added to the lines that run out soonest.
 */
export function planOrders(needs: readonly ItemNeed[], options: PlanOptions): PlannedOrder[] {
  const evaluated = needs.map((need) => ({
    need,
    candidates: need.offers.map((offer) => evaluate(need, offer, options)).filter((c) => c.cases > 0),
  }));
  const candidacies = new Map<string, number>();
  for (const { candidates } of evaluated)
    for (const c of candidates)
      candidacies.set(c.offer.supplierId, (candidacies.get(c.offer.supplierId) ?? 0) + 1);

  const orders = new Map<string, PlannedOrder>();
  const covers = new Map<PlannedLine, { need: ItemNeed; offer: OfferTerms }>();
  for (const { need, candidates } of evaluated) {
    if (candidates.length === 0) continue;
    const costed: Candidate[] = candidates.map((c) => {
      const feeShare = c.offer.deliveryFee / candidacies.get(c.offer.supplierId)!;
      return { ...c, landedPerContainer: (c.lineTotal + feeShare) / (c.cases * c.offer.caseSize) };
    });
    const inTime = costed.filter((c) => !c.tooSlow);
    const pool = inTime.length ? inTime : costed;
    const chosen = [...pool].sort(
      (a, b) =>
        a.landedPerContainer - b.landedPerContainer ||
        a.offer.leadTimeDays - b.offer.leadTimeDays ||
        a.offer.supplierName.localeCompare(b.offer.supplierName),
    )[0]!;
    const { offer } = chosen;
    let order = orders.get(offer.supplierId);
    if (!order) {
      order = {
        supplierId: offer.supplierId,
        supplierName: offer.supplierName,
        deliveryFee: offer.deliveryFee,
        minimumOrder: 0,
        leadTimeDays: 0,
        lines: [],
        subtotal: 0,
      };
      orders.set(offer.supplierId, order);
    }
    order.minimumOrder = Math.max(order.minimumOrder, offer.minimumOrder);
    order.leadTimeDays = Math.max(order.leadTimeDays, offer.leadTimeDays);
    const line: PlannedLine = {
      itemId: need.itemId,
      offerId: offer.offerId,
      cases: chosen.cases,
      caseSize: offer.caseSize,
      quantity: chosen.cases * offer.caseSize,
      unitPrice: chosen.unitPrice,
      lineTotal: chosen.lineTotal,
      reason: why(need, chosen, costed, options.serviceLevel),
    };
    order.lines.push(line);
    covers.set(line, { need, offer });
  }
  for (const order of orders.values()) meetMinimum(order, covers);
  return [...orders.values()].sort((a, b) => a.supplierName.localeCompare(b.supplierName));
}

/** Adds whole cases, one at a time, to the line with the fewest days of cover until the minimum is met. */
function meetMinimum(order: PlannedOrder, covers: Map<PlannedLine, { need: ItemNeed; offer: OfferTerms }>) {
  const total = () => roundMoney(order.lines.reduce((s, l) => s + l.lineTotal, 0));
  const added = new Map<PlannedLine, number>();
  const dailyUse = (need: ItemNeed) =>
    Math.max(
      need.outlook ? need.outlook.mean(7) / 7 : (need.pinnedParMl ?? need.catalogParMl ?? 0) / 7,
      1e-6,
    );
  for (let guard = 0; total() < order.minimumOrder && guard < 1000; guard++) {
    let pick = order.lines[0]!;
    let pickCover = Infinity;
    for (const line of order.lines) {
      const { need } = covers.get(line)!;
      const cover = (need.onHandMl + need.arrivingMl + line.quantity * need.containerMl) / dailyUse(need);
      if (cover < pickCover) ((pick = line), (pickCover = cover));
    }
    const { offer } = covers.get(pick)!;
    pick.cases++;
    pick.quantity = pick.cases * pick.caseSize;
    pick.unitPrice = discountedPrice(offer.price, pick.cases, offer.discounts);
    pick.lineTotal = roundMoney(pick.unitPrice * pick.quantity);
    added.set(pick, (added.get(pick) ?? 0) + 1);
  }
  for (const [line, count] of added) {
    line.reason = line.reason.replace(/^\d+ cases?/, `${line.cases} case${line.cases === 1 ? '' : 's'}`);
    line.reason += `; +${count} case${count === 1 ? '' : 's'} to reach the ${order.supplierName} minimum of ${order.minimumOrder.toFixed(2)}`;
  }
  order.subtotal = total();
}
