import { beforeAll, describe, expect, it } from 'vitest';
import { wasteReportSchema, type Item } from '@pourcast/protocol';
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
import { ledgerReason } from './waste.ts';

describe('ledgerReason', () => {
  it('keeps the reason before the first colon, unspecified when only a note came', () => {
    expect(ledgerReason('spill', undefined)).toBe('spill');
    expect(ledgerReason('breakage', ' dropped on the ice well ')).toBe('breakage: dropped on the ice well');
    expect(ledgerReason(undefined, 'found open')).toBe('unspecified: found open');
    expect(ledgerReason(undefined, '  ')).toBeNull();
  });
});

describe('waste reasons from the gateway', () => {
  let owner: string;
  let locationId: string;
  let gin: Item;
  let cans: Item;
  let gateway: { gatewayId: string; token: string };
  beforeAll(async () => {
    owner = (await freshHub()).token;
    locationId = await createLocation(owner);
    gin = await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 });
    cans = await createItem(owner, {
      name: 'Lager can',
      category: 'beer',
      containerMl: 1,
      unit: 'unit',
      cost: 2.5,
    });
    gateway = await claimGateway(owner, locationId);
  });

  it('a scanner breakage and a display spill reach the waste report by reason, unit and cost', async () => {
    const bartender = (await staff(owner, 'bartender')).token;
    const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 20, 0, second)).toISOString();
    const events = [
      event(gateway.gatewayId, 1, {
        locationId,
        itemId: gin.id,
        kind: 'waste',
        source: 'scanner',
        deltaMl: -700,
        containersDelta: -1,
        wasteReason: 'breakage',
        observedAt: at(1),
      }),
      event(gateway.gatewayId, 2, {
        locationId,
        itemId: gin.id,
        kind: 'waste',
        source: 'display',
        deltaMl: -50,
        wasteReason: 'spill',
        note: 'knocked over',
        userId: 'staff-JD',
        observedAt: at(2),
      }),
      event(gateway.gatewayId, 3, {
        locationId,
        itemId: gin.id,
        kind: 'waste',
        source: 'display',
        deltaMl: -20,
        observedAt: at(3),
      }),
      // Two cans dropped: units, never added to the gin's ml.
      event(gateway.gatewayId, 4, {
        locationId,
        itemId: cans.id,
        kind: 'waste',
        source: 'display',
        deltaMl: -2,
        wasteReason: 'breakage',
        observedAt: at(4),
      }),
    ];
    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 1, events),
    });
    expect(sent.status).toBe(200);

    const query = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`;
    const report = await call('GET', `/locations/${locationId}/waste?${query}`, { token: owner });
    expect(report.status).toBe(200);
    const body = wasteReportSchema.parse(report.body);
    expect(body.reasons).toEqual([
      { reason: 'breakage', unit: 'ml', amount: 700, events: 1, cost: 21 },
      { reason: 'spill', unit: 'ml', amount: 50, events: 1, cost: 1.5 },
      { reason: 'unspecified', unit: 'ml', amount: 20, events: 1, cost: 0.6 },
      { reason: 'breakage', unit: 'unit', amount: 2, events: 1, cost: 5 },
    ]);
    expect(body.items).toEqual([
      { itemId: gin.id, itemName: 'Gin', unit: 'ml', amount: 770, cost: 23.1 },
      { itemId: cans.id, itemName: 'Lager can', unit: 'unit', amount: 2, cost: 5 },
    ]);

    const forBartender = await call('GET', `/locations/${locationId}/waste?${query}`, { token: bartender });
    expect(forBartender.status).toBe(200);
    expect(forBartender.body.reasons[0]).toEqual({ reason: 'breakage', unit: 'ml', amount: 700, events: 1 });
  });

  it('refuses an unknown waste reason with a path: message line', async () => {
    const bad = event(gateway.gatewayId, 5, { locationId, itemId: gin.id, kind: 'waste' });
    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 5, [{ ...bad, wasteReason: 'lost' as never }]),
    });
    expect(sent.status).toBe(400);
    expect(JSON.stringify(sent.body)).toContain('events.0.wasteReason');
  });
});
