import { barSettingsSchema } from '@pourcast/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  staff,
} from '../../test/helpers.ts';
import { itemVariance, type MeasuredEvent } from './variance-math.ts';

const settings = barSettingsSchema.parse({});
const scale = (...deltas: number[]): MeasuredEvent[] =>
  deltas.map((deltaMl) => ({ kind: 'pour', source: 'scale', deltaMl }));

/**
 * A hand-worked shift (defaults: scale ±2 ml, camera ±25 ml per event as 1σ, band 2σ; tolerance 5% or 30 ml).
 */
describe('variance of a hand-worked shift', () => {
  it('flags the tequila theft: 10 margaritas sold (600 ml), 13 pours of 60 ml measured', () => {
    const v = itemVariance(
      { soldMl: 600, wasteMl: 0, events: scale(...Array(13).fill(-60)), costPerMl: 28 / 700 },
      settings,
    );
    // band = ceil(2 × √(13 × 2²)) = ceil(14.42) = 15; variance 180 > 15 and > 30.
    expect(v).toEqual({
      soldMl: 600,
      wasteMl: 0,
      expectedMl: 600,
      measuredMl: 780,
      varianceMl: 180,
      variancePct: 30,
      bandMl: 15,
      flagged: true,
      varianceCost: 7.2,
    });
  });

  it('does not flag the gin noise: 12 × 50 ml sold, 12 weighings off by a few ml', () => {
    const v = itemVariance(
      {
        soldMl: 600,
        wasteMl: 0,
        events: scale(-52, -49, -51, -50, -53, -48, -50, -51, -52, -49, -50, -51),
        costPerMl: 0.03,
      },
      settings,
    );
    // measured 606, variance 6 < band ceil(2 × √48) = 14.
    expect([v.measuredMl, v.varianceMl, v.bandMl, v.flagged]).toEqual([606, 6, 14, false]);
  });

  it('explains logged waste: a 100 ml spill is expected usage, not loss', () => {
    const events = [
      ...scale(-40, -40, -40, -40, -40),
      { kind: 'waste', source: 'display', deltaMl: -100 } as const,
    ];
    const v = itemVariance({ soldMl: 200, wasteMl: 100, events, costPerMl: 0.02 }, settings);
    expect([v.expectedMl, v.measuredMl, v.varianceMl, v.flagged]).toEqual([300, 300, 0, false]);
  });

  it('gives camera counts a wider band: 40 ml over tolerance but inside the camera band is not flagged', () => {
    const events: MeasuredEvent[] = [
      { kind: 'count', source: 'camera', deltaMl: -210 },
      { kind: 'count', source: 'camera', deltaMl: -230 },
    ];
    const v = itemVariance({ soldMl: 400, wasteMl: 0, events, costPerMl: 0.02 }, settings);
    expect([v.varianceMl, v.bandMl, v.flagged]).toEqual([40, 71, false]);
  });

  it('respects the owner tolerance even beyond the band', () => {
    const v = itemVariance(
      { soldMl: 2000, wasteMl: 0, events: scale(-1000, -1080), costPerMl: 0.02 },
      settings,
    );
    // variance 80 > band 6 but < 5% of 2000 = 100.
    expect([v.varianceMl, v.bandMl, v.flagged]).toEqual([80, 6, false]);
  });
});

describe('GET /locations/:id/variance', () => {
  let owner: string;
  let bartender: string;
  let locationId: string;
  let tequila: string;
  let gin: string;

  beforeAll(async () => {
    owner = (await freshHub()).token;
    bartender = (await staff(owner, 'bartender')).token;
    locationId = await createLocation(owner);
    tequila = (await createItem(owner, { name: 'Tequila', containerMl: 700, cost: 28 })).id;
    gin = (await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 })).id;
    const margarita = await call('POST', '/menu-items', {
      token: owner,
      json: { name: 'Margarita', category: 'cocktails', price: 12, recipe: [{ itemId: tequila, ml: 60 }] },
    });
    const gt = await call('POST', '/menu-items', {
      token: owner,
      json: { name: 'G&T', category: 'highballs', price: 9, recipe: [{ itemId: gin, ml: 50 }] },
    });
    const gw = await claimGateway(owner, locationId);
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 6, 20, minute)).toISOString();
    const pours = [
      ...Array.from({ length: 13 }, (_, i) => ({ itemId: tequila, deltaMl: -60, observedAt: at(i) })),
      ...[-52, -49, -51, -50, -53, -48, -50, -51, -52, -49, -50, -51].map((deltaMl, i) => ({
        itemId: gin,
        deltaMl,
        observedAt: at(20 + i),
      })),
    ];
    const events = pours.map((p, i) => event(gw.gatewayId, i + 1, { locationId, ...p }));
    const sent = await call('POST', `/gateways/${gw.gatewayId}/events`, {
      token: gw.token,
      json: batch(gw.gatewayId, 1, events),
    });
    expect(sent.status).toBe(200);
    const mapping = await call('POST', '/pos/csv-mappings', {
      token: owner,
      json: { name: 'till', columns: { soldAt: 'time', itemId: 'plu', quantity: 'qty' } },
    });
    const csv = `time,plu,qty\n2026-03-06T20:30:00Z,M,10\n2026-03-06T20:45:00Z,G,12\n`;
    await call('POST', '/pos/imports', {
      token: owner,
      json: { locationId, mappingId: mapping.body.id, csv },
    });
    await call('POST', '/pos/mappings', {
      token: owner,
      json: { provider: 'csv', externalId: 'M', menuItemId: margarita.body.id },
    });
    await call('POST', '/pos/mappings', {
      token: owner,
      json: { provider: 'csv', externalId: 'G', menuItemId: gt.body.id },
    });
  });

  const query = '?from=2026-03-06T18:00:00Z&to=2026-03-07T04:00:00Z';

  it('flags the overpoured tequila and not the noisy gin, costliest first, with money for the owner', async () => {
    const answer = await call('GET', `/locations/${locationId}/variance${query}`, { token: owner });
    expect(answer.status).toBe(200);
    const byName = Object.fromEntries(answer.body.lines.map((l: any) => [l.itemName, l]));
    expect(byName.Tequila).toMatchObject({
      expectedMl: 600,
      measuredMl: 780,
      varianceMl: 180,
      bandMl: 15,
      flagged: true,
      varianceCost: 7.2,
    });
    expect(byName.Gin).toMatchObject({ expectedMl: 600, measuredMl: 606, flagged: false });
    expect(answer.body.ranked.map((l: any) => l.itemName)).toEqual(['Tequila']);
    expect(answer.body.weeks.at(-1)).toMatchObject({
      weekStart: '2026-03-02T00:00:00.000Z',
      varianceMl: 186,
      flaggedItems: 1,
    });
  });

  it('shows a bartender the ml but no money', async () => {
    const answer = await call('GET', `/locations/${locationId}/variance${query}`, { token: bartender });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).not.toContain('varianceCost');
    expect(answer.body.ranked[0]).toMatchObject({ itemName: 'Tequila', varianceMl: 180 });
    expect((await call('GET', '/pour-cost', { token: bartender })).status).toBe(403);
  });

  it('lists waste by reason and pour cost against the target', async () => {
    const logged = await call('POST', `/locations/${locationId}/waste`, {
      token: bartender,
      json: { itemId: gin, ml: 35, reason: 'spill' },
    });
    expect(logged.status).toBe(204);
    const now = Date.now();
    const waste = await call(
      'GET',
      `/locations/${locationId}/waste?from=${new Date(now - 3_600_000).toISOString()}&to=${new Date(now + 3_600_000).toISOString()}`,
      { token: owner },
    );
    expect(waste.body.reasons).toEqual([{ reason: 'spill', unit: 'ml', amount: 35, events: 1, cost: 1.05 }]);
    const pourCost = await call('GET', '/pour-cost', { token: owner });
    // Margarita: 60 ml × 0.04 = 2.40 / 12 = 20% (on target); G&T: 50 × 0.03 = 1.50 / 9 = 16.7% → price 1.50 / 0.21 = 7.14.
    const byName = Object.fromEntries(pourCost.body.items.map((i: any) => [i.name, i]));
    expect(byName.Margarita).toMatchObject({
      ingredientCost: 2.4,
      pourCost: 0.2,
      onTarget: true,
      priceForTarget: null,
    });
    expect(byName['G&T']).toMatchObject({ ingredientCost: 1.5, onTarget: false, priceForTarget: 7.14 });
  });
});
