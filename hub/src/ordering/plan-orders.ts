import type { DemandOutlook } from './demand-outlook.ts';
import type { ContainerLabel, LineWhy } from './order-schemas.ts';
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
  /** How the reason counts containers. */
  containerLabel: ContainerLabel;
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
  /** The reason's facts; `reason` is written from them. */
  why: LineWhy;
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

const tenth = (value: number) => Math.round(value * 10) / 10;

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

/** A line's facts: the numbers its reason gives, rounded as it shows them. */
function whyFacts(need: ItemNeed, chosen: Candidate, others: Candidate[], level: number): LineWhy {
  const { targets, cases, offer } = chosen;
  const n = (ml: number) => tenth(ml / need.containerMl);
  if (targets.source === 'none') throw new Error('a line is only drafted against a forecast or a par');
  return {
    cases,
    caseSize: offer.caseSize,
    containerLabel: need.containerLabel,
    target:
      targets.source === 'forecast'
        ? {
            basis: 'forecast',
            coverDays: targets.coverDays,
            servicePercent: Math.round(level * 100),
            demandContainers: n(targets.orderUpToMl),
          }
        : { basis: targets.source, parContainers: n(targets.orderUpToMl) },
    onHandContainers: n(need.onHandMl),
    arrivingContainers: n(need.arrivingMl),
    supplierName: offer.supplierName,
    landedPerContainer: roundMoney(chosen.landedPerContainer),
    alternatives: others
      .filter((c) => c !== chosen)
      .map((c) =>
        c.tooSlow
          ? { supplierName: c.offer.supplierName, tooSlowLeadTimeDays: c.offer.leadTimeDays }
          : { supplierName: c.offer.supplierName, landedPerContainer: roundMoney(c.landedPerContainer) },
      ),
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The English reason, written from the facts: "3 cases of 6: 14-day P95 demand 52 bottles, on hand 18
 * bottles, arriving 6 bottles; Metro 17.20 landed per bottle (vs Makro 18.10)" and any minimum top-up.
 */
export function reasonText(why: LineWhy): string {
  const n = (containers: number) => `${containers} ${why.containerLabel}`;
  const { target } = why;
  const basis =
    target.basis === 'forecast'
      ? `${target.coverDays}-day P${target.servicePercent} demand ${n(target.demandContainers)}`
      : `below ${target.basis === 'pinned-par' ? 'pinned' : 'catalog'} par ${n(target.parContainers)}`;
  const stock = `on hand ${n(why.onHandContainers)}, arriving ${n(why.arrivingContainers)}`;
  const price = `${why.supplierName} ${why.landedPerContainer.toFixed(2)} landed per ${why.containerLabel.replace(/s$/, '')}`;
  const beaten = why.alternatives.map((c) =>
    'tooSlowLeadTimeDays' in c
      ? `${c.supplierName} too slow (${c.tooSlowLeadTimeDays} days)`
      : `${c.supplierName} ${c.landedPerContainer.toFixed(2)}`,
  );
  const topUp = why.minimumTopUp
    ? `; +${plural(why.minimumTopUp.cases, 'case')} to reach the ${why.supplierName} minimum of ${why.minimumTopUp.minimumOrder.toFixed(2)}`
    : '';
  return `${plural(why.cases, 'case')} of ${why.caseSize}: ${basis}, ${stock}; ${price}${beaten.length ? ` (vs ${beaten.join(', ')})` : ''}${topUp}`;
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
      reason: '',
      why: whyFacts(need, chosen, costed, options.serviceLevel),
    };
    line.reason = reasonText(line.why);
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
    line.why = {
      ...line.why,
      cases: line.cases,
      minimumTopUp: { cases: count, minimumOrder: order.minimumOrder },
    };
    line.reason = reasonText(line.why);
  }
  order.subtotal = total();
}
