import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { locationStockSchema, stockLineSchema, type Item, type LoginResponse } from '@pourcast/protocol';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  staff,
  stockLine,
} from '../../test/helpers.ts';
import { rebuildStockLevels } from './rebuild-stock-levels.ts';
import { openDb } from '../db/client.ts';

let owner: LoginResponse;
let locationId: string;
let gin: Item;
let keg: Item;
let gateway: { gatewayId: string; token: string };

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token);
  gin = await createItem(owner.token, { name: 'Copper Gin', containerMl: 700, parLevelMl: 4200 });
  keg = await createItem(owner.token, { name: 'House Lager Keg', category: 'keg', containerMl: 30000 });
  gateway = await claimGateway(owner.token, locationId);
});

async function ingest(events: ReturnType<typeof event>[]) {
  const answer = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, events[0]!.seq, events),
  });
  expect(answer.status).toBe(200);
}

const stockRows = async () =>
  openDb(env.DB).all<Record<string, unknown>>(sql`SELECT * FROM stock_levels ORDER BY location_id, item_id`);

describe('the stock fold', () => {
  it('folds receive, opened bottle, pours, waste and adjust into sealed and open ml', async () => {
    const at = (seq: number, fields: Partial<Parameters<typeof event>[2]>) =>
      event(gateway.gatewayId, seq, { locationId, itemId: gin.id, ...fields });
    await ingest([
      at(1, { kind: 'receive', deltaMl: 4200, containersDelta: 6, source: 'scanner' }), // 6 sealed
      at(2, { kind: 'count', deltaMl: -10, containersDelta: -1, levelAfterMl: 690 }), // opened: 690 ml left
      at(3, { kind: 'pour', deltaMl: -30, levelAfterMl: 660 }),
      at(4, { kind: 'pour', deltaMl: -45, levelAfterMl: 615 }),
      at(5, { kind: 'waste', deltaMl: -700, containersDelta: -1, source: 'scanner' }), // a sealed one broke
    ]);
    const line = stockLineSchema.parse(await stockLine(owner.token, locationId, gin.id));
    // sealed 6 - 1 - 1 = 4; open (−10 + 700) − 30 − 45 + (−700 + 700) = 615; total 4 × 700 + 615.
    expect(line).toMatchObject({ sealedContainers: 4, openMl: 615, totalMl: 3415, parLevelMl: 4200 });
    expect(line).toMatchObject({ lastSource: 'scanner', lastObservedAt: '2026-01-01T20:00:05.000Z' });

    const adjusted = await call('POST', `/locations/${locationId}/adjustments`, {
      token: owner.token,
      json: { itemId: gin.id, sealedContainers: 3, openMl: 500, reason: 'stocktake' },
    });
    expect(adjusted.status).toBe(201);
    expect(stockLineSchema.parse(adjusted.body)).toMatchObject({
      sealedContainers: 3,
      openMl: 500,
      totalMl: 2600,
      lastSource: 'manual',
    });
    const ledger = await openDb(env.DB).get(
      sql`SELECT kind, delta_ml, containers_delta, source, reason, gateway_id, seq FROM stock_events WHERE kind = 'adjust'`,
    );
    // containersDelta 3 − 4 = −1; deltaMl (500 − 615) + (−1 × 700) = −815.
    expect(ledger).toEqual({
      kind: 'adjust',
      delta_ml: -815,
      containers_delta: -1,
      source: 'manual',
      reason: 'stocktake',
      gateway_id: null,
      seq: null,
    });
  });

  it('opens a keg and pours from it', async () => {
    const at = (seq: number, fields: Partial<Parameters<typeof event>[2]>) =>
      event(gateway.gatewayId, seq, { locationId, itemId: keg.id, ...fields });
    await ingest([
      at(1, { kind: 'receive', deltaMl: 60000, containersDelta: 2 }),
      at(2, { kind: 'count', deltaMl: 0, containersDelta: -1 }), // tapped, full
      at(3, { kind: 'pour', deltaMl: -568 }),
    ]);
    expect(await stockLine(owner.token, locationId, keg.id)).toMatchObject({
      sealedContainers: 1,
      openMl: 29432,
      totalMl: 59432,
    });
  });

  it('lists every item of the organization, with zeros for items never seen, each in its unit', async () => {
    await createItem(owner.token, { name: 'Pale Ale 330', category: 'beer', containerMl: 1, unit: 'unit' });
    const answer = await call('GET', `/locations/${locationId}/stock`, { token: owner.token });
    const stock = locationStockSchema.parse(answer.body);
    expect(stock.items.map((line) => [line.itemName, line.unit])).toEqual([
      ['Copper Gin', 'ml'],
      ['House Lager Keg', 'ml'],
      ['Pale Ale 330', 'unit'],
    ]);
    expect(stock.items[0]).toMatchObject({
      sealedContainers: 0,
      openMl: 0,
      totalMl: 0,
      lastObservedAt: null,
    });
  });

  it('shows the par in force at the bar: the one pinned there, else the catalog par', async () => {
    const par = async () =>
      locationStockSchema
        .parse((await call('GET', `/locations/${locationId}/stock`, { token: owner.token })).body)
        .items.find((line) => line.itemId === gin.id)!.parLevelMl;
    expect(await par()).toBe(4200);
    const pin = (parMl: number | null) =>
      call('PATCH', `/locations/${locationId}/pars/${gin.id}`, { token: owner.token, json: { parMl } });
    expect((await pin(5600)).status).toBe(200);
    expect(await par()).toBe(5600);
    expect((await pin(null)).status).toBe(200);
    expect(await par()).toBe(4200);
  });

  it('seeds opening stock from zero with an adjustment', async () => {
    const manager = await staff(owner.token, 'manager');
    const answer = await call('POST', `/locations/${locationId}/adjustments`, {
      token: manager.token,
      json: { itemId: keg.id, sealedContainers: 2, openMl: 12000, reason: 'opening stock' },
    });
    expect(answer.body).toMatchObject({ sealedContainers: 2, openMl: 12000, totalMl: 72000 });
    const unknown = await call('POST', `/locations/${locationId}/adjustments`, {
      token: owner.token,
      json: { itemId: 'no-such-item', sealedContainers: 1, openMl: 0, reason: 'x' },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual(['body.itemId: not an item of this organization']);
  });
});

describe('rebuildStockLevels', () => {
  it('recomputes from the ledger exactly what the trigger keeps, and repairs a damaged cache', async () => {
    const at = (seq: number, itemId: string, fields: Partial<Parameters<typeof event>[2]>) =>
      event(gateway.gatewayId, seq, { locationId, itemId, ...fields });
    await ingest([
      at(1, gin.id, { kind: 'receive', deltaMl: 2100, containersDelta: 3, source: 'scanner' }),
      at(2, gin.id, { kind: 'count', deltaMl: -50, containersDelta: -1, levelAfterMl: 650 }),
      at(3, keg.id, { kind: 'receive', deltaMl: 30000, containersDelta: 1 }),
      // Observed earlier than seq 2 but arriving later: must not become the "last" observation.
      at(4, gin.id, { kind: 'pour', deltaMl: -25, source: 'camera', observedAt: '2025-12-31T23:00:00.000Z' }),
      at(5, keg.id, {
        kind: 'count',
        deltaMl: 0,
        containersDelta: -1,
        observedAt: '2026-01-01T20:00:03.000Z',
      }),
    ]);
    const dipped = await call('POST', `/locations/${locationId}/adjustments`, {
      token: owner.token,
      json: { itemId: keg.id, sealedContainers: 0, openMl: 25000, reason: 'dip check' },
    });
    expect(dipped.status).toBe(201);
    const fromTrigger = await stockRows();
    expect(fromTrigger).toHaveLength(2);
    expect(fromTrigger.find((row) => row.item_id === gin.id)).toMatchObject({
      sealed_containers: 2,
      open_ml: 625,
      last_source: 'scale',
    });

    expect(await rebuildStockLevels(env.DB)).toBe(2);
    expect(await stockRows()).toEqual(fromTrigger);

    await openDb(env.DB).run(sql`UPDATE stock_levels SET sealed_containers = 999, open_ml = -1`);
    await rebuildStockLevels(env.DB);
    expect(await stockRows()).toEqual(fromTrigger);
  });
});
