import { beforeAll, describe, expect, it } from 'vitest';
import { stationListSchema, stationVarianceReportSchema } from '@pourcast/protocol';
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
import { hmacHex } from '../pos/hmac.ts';

let owner: string;
let locationId: string;
let gin: string;
let bea: { token: string; userId: string };
let stranger: string;
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 20, minute)).toISOString();
const period = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(59))}`;

async function postTabit(connectionId: string, secret: string, body: object) {
  const text = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  return call('POST', `/pos/webhooks/tabit/${connectionId}`, {
    headers: {
      'x-tabit-signature': `sha256=${await hmacHex(secret, `${timestamp}.${text}`)}`,
      'x-tabit-timestamp': timestamp,
    },
    json: body,
  });
}

/**
 * Two wells pour the same gin from their own scales. Well 1 sells 10 × 30 ml and pours 10 × 30 ml (± a
 * couple of ml); well 2 sells 10 × 30 ml and pours 10 × 39 ml. Only well 2's gin is flagged, and the bar's
 * gin line shows the sum.
 */
beforeAll(async () => {
  const session = await freshHub();
  owner = session.token;
  locationId = await createLocation(owner);
  gin = (await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 })).id;
  const menu = await call('POST', '/menu-items', {
    token: owner,
    json: { name: 'Gin 30 ml', category: 'spirits', price: 8, recipe: [{ itemId: gin, ml: 30 }] },
  });
  const connection = await call('POST', '/pos/connections', {
    token: owner,
    json: { provider: 'tabit', locationId },
  });
  await call('POST', '/pos/mappings', {
    token: owner,
    json: { provider: 'tabit', externalId: 'tb-gin', menuItemId: menu.body.id },
  });
  const member = await staff(owner, 'bartender');
  bea = { token: member.token, userId: member.user.id };
  stranger = (await staff(owner, 'bartender')).token;
  const stations = await call('POST', `/locations/${locationId}/stations`, {
    token: owner,
    json: {
      stations: [
        { name: 'Well 1', deviceIds: ['scale-01'] },
        { name: 'Well 2', deviceIds: ['scale-02'], userIds: [bea.userId] },
      ],
    },
  });
  expect(stations.status).toBe(200);

  const gateway = await claimGateway(owner, locationId);
  const pours = [
    ...Array.from({ length: 10 }, (_, i) => ({ deviceId: 'scale-01', ml: i % 2 ? 31 : 29, minute: i })),
    ...Array.from({ length: 10 }, (_, i) => ({ deviceId: 'scale-02', ml: 39, minute: 20 + i })),
  ];
  const events = pours.map((pour, index) =>
    event(gateway.gatewayId, index + 1, {
      locationId,
      itemId: gin,
      deltaMl: -pour.ml,
      deviceId: pour.deviceId,
      observedAt: at(pour.minute),
    }),
  );
  const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, 1, events),
  });
  expect(sent.status).toBe(200);
  for (const [index, station] of [' well 1', 'WELL 2'].entries()) {
    const check = {
      eventId: `e${index}`,
      eventType: 'check.closed',
      check: {
        id: `c${index}`,
        closedAt: at(40 + index),
        station,
        employeeName: index ? 'Bea' : 'Alex',
        items: [{ lineId: 'l1', menuItemId: 'tb-gin', name: 'Gin', quantity: 10, price: 80 }],
      },
    };
    const answer = await postTabit(connection.body.id, connection.body.signingSecret, check);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
});

describe('stations', () => {
  it('lists the stations with their devices and staff; a device stands at one station only', async () => {
    const list = await call('GET', `/locations/${locationId}/stations`, { token: owner });
    expect(stationListSchema.parse(list.body).stations.map((s) => [s.name, s.deviceIds])).toEqual([
      ['Well 1', ['scale-01']],
      ['Well 2', ['scale-02']],
    ]);
    const twice = await call('POST', `/locations/${locationId}/stations`, {
      token: owner,
      json: {
        stations: [
          { name: 'A', deviceIds: ['x'] },
          { name: 'B', deviceIds: ['x'] },
        ],
      },
    });
    expect(twice.status).toBe(400);
    expect(JSON.stringify(twice.body)).toContain('stations.1.deviceIds.0: already at another station');
    const bartenderSets = await call('POST', `/locations/${locationId}/stations`, {
      token: bea.token,
      json: { stations: [] },
    });
    expect(bartenderSets.status).toBe(403);
  });
});

describe('variance per station', () => {
  it("flags the overpouring well's gin and not the other well's", async () => {
    const answer = await call('GET', `/locations/${locationId}/variance/stations?${period}`, {
      token: owner,
    });
    expect(answer.status).toBe(200);
    const report = stationVarianceReportSchema.parse(answer.body);
    const [well1, well2] = report.stations;
    expect(well1!.lines).toEqual([
      expect.objectContaining({
        itemName: 'Gin',
        soldMl: 300,
        measuredMl: 300,
        varianceMl: 0,
        flagged: false,
      }),
    ]);
    expect(well2!.lines).toEqual([
      expect.objectContaining({
        itemName: 'Gin',
        soldMl: 300,
        measuredMl: 390,
        varianceMl: 90,
        flagged: true,
      }),
    ]);
    expect(well2!.lines[0]!.varianceCost).toBe(2.7);
    expect(report.ranked.map((l) => [l.stationName, l.itemName])).toEqual([['Well 2', 'Gin']]);
  });

  it('shows a bartender only the stations they work, without money', async () => {
    const own = await call('GET', `/locations/${locationId}/variance/stations?${period}`, {
      token: bea.token,
    });
    expect(own.status).toBe(200);
    const report = stationVarianceReportSchema.parse(own.body);
    expect(report.stations.map((s) => s.name)).toEqual(['Well 2']);
    expect(report.stations[0]!.lines[0]).not.toHaveProperty('varianceCost');
    expect(report.ranked[0]).not.toHaveProperty('varianceCost');
    const none = await call('GET', `/locations/${locationId}/variance/stations?${period}`, {
      token: stranger,
    });
    expect(none.body.stations).toEqual([]);
  });

  it('keeps a station id when the stations are set again under the same name', async () => {
    const before = (await call('GET', `/locations/${locationId}/stations`, { token: owner })).body.stations;
    const again = await call('POST', `/locations/${locationId}/stations`, {
      token: owner,
      json: {
        stations: [
          { name: 'well 2', deviceIds: ['scale-02'], userIds: [bea.userId] },
          { name: 'Well 1', deviceIds: ['scale-01'] },
        ],
      },
    });
    expect(again.status).toBe(200);
    const ids = (list: { id: string; name: string }[]) =>
      Object.fromEntries(list.map((s) => [s.name.toLowerCase(), s.id]));
    expect(ids(again.body.stations)).toEqual(ids(before));
  });
});
