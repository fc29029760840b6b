import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
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
  viaWorker,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';

const BOTTLE = 700;
let owner: LoginResponse;
let manager: LoginResponse;
let bartender: LoginResponse;
let locationId: string;
let gin: string;
let rum: string;
let harbour: string;
let northside: string;

async function ok<T = any>(status: number, answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

async function supplier(name: string, deliveryFee: number, email: string | null = null) {
  return (
    await ok(201, call('POST', '/suppliers', { token: owner.token, json: { name, deliveryFee, email } }))
  ).id;
}

async function offer(supplierId: string, itemId: string, terms: Record<string, number>) {
  await ok(
    201,
    call('POST', `/suppliers/${supplierId}/offers`, { token: owner.token, json: { itemId, ...terms } }),
  );
}

async function count(itemId: string, sealedContainers: number) {
  await ok(
    201,
    call('POST', `/locations/${locationId}/adjustments`, {
      token: owner.token,
      json: { itemId, sealedContainers, openMl: 0, reason: 'stocktake' },
    }),
  );
}

beforeAll(async () => {
  owner = await freshHub();
  manager = await staff(owner.token, 'manager');
  bartender = await staff(owner.token, 'bartender');
  locationId = await createLocation(owner.token);
  // No measured history: the catalog pars decide (the forecast-based rules are in plan-orders.test.ts).
  gin = (
    await createItem(owner.token, { name: 'Gin', containerMl: BOTTLE, cost: 20, parLevelMl: 6 * BOTTLE })
  ).id;
  rum = (
    await createItem(owner.token, { name: 'Rum', containerMl: BOTTLE, cost: 18, parLevelMl: 4 * BOTTLE })
  ).id;
  harbour = await supplier('Harbour', 15, 'orders@harbour.example');
  northside = await supplier('Northside', 0, 'sales@northside.example');
  await offer(harbour, gin, { price: 20, caseSize: 6, leadTimeDays: 2, minimumOrder: 0 });
  await offer(northside, gin, { price: 19, caseSize: 12, leadTimeDays: 5, minimumOrder: 0 });
  await offer(harbour, rum, { price: 18, caseSize: 6, leadTimeDays: 2, minimumOrder: 0 });
  await count(gin, 2);
  await count(rum, 5);
});

const draft = (token = manager.token) => call('POST', `/orders/draft?locationId=${locationId}`, { token });

describe('drafting', () => {
  it('drafts one order per supplier with the landed-cost choice and its reason', async () => {
    // Gin: par 6, on hand 2 → 4 bottles. Harbour 1 case of 6 = 120 + fee 15 → 22.50 a bottle;
    // Northside 1 case of 12 = 228, no fee → 19.00. Rum: on hand 5 of par 4, nothing.
    const body = await ok(201, draft());
    expect(body.orders).toHaveLength(1);
    const [order] = body.orders;
    expect(order).toMatchObject({
      supplierId: northside,
      status: 'draft',
      subtotal: 228,
      deliveryFee: 0,
      total: 228,
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        itemId: gin,
        cases: 1,
        caseSize: 12,
        quantity: 12,
        unitPrice: 19,
        lineTotal: 228,
      }),
    ]);
    expect(order.lines[0].reason).toBe(
      '1 case of 12: below catalog par 6 bottles, on hand 2 bottles, arriving 0 bottles; Northside 19.00 landed per bottle (vs Harbour 22.50)',
    );
    // The same facts, kept in D1 beside the English, for the dashboard to say in the manager's language.
    expect(order.lines[0].why).toEqual({
      cases: 1,
      caseSize: 12,
      containerLabel: 'bottles',
      target: { basis: 'catalog-par', parContainers: 6 },
      onHandContainers: 2,
      arrivingContainers: 0,
      supplierName: 'Northside',
      landedPerContainer: 19,
      alternatives: [{ supplierName: 'Harbour', landedPerContainer: 22.5 }],
    });
    expect(order.history).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'draft',
        actorKind: 'user',
        actorId: manager.user.id,
      }),
    ]);
  });

  it('replaces the earlier draft instead of doubling it, audited', async () => {
    const body = await ok(201, draft());
    expect(body.replaced).toBe(1);
    const drafts = await ok(
      200,
      call('GET', `/orders?locationId=${locationId}&status=draft`, { token: manager.token }),
    );
    expect(drafts).toHaveLength(1);
    const cancelled = await ok(200, call('GET', `/orders?status=cancelled`, { token: manager.token }));
    expect(cancelled[0].history.at(-1)).toMatchObject({
      toStatus: 'cancelled',
      note: 'replaced by a new draft',
    });
  });

  it('follows a pinned par and lets the manager edit a draft line', async () => {
    await ok(
      200,
      call('PATCH', `/locations/${locationId}/pars/${rum}`, {
        token: manager.token,
        json: { parMl: 8 * BOTTLE },
      }),
    );
    const pars = await ok(200, call('GET', `/locations/${locationId}/pars`, { token: bartender.token }));
    expect(pars.pars.find((p: { itemId: string }) => p.itemId === rum)).toMatchObject({
      currentParMl: 5600,
      pinned: true,
    });
    const body = await ok(201, draft());
    const harbourOrder = body.orders.find((o: { supplierId: string }) => o.supplierId === harbour);
    // Rum: pinned par 8, on hand 5 → 3 → 1 case of 6 at Harbour.
    expect(harbourOrder.lines[0]).toMatchObject({ itemId: rum, cases: 1, lineTotal: 108 });
    const edited = await ok(
      200,
      call('PATCH', `/orders/${harbourOrder.id}/lines/${harbourOrder.lines[0].id}`, {
        token: manager.token,
        json: { cases: 2 },
      }),
    );
    expect(edited.lines[0]).toMatchObject({ cases: 2, quantity: 12, lineTotal: 216 });
    expect(edited.total).toBe(231);
    // The edit is in the reason and in its facts; the drafted cases stay what the hub proposed.
    expect(edited.lines[0].reason).toMatch(
      /^1 case of 6: below pinned par 8 bottles, .*; edited to 2 cases$/,
    );
    expect(edited.lines[0].why).toMatchObject({
      cases: 1,
      target: { basis: 'pinned-par', parContainers: 8 },
      onHandContainers: 5,
      editedToCases: 2,
    });
    // A line drafted before the facts were kept (why NULL) reads back as null, keeps its reason, and
    // can still be edited.
    const lineId = harbourOrder.lines[0].id;
    await openDb(env.DB).run(sql`UPDATE purchase_order_lines SET why = NULL WHERE id = ${lineId}`);
    const older = await ok(
      200,
      call('PATCH', `/orders/${harbourOrder.id}/lines/${lineId}`, {
        token: manager.token,
        json: { cases: 3 },
      }),
    );
    expect(older.lines[0]).toMatchObject({ cases: 3, why: null });
    expect(older.lines[0].reason).toMatch(/; edited to 2 cases; edited to 3 cases$/);
    await ok(200, call('POST', `/orders/${harbourOrder.id}/cancel`, { token: manager.token, json: {} }));
    await ok(
      200,
      call('PATCH', `/locations/${locationId}/pars/${rum}`, { token: manager.token, json: { parMl: null } }),
    );
  });
});

describe('approval, sending and receiving', () => {
  let orderId: string;

  it('keeps orders and approval from bartenders', async () => {
    const [order] = (await ok(201, draft())).orders;
    orderId = order.id;
    expect((await call('GET', '/orders', { token: bartender.token })).status).toBe(403);
    expect(
      (await call('POST', `/orders/${orderId}/approve`, { token: bartender.token, json: {} })).status,
    ).toBe(403);
    expect(
      (await call('POST', `/orders/${orderId}/send`, { token: bartender.token, json: { via: 'manual' } }))
        .status,
    ).toBe(403);
  });

  it('approves a draft once (manager), audited with who and when', async () => {
    const approved = await ok(
      200,
      call('POST', `/orders/${orderId}/approve`, { token: manager.token, json: {} }),
    );
    expect(approved).toMatchObject({ status: 'approved', approvedBy: manager.user.id });
    expect(approved.history.at(-1)).toMatchObject({
      fromStatus: 'draft',
      toStatus: 'approved',
      actorKind: 'user',
      actorId: manager.user.id,
    });
    const again = await call('POST', `/orders/${orderId}/approve`, { token: manager.token, json: {} });
    expect(again.status).toBe(409);
    // The approved order now counts as arriving: a new draft orders no more gin.
    expect((await ok(201, draft())).orders).toHaveLength(0);
  });

  it('sends an order never twice', async () => {
    const sent = await ok(
      200,
      call('POST', `/orders/${orderId}/send`, { token: manager.token, json: { via: 'manual' } }),
    );
    expect(sent).toMatchObject({ status: 'sent', sentVia: 'manual' });
    const twice = await call('POST', `/orders/${orderId}/send`, {
      token: manager.token,
      json: { via: 'manual' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('invalid_transition');
    const order = await ok(200, call('GET', `/orders/${orderId}`, { token: manager.token }));
    expect(order.history.filter((e: { toStatus: string }) => e.toStatus === 'sent')).toHaveLength(1);
  });

  it("checks off the gateway's receive events against the order and flags short and substituted", async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const observedAt = new Date().toISOString();
    const events = [
      event(gateway.gatewayId, 1, {
        locationId,
        itemId: gin,
        kind: 'receive',
        deltaMl: 10 * BOTTLE,
        containersDelta: 10,
        source: 'scanner',
        observedAt,
      }),
      event(gateway.gatewayId, 2, {
        locationId,
        itemId: rum,
        kind: 'receive',
        deltaMl: 2 * BOTTLE,
        containersDelta: 2,
        source: 'scanner',
        observedAt,
      }),
    ];
    await ok(
      200,
      call('POST', `/gateways/${gateway.gatewayId}/events`, {
        token: gateway.token,
        json: batch(gateway.gatewayId, 1, events),
      }),
    );
    const order = await ok(200, call('GET', `/orders/${orderId}`, { token: manager.token }));
    expect(order.status).toBe('partially_received');
    expect(order.lines[0]).toMatchObject({
      itemId: gin,
      quantity: 12,
      receivedQuantity: 10,
      flags: ['short'],
    });
    expect(order.substitutions).toEqual([{ itemId: rum, itemName: 'Rum', quantity: 2 }]);
    expect(order.history.at(-1)).toMatchObject({
      fromStatus: 'sent',
      toStatus: 'partially_received',
      actorKind: 'gateway',
      actorId: gateway.gatewayId,
    });
    // Reading again matches nothing twice.
    const again = await ok(200, call('GET', `/orders/${orderId}`, { token: manager.token }));
    expect(again.lines[0].receivedQuantity).toBe(10);
  });

  it('takes the rest by hand (a bartender may), flags the changed price, and adds it to stock', async () => {
    const before = await stockLine(owner.token, locationId, gin);
    const receipt = await ok(
      201,
      call('POST', `/orders/${orderId}/receipts`, {
        token: bartender.token,
        json: { lines: [{ itemId: gin, quantity: 2, unitPrice: 20.5 }] },
      }),
    );
    expect(receipt).toMatchObject({ status: 'received' });
    expect(receipt.lines[0]).toEqual({
      itemId: gin,
      itemName: 'Gin',
      quantity: 12,
      receivedQuantity: 12,
      flags: ['price_changed'],
    });
    expect(JSON.stringify(receipt)).not.toContain('unitPrice');
    const after = await stockLine(owner.token, locationId, gin);
    expect(after.sealedContainers - before.sealedContainers).toBe(2);
    const closed = await ok(
      200,
      call('POST', `/orders/${orderId}/close`, { token: manager.token, json: {} }),
    );
    expect(closed.status).toBe('closed');
    expect(closed.history.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'draft',
      'approved',
      'sent',
      'partially_received',
      'received',
      'closed',
    ]);
    expect(
      (
        await call('POST', `/orders/${orderId}/receipts`, {
          token: manager.token,
          json: { lines: [{ itemId: gin, quantity: 1 }] },
        })
      ).status,
    ).toBe(409);
  });

  it('exports CSV and a PDF that parses', async () => {
    const get = (path: string) =>
      viaWorker(
        new Request(`http://hub.test/api/v1${path}`, {
          headers: { authorization: `Bearer ${manager.token}` },
        }),
      );
    const csvAnswer = await get(`/orders/${orderId}/export.csv`);
    expect(csvAnswer.headers.get('content-type')).toContain('text/csv');
    expect(csvAnswer.headers.get('content-disposition')).toBe(`attachment; filename="order-${orderId}.csv"`);
    const rows = (await csvAnswer.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('order,bar,supplier,item,cases,case_size,quantity,unit_price,line_total');
    expect(rows[1]).toMatch(new RegExp(`^${orderId},.*,Northside,Gin,1,12,12,19.00,228.00$`));
    expect(rows.at(-1)).toMatch(/,total,,,,,228.00$/);
    const pdfAnswer = await get(`/orders/${orderId}/export.pdf`);
    expect(pdfAnswer.headers.get('content-type')).toBe('application/pdf');
    expect(pdfAnswer.headers.get('content-disposition')).toBe(`attachment; filename="order-${orderId}.pdf"`);
    const bytes = new Uint8Array(await pdfAnswer.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe(`Purchase order ${orderId}`);
  });
});

describe('settings', () => {
  it('lets managers set the service level, only owners the auto-approval limit', async () => {
    const settings = await ok(200, call('GET', '/ordering/settings', { token: manager.token }));
    expect(settings).toEqual({
      serviceLevel: 0.95,
      reviewPeriodDays: 7,
      autoApproveLimit: null,
      deliveryGraceDays: 2,
    });
    const bad = await call('PATCH', '/ordering/settings', {
      token: manager.token,
      json: { serviceLevel: 1.5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatch(/^body\.serviceLevel: /);
    const badGrace = await call('PATCH', '/ordering/settings', {
      token: manager.token,
      json: { deliveryGraceDays: 1.5 },
    });
    expect(badGrace.status).toBe(400);
    expect(badGrace.body.error.details[0]).toMatch(/^body\.deliveryGraceDays: /);
    await ok(200, call('PATCH', '/ordering/settings', { token: manager.token, json: { serviceLevel: 0.9 } }));
    expect(
      await ok(
        200,
        call('PATCH', '/ordering/settings', { token: manager.token, json: { deliveryGraceDays: 3 } }),
      ),
    ).toEqual({ serviceLevel: 0.9, reviewPeriodDays: 7, autoApproveLimit: null, deliveryGraceDays: 3 });
    expect(
      (
        await call('PATCH', '/ordering/auto-approval', {
          token: manager.token,
          json: { autoApproveLimit: 500 },
        })
      ).status,
    ).toBe(403);
    const set = await ok(
      200,
      call('PATCH', '/ordering/auto-approval', { token: owner.token, json: { autoApproveLimit: 500 } }),
    );
    expect(set).toEqual({
      serviceLevel: 0.9,
      reviewPeriodDays: 7,
      autoApproveLimit: 500,
      deliveryGraceDays: 3,
    });
  });

  it('approves small orders automatically, audited as the system', async () => {
    // Gin is back to 2 + 12 received = 14 on hand; count it down to 1 so it needs ordering again.
    await count(gin, 1);
    const body = await ok(201, draft());
    const [order] = body.orders;
    expect(order.total).toBeLessThanOrEqual(500);
    expect(body.autoApproved).toEqual([order.id]);
    const fresh = await ok(200, call('GET', `/orders/${order.id}`, { token: owner.token }));
    expect(fresh.status).toBe('approved');
    expect(fresh.history.at(-1)).toMatchObject({ toStatus: 'approved', actorKind: 'system', actorId: null });
    expect(fresh.history.at(-1).note).toMatch(
      /^auto-approved: total 228\.00 within the owner's limit 500\.00$/,
    );
  });
});

describe('case discounts', () => {
  it('are entered per offer and priced into the draft', async () => {
    const offers = await ok(200, call('GET', `/suppliers/${harbour}/offers`, { token: manager.token }));
    const rumOffer = offers.find((o: { itemId: string }) => o.itemId === rum);
    const path = `/suppliers/${harbour}/offers/${rumOffer.id}/discounts`;
    const bad = await call('PATCH', path, {
      token: manager.token,
      json: { tiers: [{ minCases: 0, discount: 2 }] },
    });
    expect(bad.status).toBe(400);
    const tiers = [{ minCases: 3, discount: 0.1 }];
    expect(await ok(200, call('PATCH', path, { token: manager.token, json: { tiers } }))).toEqual({ tiers });
    expect(await ok(200, call('GET', path, { token: owner.token }))).toEqual({ tiers });

    // Rum: pinned par 20, on hand 5 + 2 delivered as a substitution = 7 → 13 bottles → 3 cases of 6,
    // reaching the 3-case tier: 18 × 0.9 = 16.20 a bottle, 18 bottles = 291.60.
    await ok(
      200,
      call('PATCH', `/locations/${locationId}/pars/${rum}`, {
        token: manager.token,
        json: { parMl: 20 * BOTTLE },
      }),
    );
    const body = await ok(201, draft());
    const order = body.orders.find((o: { supplierId: string }) => o.supplierId === harbour);
    expect(order.lines[0]).toMatchObject({ itemId: rum, cases: 3, unitPrice: 16.2, lineTotal: 291.6 });
  });
});

describe('a sent order the supplier cannot deliver', () => {
  it('is cancelled with the reason, audited, and its lines stop counting as arriving', async () => {
    const vermouth = (
      await createItem(owner.token, { name: 'Vermouth', containerMl: 750, cost: 12, parLevelMl: 6 * 750 })
    ).id;
    const riverside = await supplier('Riverside', 0);
    await offer(riverside, vermouth, { price: 12, caseSize: 6, leadTimeDays: 3, minimumOrder: 0 });
    const riversideOrder = async () =>
      (await ok(201, draft())).orders.find((o: { supplierId: string }) => o.supplierId === riverside);
    const order = await riversideOrder();
    expect(order.lines).toMatchObject([{ itemId: vermouth, cases: 1 }]);
    if (order.status === 'draft') {
      await ok(200, call('POST', `/orders/${order.id}/approve`, { token: manager.token, json: {} }));
    }
    await ok(
      200,
      call('POST', `/orders/${order.id}/send`, { token: manager.token, json: { via: 'manual' } }),
    );
    // Sent: its case is on the way, so no new order for vermouth.
    expect(await riversideOrder()).toBeUndefined();

    const bare = await call('POST', `/orders/${order.id}/cancel`, { token: manager.token, json: {} });
    expect(bare.status).toBe(422);
    expect(bare.body.error.code).toBe('reason_required');
    expect(
      (await call('POST', `/orders/${order.id}/cancel`, { token: bartender.token, json: {} })).status,
    ).toBe(403);
    const note = 'Riverside is out of vermouth until next month';
    const cancelled = await ok(
      200,
      call('POST', `/orders/${order.id}/cancel`, { token: manager.token, json: { note } }),
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', sentVia: 'manual' });
    expect(cancelled.history.at(-1)).toMatchObject({
      fromStatus: 'sent',
      toStatus: 'cancelled',
      actorKind: 'user',
      actorId: manager.user.id,
      note,
    });
    // Nothing is on the way any more: the next draft orders the vermouth again.
    expect((await riversideOrder()).lines).toMatchObject([{ itemId: vermouth, cases: 1 }]);
  });
});
