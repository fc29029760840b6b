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
  let gateway: { gatewayId: string; token: string };
  beforeAll(async () => {
    owner = (await freshHub()).token;
    locationId = await createLocation(owner);
    gin = await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 });
    gateway = await claimGateway(owner, locationId);
  });

  it('a scanner breakage and a display spill reach the waste report by reason and cost', async () => {
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
      { reason: 'breakage', ml: 700, events: 1, cost: 21 },
      { reason: 'spill', ml: 50, events: 1, cost: 1.5 },
      { reason: 'unspecified', ml: 20, events: 1, cost: 0.6 },
    ]);

    const forBartender = await call('GET', `/locations/${locationId}/waste?${query}`, { token: bartender });
    expect(forBartender.status).toBe(200);
    expect(forBartender.body.reasons[0]).toEqual({ reason: 'breakage', ml: 700, events: 1 });
  });

  it('refuses an unknown waste reason with a path: message line', async () => {
    const bad = event(gateway.gatewayId, 4, { locationId, itemId: gin.id, kind: 'waste' });
    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 4, [{ ...bad, wasteReason: 'lost' as never }]),
    });
    expect(sent.status).toBe(400);
    expect(JSON.stringify(sent.body)).toContain('events.0.wasteReason');
  });
});
