import { describe, expect, it } from 'vitest';
import { forecastOutlook, type DemandOutlook } from './demand-outlook.ts';
import { lineWhySchema } from './order-schemas.ts';
import { planOrders, reasonText, type ItemNeed, type OfferTerms } from './plan-orders.ts';
import { containersNeeded, discountedPrice, stockTargets } from './stock-policy.ts';

const BOTTLE = 700;
/** Demand known exactly: `perDay` ml every day, every quantile equal to the mean. */
const steady = (perDay: number): DemandOutlook => ({
  quantile: (days) => perDay * days,
  mean: (days) => perDay * days,
});

const offer = (fields: Partial<OfferTerms> & Pick<OfferTerms, 'supplierId'>): OfferTerms => ({
  offerId: `${fields.supplierId}-offer`,
  supplierName: fields.supplierId,
  price: 20,
  caseSize: 6,
  leadTimeDays: 2,
  minimumOrder: 0,
  deliveryFee: 0,
  discounts: [],
  ...fields,
});

const need = (fields: Partial<ItemNeed> & Pick<ItemNeed, 'offers'>): ItemNeed => ({
  itemId: 'gin',
  itemName: 'Gin',
  containerMl: BOTTLE,
  containerLabel: 'bottles',
  onHandMl: 0,
  arrivingMl: 0,
  outlook: steady(BOTTLE),
  pinnedParMl: null,
  catalogParMl: null,
  ...fields,
});

const OPTIONS = { serviceLevel: 0.95, reviewDays: 7 };

describe('stock targets', () => {
  it('reorder point and order-up-to both cover lead time + one review period', () => {
    const targets = stockTargets({
      outlook: steady(100),
      leadTimeDays: 2,
      reviewDays: 7,
      serviceLevel: 0.95,
      pinnedParMl: null,
      catalogParMl: 5000,
    });
    expect(targets).toEqual({ source: 'forecast', reorderPointMl: 900, orderUpToMl: 900, coverDays: 9 });
    // 800 ml on hand ≤ 900: (900 − 800) / 700 = 0.14 → 1 bottle. 901 ml: above the reorder point.
    expect(containersNeeded(targets, 800, BOTTLE)).toBe(1);
    expect(containersNeeded(targets, 0, BOTTLE)).toBe(2);
    expect(containersNeeded(targets, 901, BOTTLE)).toBe(0);
  });

  it('takes the service level as the quantile of the negative-binomial total', () => {
    // Poisson (φ = 0, ρ = 0), 2 a day: 3 days ~ Poisson(6). P(≤5) = .446, P(≤6) = .606 → P50 = 6;
    // P(≤9) = .916, P(≤10) = .957 → P95 = 10.
    const outlook = forecastOutlook({
      days: Array(14).fill({ mean: 2 }),
      spread: { dispersion: 0, power: 2 },
      correlation: 0,
    });
    const at = (serviceLevel: number) =>
      stockTargets({
        outlook,
        leadTimeDays: 1,
        reviewDays: 2,
        serviceLevel,
        pinnedParMl: null,
        catalogParMl: null,
      }).reorderPointMl;
    expect(at(0.5)).toBe(6);
    expect(at(0.95)).toBe(10);
    // Beyond the 14 forecast days the last week repeats: 21 days of 2 = 42.
    expect(outlook.mean(21)).toBe(42);
  });

  it('uses a pinned par over the forecast, the catalog par only without a forecast', () => {
    const base = { leadTimeDays: 2, reviewDays: 7, serviceLevel: 0.95, catalogParMl: 2100 };
    expect(stockTargets({ ...base, outlook: steady(100), pinnedParMl: 4200 }).orderUpToMl).toBe(4200);
    expect(stockTargets({ ...base, outlook: null, pinnedParMl: null })).toMatchObject({
      source: 'catalog-par',
      reorderPointMl: 2100,
    });
    expect(stockTargets({ ...base, outlook: null, pinnedParMl: null, catalogParMl: null }).source).toBe(
      'none',
    );
  });

  it('applies the best case discount reached', () => {
    const tiers = [
      { minCases: 3, discount: 0.1 },
      { minCases: 5, discount: 0.15 },
    ];
    expect(discountedPrice(20, 2, tiers)).toBe(20);
    expect(discountedPrice(20, 3, tiers)).toBe(18);
    expect(discountedPrice(20, 6, tiers)).toBe(17);
  });
});

describe('planOrders', () => {
  it('rounds up to whole cases and explains the line', () => {
    // One bottle a day, L 2, R 7: reorder point and order-up-to 9 bottles. On hand 3, arriving 1:
    // 9 − 4 = 5 bottles = 1 case of 6.
    const [order] = planOrders(
      [need({ onHandMl: 3 * BOTTLE, arrivingMl: BOTTLE, offers: [offer({ supplierId: 'Harbour' })] })],
      OPTIONS,
    );
    expect(order!.lines[0]).toMatchObject({ cases: 1, quantity: 6, unitPrice: 20, lineTotal: 120 });
    expect(order!.lines[0]!.reason).toBe(
      '1 case of 6: 9-day P95 demand 9 bottles, on hand 3 bottles, arriving 1 bottles; Harbour 20.00 landed per bottle',
    );
    // The same numbers as facts, for the dashboard to say in the manager's language.
    expect(order!.lines[0]!.why).toEqual({
      cases: 1,
      caseSize: 6,
      containerLabel: 'bottles',
      target: { basis: 'forecast', coverDays: 9, servicePercent: 95, demandContainers: 9 },
      onHandContainers: 3,
      arrivingContainers: 1,
      supplierName: 'Harbour',
      landedPerContainer: 20,
      alternatives: [],
    });
    expect(lineWhySchema.parse(order!.lines[0]!.why)).toEqual(order!.lines[0]!.why);
    expect(order!.subtotal).toBe(120);
  });

  it('orders nothing above the reorder point', () => {
    expect(
      planOrders([need({ onHandMl: 10 * BOTTLE, offers: [offer({ supplierId: 'A' })] })], OPTIONS),
    ).toEqual([]);
  });

  it('chooses the supplier on landed cost, each costed on its own lead time', () => {
    // On hand 6. A (L 2, case 6, 20, fee 15): 9 − 6 = 3 → 1 case = 6 → (120 + 15) / 6 = 22.50.
    // B (L 5, case 12, 19, no fee): 12 − 6 = 6 → 1 case = 12 → 228 / 12 = 19.00; 5 days use 5 < 6: in time.
    const offers = [
      offer({ supplierId: 'A', deliveryFee: 15 }),
      offer({ supplierId: 'B', price: 19, caseSize: 12, leadTimeDays: 5 }),
    ];
    const [order] = planOrders([need({ onHandMl: 6 * BOTTLE, offers })], OPTIONS);
    expect(order!.supplierId).toBe('B');
    expect(order!.lines[0]).toMatchObject({ cases: 1, quantity: 12, lineTotal: 228 });
    expect(order!.lines[0]!.reason).toBe(
      '1 case of 12: 12-day P95 demand 12 bottles, on hand 6 bottles, arriving 0 bottles; B 19.00 landed per bottle (vs A 22.50)',
    );
    expect(order!.lines[0]!.why).toMatchObject({
      supplierName: 'B',
      landedPerContainer: 19,
      alternatives: [{ supplierName: 'A', landedPerContainer: 22.5 }],
    });
  });

  it('passes over a cheaper supplier that would deliver after the stock-out', () => {
    // On hand 2: B's 5-day wait needs 5 bottles > 2, A's 2-day wait needs 2 (not more than on hand).
    const offers = [
      offer({ supplierId: 'A', deliveryFee: 15 }),
      offer({ supplierId: 'B', price: 19, caseSize: 12, leadTimeDays: 5 }),
    ];
    const [order] = planOrders([need({ onHandMl: 2 * BOTTLE, offers })], OPTIONS);
    expect(order!.supplierId).toBe('A');
    // 9 − 2 = 7 → 2 cases = 12 bottles, 240 + 15 fee = 255 / 12 = 21.25.
    expect(order!.lines[0]).toMatchObject({ cases: 2, lineTotal: 240 });
    expect(order!.lines[0]!.reason).toContain('A 21.25 landed per bottle (vs B too slow (5 days))');
    expect(order!.lines[0]!.why).toMatchObject({
      landedPerContainer: 21.25,
      alternatives: [{ supplierName: 'B', tooSlowLeadTimeDays: 5 }],
    });
  });

  it('prices the case discount into the choice', () => {
    // Two bottles a day: 18 − 2 = 16 → 3 cases. A: 3 cases × 6 at 10% off from 3 cases = 18 × 18 = 324
    // → 18.00 a bottle, beating B's flat 19.
    const offers = [
      offer({ supplierId: 'A', discounts: [{ minCases: 3, discount: 0.1 }] }),
      offer({ supplierId: 'B', price: 19 }),
    ];
    const [order] = planOrders(
      [need({ outlook: steady(2 * BOTTLE), onHandMl: 2 * BOTTLE, offers })],
      OPTIONS,
    );
    expect(order).toMatchObject({ supplierId: 'A', subtotal: 324 });
    expect(order!.lines[0]!.unitPrice).toBe(18);
  });

  it("adds whole cases to the soonest-out line to reach the supplier's minimum", () => {
    // Gin: 1 case (120). Rum (2 bottles a day, on hand 20 bottles ≤ reorder point 18? no: 20 > 18 → nothing)
    // so rum stays out; gin alone at 120 < 300: +2 cases → 3 cases, 360.
    const a = offer({ supplierId: 'A', minimumOrder: 300 });
    const gin = need({ onHandMl: 3 * BOTTLE, arrivingMl: BOTTLE, offers: [a] });
    const rum = need({ itemId: 'rum', outlook: steady(2 * BOTTLE), onHandMl: 20 * BOTTLE, offers: [a] });
    const [order] = planOrders([gin, rum], OPTIONS);
    expect(order!.lines).toHaveLength(1);
    expect(order!.lines[0]).toMatchObject({ itemId: 'gin', cases: 3, quantity: 18, lineTotal: 360 });
    expect(order!.lines[0]!.reason).toMatch(
      /^3 cases of 6: .*; \+2 cases to reach the A minimum of 300\.00$/,
    );
    expect(order!.lines[0]!.why).toMatchObject({ cases: 3, minimumTopUp: { cases: 2, minimumOrder: 300 } });
    expect(reasonText(order!.lines[0]!.why)).toBe(order!.lines[0]!.reason);
    expect(order!.subtotal).toBe(360);
  });

  it('tops up the line with the fewest days of cover first', () => {
    // Gin: 1 a day, ordered 6 + 4 held = 10 days. Rum: 2 a day, on hand 10 ≤ 18: 18 − 10 = 8 → 2 cases = 12,
    // cover (10 + 12) / 2 = 11 days. Minimum 900: 120 + 240 = 360; then always the line with less cover:
    // gin (10 days) → 480, rum (11) → 600, rum (14) → 720, gin (16) → 840, rum (17) → 960.
    const a = offer({ supplierId: 'A', minimumOrder: 900 });
    const gin = need({ onHandMl: 3 * BOTTLE, arrivingMl: BOTTLE, offers: [a] });
    const rum = need({ itemId: 'rum', outlook: steady(2 * BOTTLE), onHandMl: 10 * BOTTLE, offers: [a] });
    const [order] = planOrders([gin, rum], OPTIONS);
    expect(order!.lines.map((l) => [l.itemId, l.cases])).toEqual([
      ['gin', 3],
      ['rum', 5],
    ]);
    expect(order!.subtotal).toBe(960);
  });

  it('orders a pinned par without a forecast', () => {
    const [order] = planOrders(
      [
        need({
          outlook: null,
          pinnedParMl: 6 * BOTTLE,
          onHandMl: 4 * BOTTLE,
          offers: [offer({ supplierId: 'A' })],
        }),
      ],
      OPTIONS,
    );
    expect(order!.lines[0]).toMatchObject({ cases: 1, quantity: 6 });
    expect(order!.lines[0]!.reason).toMatch(/^1 case of 6: below pinned par 6 bottles, on hand 4 bottles/);
    expect(order!.lines[0]!.why).toMatchObject({
      cases: 1,
      target: { basis: 'pinned-par', parContainers: 6 },
      onHandContainers: 4,
    });
  });

  it('keeps the facts rounded as the reason shows them, for kegs too', () => {
    // 19.5 l kegs, 1.3 kegs a day (25.35 l); on hand 2.26 kegs: the reason and the facts both say 2.3.
    const KEG = 19_500;
    const [order] = planOrders(
      [
        need({
          containerMl: KEG,
          containerLabel: 'kegs',
          outlook: steady(1.3 * KEG),
          onHandMl: 2.26 * KEG,
          offers: [offer({ supplierId: 'Brewery', caseSize: 1, price: 95.5, deliveryFee: 10 })],
        }),
      ],
      { serviceLevel: 0.975, reviewDays: 7 },
    );
    const line = order!.lines[0]!;
    expect(line.why).toMatchObject({
      containerLabel: 'kegs',
      onHandContainers: 2.3,
      target: { basis: 'forecast', servicePercent: 98, demandContainers: 11.7 },
    });
    expect(line.reason).toContain('98 demand 11.7 kegs, on hand 2.3 kegs');
    expect(line.reason).toContain(`Brewery ${line.why.landedPerContainer.toFixed(2)} landed per keg`);
    expect(Math.round(line.why.landedPerContainer * 100)).toBe(line.why.landedPerContainer * 100);
  });
});
