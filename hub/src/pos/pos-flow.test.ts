import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { call, createItem, createLocation, freshHub, stockLine } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { hmacBase64, hmacHex } from './hmac.ts';

let token: string;
let locationId: string;
let tequila: string;
let lime: string;
let margarita: string;

beforeAll(async () => {
  token = (await freshHub()).token;
  locationId = await createLocation(token);
  tequila = (await createItem(token, { name: 'Blanco Tequila', containerMl: 700, cost: 28 })).id;
  lime = (await createItem(token, { name: 'Lime Juice', category: 'mixer', containerMl: 1000, cost: 4 })).id;
  await call('POST', `/locations/${locationId}/adjustments`, {
    token,
    json: { itemId: tequila, sealedContainers: 2, openMl: 500, reason: 'opening stock' },
  });
  await call('POST', '/modifiers', { token, json: { name: 'Double', multiplier: 2 } });
  const menu = await call('POST', '/menu-items', {
    token,
    json: {
      name: 'Margarita',
      category: 'cocktails',
      price: 12,
      recipe: [
        { itemId: tequila, ml: 60 },
        { itemId: lime, ml: 30 },
      ],
    },
  });
  expect(menu.status).toBe(201);
  margarita = menu.body.id;
});

afterEach(() => vi.restoreAllMocks());

async function usageOf(itemId: string) {
  const row = await openDb(env.DB).get<{ ml: number }>(
    sql`SELECT COALESCE(SUM(ml), 0) AS ml FROM sale_usages WHERE item_id = ${itemId}`,
  );
  return row!.ml;
}

function check(eventId: string, lines: object[], closedAt = new Date().toISOString()) {
  return JSON.stringify({
    eventId,
    eventType: 'check.closed',
    check: { id: `chk-${eventId}`, closedAt, items: lines },
  });
}

async function postTabit(connectionId: string, secret: string, body: string, at = new Date()) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = `sha256=${await hmacHex(secret, `${timestamp}.${body}`)}`;
  return call('POST', `/pos/webhooks/tabit/${connectionId}`, {
    headers: {
      'x-tabit-signature': signature,
      'x-tabit-timestamp': timestamp,
      'content-type': 'application/json',
    },
    json: JSON.parse(body),
  });
}

describe('Tabit webhook to expected usage', () => {
  it('refuses bad signatures and replays, parks unmapped items, applies them once mapped, leaves stock alone', async () => {
    const connection = await call('POST', '/pos/connections', {
      token,
      json: { provider: 'tabit', locationId },
    });
    expect(connection.status).toBe(201);
    const { id, signingSecret } = connection.body;
    expect((await call('GET', '/pos/connections', { token })).body[0].signingSecret).toBeUndefined();
    const before = await stockLine(token, locationId, tequila);

    const body = check('e1', [
      {
        lineId: '1',
        menuItemId: 'T-MARG',
        name: 'Margarita',
        quantity: 2,
        price: 24,
        modifiers: [{ name: 'double' }],
      },
      { lineId: '2', menuItemId: 'T-MARG', name: 'Margarita', quantity: 1, price: 12, voided: true },
    ]);
    expect((await postTabit(id, 'not-the-secret', body)).status).toBe(401);
    const stale = await postTabit(id, signingSecret, body, new Date(Date.now() - 600_000));
    expect(stale.body.error.message).toContain('replay window');

    const first = await postTabit(id, signingSecret, body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ lines: 3, recorded: 3, duplicates: 0, needsMapping: 1 });
    expect((await postTabit(id, signingSecret, body)).status).toBe(409);

    const unmapped = await call('GET', '/pos/mappings?unmapped=true', { token });
    expect(unmapped.body).toEqual([
      {
        provider: 'tabit',
        externalId: 'T-MARG',
        externalName: 'Margarita',
        menuItemId: null,
        pendingLines: 3,
      },
    ]);
    expect(await usageOf(tequila)).toBe(0);

    const mapped = await call('POST', '/pos/mappings', {
      token,
      json: { provider: 'tabit', externalId: 'T-MARG', menuItemId: margarita },
    });
    expect(mapped.body.pendingLines).toBe(0);
    // 2 doubles (2 × 120 ml) + the voided single cancelled by its void.
    expect(await usageOf(tequila)).toBe(240);
    expect(await usageOf(lime)).toBe(120);
    const sales = await openDb(env.DB).all<{ delta_ml: number; source: string }>(
      sql`SELECT delta_ml, source FROM stock_events WHERE kind = 'sale' AND item_id = ${tequila}`,
    );
    expect(sales.length).toBe(3);
    expect(sales.every((r) => r.delta_ml === 0 && r.source === 'pos')).toBe(true);
    const after = await stockLine(token, locationId, tequila);
    expect(after.totalMl).toBe(before.totalMl);

    // A mapped item is applied at once, with the recipe version valid at the time of sale.
    const later = new Date(Date.now() + 1000).toISOString();
    await call('POST', `/menu-items/${margarita}/recipe`, {
      token,
      json: {
        recipe: [
          { itemId: tequila, ml: 45 },
          { itemId: lime, ml: 30 },
        ],
        validFrom: later,
      },
    });
    const old = await postTabit(
      id,
      signingSecret,
      check(
        'e2',
        [{ lineId: '1', menuItemId: 'T-MARG', name: 'Margarita', quantity: 1, price: 12 }],
        new Date(Date.now() - 60_000).toISOString(),
      ),
    );
    expect(old.body.needsMapping).toBe(0);
    expect(await usageOf(tequila)).toBe(300);
    // Sold once the new version is valid: its 45 ml of tequila.
    await postTabit(
      id,
      signingSecret,
      check(
        'e3',
        [{ lineId: '1', menuItemId: 'T-MARG', name: 'Margarita', quantity: 1, price: 12 }],
        new Date(Date.parse(later) + 5_000).toISOString(),
      ),
    );
    expect(await usageOf(tequila)).toBe(345);
    expect(await usageOf(lime)).toBe(120 + 30 + 30);
  });
});

describe('Square webhook', () => {
  it('verifies the signature, reads the order at its API boundary and records it once', async () => {
    const notificationUrl = 'https://hub.example/api/v1/pos/webhooks/square/x';
    const connection = await call('POST', '/pos/connections', {
      token,
      json: {
        provider: 'square',
        locationId,
        signatureKey: 'square-sig-key',
        notificationUrl,
        accessToken: 'EAAA-test-token',
        apiBaseUrl: 'https://square.test',
      },
    });
    expect(connection.body.signingSecret).toBeUndefined();
    const order = {
      id: 'ORD-1',
      state: 'COMPLETED',
      closed_at: new Date().toISOString(),
      line_items: [
        {
          uid: 'u1',
          name: 'Margarita',
          catalog_object_id: 'SQ-MARG',
          quantity: '1',
          total_money: { amount: 1200, currency: 'EUR' },
        },
      ],
    };
    const fetchMock = vi
      .spyOn(globalThis, 'fetch')
      .mockImplementation(async () => new Response(JSON.stringify({ order })));
    const event = JSON.stringify({
      merchant_id: 'M',
      type: 'order.updated',
      event_id: 'sq-e1',
      data: {
        type: 'order_updated',
        id: 'ORD-1',
        object: { order_updated: { order_id: 'ORD-1', state: 'COMPLETED' } },
      },
    });
    const send = async (signature: string) =>
      call('POST', `/pos/webhooks/square/${connection.body.id}`, {
        headers: { 'x-square-hmacsha256-signature': signature },
        json: JSON.parse(event),
      });
    expect((await send(await hmacBase64('wrong', notificationUrl + event))).status).toBe(401);
    const signature = await hmacBase64('square-sig-key', notificationUrl + event);
    const first = await send(signature);
    expect(first.body).toEqual({ lines: 1, recorded: 1, duplicates: 0, needsMapping: 1 });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('https://square.test/v2/orders/ORD-1');
    expect((init!.headers as Record<string, string>).authorization).toBe('Bearer EAAA-test-token');
    expect((await send(signature)).body.recorded).toBe(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});

describe('CSV import', () => {
  it('imports with a saved mapping, reports bad rows and records nothing twice', async () => {
    const mapping = await call('POST', '/pos/csv-mappings', {
      token,
      json: {
        name: 'Till export',
        columns: { soldAt: 'Date', itemId: 'PLU', itemName: 'Name', quantity: 'Qty', amount: 'Net' },
      },
    });
    expect(mapping.status).toBe(201);
    const csv =
      'Date,PLU,Name,Qty,Net\n2026-03-06 21:00,P1,Margarita,1,12\n2026-03-06 21:05,P1,Margarita,x,12\n2026-03-06 21:10,P2,House Red,1,7\n';
    const json = { locationId, mappingId: mapping.body.id, csv };
    const first = await call('POST', '/pos/imports', { token, json });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rows: 3, lines: 2, recorded: 2, duplicates: 0, needsMapping: 2 });
    expect(first.body.errors).toEqual([{ line: 3, reason: 'Qty "x" is not a quantity above 0' }]);
    const again = await call('POST', '/pos/imports', { token, json });
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 2 });
  });
});
