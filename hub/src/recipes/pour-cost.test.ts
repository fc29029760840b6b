import { beforeAll, describe, expect, it } from 'vitest';
import { call, createItem, createLocation, freshHub, otherOrganization, staff } from '../../test/helpers.ts';

/**
 * A hand-worked menu. Costs per ml: tequila 28 / 700 = 0.04, gin 21 / 700 = 0.03, vodka 20 / 1000 = 0.02.
 *   Margarita   cocktails  12.00  60 ml tequila  = 2.40  → 20 %
 *   Premium     cocktails  10.00 100 ml tequila  = 4.00  → 40 %
 *   Vodka shot  spirits     5.00  40 ml vodka    = 0.80  → 16 %
 *   G&T         highballs   9.00  50 ml gin      = 1.50  → 16.67 %
 * The owner gives spirits their own band, 12-18 %; cocktails and highballs keep the default 18-24 %.
 * Sales at bar A on 6 March: Margarita 10 sold, 1 voided, 2 comped (net 9); Premium 2 sold, 1 refunded (net 1);
 * Vodka shot 5. G&T sold only on 8 March, outside the period. Bar B sold 100 Margaritas.
 */
describe('GET /pour-cost', () => {
  let owner: string;
  let bartender: string;
  let barA: string;
  let barB: string;
  const period = 'from=2026-03-06T18:00:00Z&to=2026-03-07T04:00:00Z';

  beforeAll(async () => {
    owner = (await freshHub()).token;
    bartender = (await staff(owner, 'bartender')).token;
    barA = await createLocation(owner);
    barB = await createLocation(owner);
    const tequila = (await createItem(owner, { name: 'Tequila', containerMl: 700, cost: 28 })).id;
    const gin = (await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 })).id;
    const vodka = (await createItem(owner, { name: 'Vodka', containerMl: 1000, cost: 20 })).id;
    const menu: Record<string, string> = {};
    for (const [name, category, price, itemId, ml] of [
      ['Margarita', 'cocktails', 12, tequila, 60],
      ['Premium', 'cocktails', 10, tequila, 100],
      ['Vodka shot', 'spirits', 5, vodka, 40],
      ['G&T', 'highballs', 9, gin, 50],
    ] as const) {
      const made = await call('POST', '/menu-items', {
        token: owner,
        json: { name, category, price, recipe: [{ itemId, ml }] },
      });
      expect(made.status).toBe(201);
      menu[name] = made.body.id;
    }
    const mapping = await call('POST', '/pos/csv-mappings', {
      token: owner,
      json: { name: 'till', columns: { soldAt: 'time', itemId: 'plu', quantity: 'qty', kind: 'kind' } },
    });
    expect(mapping.status).toBe(201);
    const csvA = [
      'time,plu,qty,kind',
      '2026-03-06T20:00:00Z,M,10,sale',
      '2026-03-06T20:10:00Z,M,1,void',
      '2026-03-06T20:20:00Z,M,2,comp',
      '2026-03-06T21:00:00Z,P,2,sale',
      '2026-03-06T21:30:00Z,P,1,refund',
      '2026-03-06T22:00:00Z,V,5,sale',
      '2026-03-08T20:00:00Z,G,30,sale',
    ].join('\n');
    const csvB = 'time,plu,qty,kind\n2026-03-06T23:00:00Z,M,100,sale\n';
    for (const [locationId, csv] of [
      [barA, csvA],
      [barB, csvB],
    ]) {
      const imported = await call('POST', '/pos/imports', {
        token: owner,
        json: { locationId, mappingId: mapping.body.id, csv },
      });
      expect(imported.status).toBe(201);
      expect(imported.body.errors).toEqual([]);
    }
    for (const [externalId, name] of [
      ['M', 'Margarita'],
      ['P', 'Premium'],
      ['V', 'Vodka shot'],
      ['G', 'G&T'],
    ]) {
      const mapped = await call('POST', '/pos/mappings', {
        token: owner,
        json: { provider: 'csv', externalId, menuItemId: menu[name!] },
      });
      expect(mapped.status).toBeLessThan(300);
    }
    const set = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { spirits: { low: 0.12, high: 0.18 } } },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      pourCostTargetLow: 0.18,
      pourCostTargetHigh: 0.24,
      categoryPourCostTargets: { spirits: { low: 0.12, high: 0.18 } },
    });
  });

  it("weighs each category by the period's sales and judges each item by its category's band", async () => {
    const answer = await call('GET', `/pour-cost?${period}&locationId=${barA}`, { token: owner });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      targetLow: 0.18,
      targetHigh: 0.24,
      from: '2026-03-06T18:00:00.000Z',
      to: '2026-03-07T04:00:00.000Z',
      locationId: barA,
    });
    const items = Object.fromEntries(answer.body.items.map((i: any) => [i.name, i]));
    expect(items.Margarita).toMatchObject({ ingredientCost: 2.4, pourCost: 0.2, onTarget: true, sold: 9 });
    // 4.00 / 10 = 40 %: the price for the middle of 18-24 % is 4.00 / 0.21 = 19.05.
    expect(items.Premium).toMatchObject({ pourCost: 0.4, onTarget: false, priceForTarget: 19.05, sold: 1 });
    // 16 % is below the default band but inside the spirits band 12-18 %.
    expect(items['Vodka shot']).toMatchObject({
      pourCost: 0.16,
      targetLow: 0.12,
      targetHigh: 0.18,
      onTarget: true,
      priceForTarget: null,
      sold: 5,
    });
    // 16.67 % under the default band: 1.50 / 0.21 = 7.14.
    expect(items['G&T']).toMatchObject({
      pourCost: 0.1667,
      targetLow: 0.18,
      onTarget: false,
      priceForTarget: 7.14,
      sold: 0,
    });
    const categories = Object.fromEntries(answer.body.categories.map((c: any) => [c.category, c]));
    // (9 × 2.40 + 1 × 4.00) / (9 × 12 + 1 × 10) = 25.60 / 118 = 21.69 %, on target; the plain menu average
    // (2.40 + 4.00) / (12 + 10) = 29.09 % would have called the category off target.
    expect(categories.cocktails).toEqual({
      category: 'cocktails',
      pourCost: 0.2169,
      basis: 'sales',
      sold: 10,
      targetLow: 0.18,
      targetHigh: 0.24,
      onTarget: true,
    });
    expect(categories.spirits).toMatchObject({ pourCost: 0.16, basis: 'sales', sold: 5, onTarget: true });
    // Nothing sold in the period: the menu figure, marked as such.
    expect(categories.highballs).toMatchObject({ pourCost: 0.1667, basis: 'menu', sold: 0, onTarget: false });
  });

  it('counts every bar when no bar is named', async () => {
    const answer = await call('GET', `/pour-cost?${period}`, { token: owner });
    expect(answer.status).toBe(200);
    expect(answer.body.locationId).toBeNull();
    const cocktails = answer.body.categories.find((c: any) => c.category === 'cocktails');
    // (109 × 2.40 + 1 × 4.00) / (109 × 12 + 1 × 10) = 265.60 / 1318 = 20.15 %.
    expect(cocktails).toMatchObject({ pourCost: 0.2015, basis: 'sales', sold: 110 });
  });

  it('keeps a category band changed later out of other categories and drops it when the owner clears it', async () => {
    const set = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { cocktails: { low: 0.25, high: 0.3 } } },
    });
    expect(set.status).toBe(200);
    expect(set.body.categoryPourCostTargets).toEqual({ cocktails: { low: 0.25, high: 0.3 } });
    const answer = await call('GET', `/pour-cost?${period}&locationId=${barA}`, { token: owner });
    const categories = Object.fromEntries(answer.body.categories.map((c: any) => [c.category, c]));
    expect(categories.cocktails).toMatchObject({ pourCost: 0.2169, targetLow: 0.25, onTarget: false });
    // spirits lost their own band with the PATCH: 16 % is off the default band now.
    expect(categories.spirits).toMatchObject({ targetLow: 0.18, onTarget: false });
    const items = Object.fromEntries(answer.body.items.map((i: any) => [i.name, i]));
    // 2.40 / 0.275 = 8.73.
    expect(items.Margarita).toMatchObject({ onTarget: false, priceForTarget: 8.73 });
    const restored = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { spirits: { low: 0.12, high: 0.18 } } },
    });
    expect(restored.status).toBe(200);
  });

  it('refuses a band upside down or outside 0-1, with the reason', async () => {
    const upside = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { spirits: { low: 0.3, high: 0.2 } } },
    });
    expect(upside.status).toBe(400);
    expect(JSON.stringify(upside.body)).toContain('low must not be above high');
    const tooHigh = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { spirits: { low: 0.2, high: 1.5 } } },
    });
    expect(tooHigh.status).toBe(400);
    expect(JSON.stringify(tooHigh.body)).toContain('categoryPourCostTargets.spirits.high');
    const stray = await call('PATCH', '/settings/bar', {
      token: owner,
      json: { categoryPourCostTargets: { spirits: { low: 0.1, high: 0.2, mid: 0.15 } } },
    });
    expect(stray.status).toBe(400);
    const unchanged = await call('GET', '/settings/bar', { token: owner });
    expect(unchanged.body.categoryPourCostTargets).toEqual({ spirits: { low: 0.12, high: 0.18 } });
  });

  it('refuses a period that ends before it starts', async () => {
    const answer = await call('GET', '/pour-cost?from=2026-03-07T00:00:00Z&to=2026-03-06T00:00:00Z', {
      token: owner,
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('must be after from');
  });

  it('keeps the money from bartenders and other organizations', async () => {
    expect((await call('GET', `/pour-cost?${period}`, { token: bartender })).status).toBe(403);
    const bartenderSets = await call('PATCH', '/settings/bar', {
      token: bartender,
      json: { categoryPourCostTargets: {} },
    });
    expect(bartenderSets.status).toBe(403);
    const other = (await otherOrganization()).token;
    expect((await call('GET', `/pour-cost?${period}&locationId=${barA}`, { token: other })).status).toBe(404);
    const theirs = await call('GET', `/pour-cost?${period}`, { token: other });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
    expect((await call('GET', '/settings/bar', { token: other })).body.categoryPourCostTargets).toEqual({});
  });
});
