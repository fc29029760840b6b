import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createItem, createLocation, freshHub } from '../../test/helpers.ts';
import { newId, openDb, runBatch } from '../db/client.ts';
import type { OrderStatus } from '../db/schema-forecasting.ts';
import { transition } from '../ordering/order-workflow.ts';
import { updateOrderingSettings } from '../ordering/ordering-settings.ts';
import { receiveManually } from '../ordering/receiving.ts';
import { candidateAlerts, evaluateAlerts } from './evaluate.ts';
import { lateOrderFacts } from './facts.ts';

/** Orders at one bar on the real D1 awaiting their first delivery, and the late-delivery alerts they raise. */
let organizationId: string;
let userId: string;
let locationId: string;
let gin: string;
const SUPPLIER = 'sup-harbour';
/** Placed 2026-03-02 09:00 with a lead time of 2 days: expected 03-04 09:00, late from 03-06 09:00. */
const PLACED_AT = '2026-03-02T09:00:00.000Z';

beforeAll(async () => {
  const session = await freshHub();
  organizationId = session.user.organizationId;
  userId = session.user.id;
  locationId = await createLocation(session.token, 'Harbour Bar');
  gin = (await createItem(session.token, { name: 'Gin' })).id;
  await openDb(env.DB).run(
    sql`INSERT INTO suppliers (id, organization_id, name) VALUES (${SUPPLIER}, ${organizationId}, 'Harbour Drinks')`,
  );
});

/** An order for 12 gin approved at PLACED_AT and, when `status` is sent, sent then too (phoned in, `manual`). */
async function order(status: OrderStatus): Promise<string> {
  const id = newId();
  const sentAt = status === 'approved' ? null : PLACED_AT;
  await runBatch(env.DB, [
    sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, lead_time_days,
            created_at, updated_at, approved_at, sent_at, sent_via)
          VALUES (${id}, ${organizationId}, ${locationId}, ${SUPPLIER}, ${status}, 2, ${PLACED_AT}, ${PLACED_AT},
            ${PLACED_AT}, ${sentAt}, ${sentAt && 'manual'})`,
    sql`INSERT INTO purchase_order_lines (id, order_id, item_id, cases, case_size, quantity, unit_price,
            line_total, reason, received_quantity)
          VALUES (${newId()}, ${id}, ${gin}, 2, 6, 12, 20, 240, 'below par', 0)`,
  ]);
  return id;
}

/** This order's candidates of `rule` at `now` (ISO). */
const candidates = async (rule: string, now: string, orderId: string) =>
  (await candidateAlerts(env.DB, organizationId, new Date(now))).candidates.filter(
    (c) => c.rule === rule && c.dedupKey.split(':')[1] === orderId,
  );

/** The alerts recorded for this order, as `key status`. */
const recorded = async (orderId: string) =>
  (
    await openDb(env.DB).all<{ dedup_key: string; status: string }>(
      sql`SELECT dedup_key, status FROM alerts WHERE organization_id = ${organizationId}`,
    )
  )
    .filter((a) => a.dedup_key.split(':')[1] === orderId)
    .map((a) => `${a.dedup_key} ${a.status}`)
    .sort();

describe('late deliveries', () => {
  it('calls a sent order late 2 days past its expected delivery, not within the grace', async () => {
    const id = await order('sent');
    expect(await candidates('delivery_late', '2026-03-06T08:59:59Z', id)).toEqual([]);
    const [late] = await candidates('delivery_late', '2026-03-07T10:00:00Z', id);
    expect(late).toEqual({
      rule: 'delivery_late',
      severity: 'warning',
      locationId,
      dedupKey: `delivery_late:${id}`,
      title: 'The order from Harbour Drinks for Harbour Bar is 3 day(s) late',
      body:
        `Order ${id}: expected 2026-03-04T09:00:00.000Z (sent 2026-03-02T09:00:00.000Z; lead time 2 day(s)); ` +
        'nothing has arrived. Ask Harbour Drinks when it comes.',
      snoozeHours: 24,
    });
  });

  it("waits the manager's grace instead, for both the late and the short rule", async () => {
    const late = await order('sent');
    const short = await order('sent');
    await receiveManually(env.DB, { organizationId, orderId: short, userId }, [{ itemId: gin, quantity: 6 }]);
    await updateOrderingSettings(env.DB, organizationId, userId, { deliveryGraceDays: 5 });
    try {
      // Expected 03-04 09:00: with 5 days of grace, nothing is called before 03-09 09:00.
      expect(await candidates('delivery_late', '2026-03-07T10:00:00Z', late)).toEqual([]);
      expect(await candidates('delivery_discrepancy', '2026-03-07T10:00:00Z', short)).toEqual([]);
      expect(await candidates('delivery_late', '2026-03-09T09:00:00Z', late)).toHaveLength(1);
      expect(
        (await candidates('delivery_discrepancy', '2026-03-09T09:00:00Z', short)).map((c) => c.dedupKey),
      ).toEqual([`delivery_discrepancy:${short}:short`]);
      // None: the order is late the day it is expected.
      await updateOrderingSettings(env.DB, organizationId, userId, { deliveryGraceDays: 0 });
      expect(await candidates('delivery_late', '2026-03-04T08:59:59Z', late)).toEqual([]);
      expect(await candidates('delivery_late', '2026-03-04T09:00:00Z', late)).toHaveLength(1);
    } finally {
      await updateOrderingSettings(env.DB, organizationId, userId, { deliveryGraceDays: 2 });
    }
  });

  it('resolves once a delivery arrives, the short rule taking over for the rest', async () => {
    const id = await order('sent');
    await evaluateAlerts(env.DB, organizationId, new Date('2026-03-06T09:00:00Z'));
    expect(await recorded(id)).toEqual([`delivery_late:${id} open`]);
    // Half the gin comes, through receiving: the order is partially received.
    await receiveManually(env.DB, { organizationId, orderId: id, userId }, [{ itemId: gin, quantity: 6 }]);
    const run = await evaluateAlerts(env.DB, organizationId, new Date('2026-03-06T10:00:00Z'));
    expect(run.errors).toEqual([]);
    expect(await recorded(id)).toEqual([
      `delivery_discrepancy:${id}:short open`,
      `delivery_late:${id} resolved`,
    ]);
  });

  it('dates an order approved but never sent from its approval, and resolves when it is cancelled', async () => {
    const id = await order('approved');
    const [late] = await candidates('delivery_late', '2026-03-06T09:00:00Z', id);
    expect(late!.body).toBe(
      `Order ${id}: expected 2026-03-04T09:00:00.000Z (approved 2026-03-02T09:00:00.000Z, never marked sent; ` +
        'lead time 2 day(s)); nothing has arrived. If it was phoned in, ask Harbour Drinks when it comes; if ' +
        'not, send it or cancel it.',
    );
    await evaluateAlerts(env.DB, organizationId, new Date('2026-03-06T09:00:00Z'));
    expect(await recorded(id)).toEqual([`delivery_late:${id} open`]);
    await transition(env.DB, id, 'cancelled', { kind: 'user', id: userId });
    await evaluateAlerts(env.DB, organizationId, new Date('2026-03-06T10:00:00Z'));
    expect(await recorded(id)).toEqual([`delivery_late:${id} resolved`]);
  });

  it('reads every order awaiting delivery in one query, however many there are', async () => {
    const ids = await Promise.all(Array.from({ length: 30 }, () => order('sent')));
    let prepared = 0;
    const counted = new Proxy(env.DB, {
      get(target, property) {
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (property === 'prepare') prepared++;
          return value.apply(target, args);
        };
      },
    });
    const facts = await lateOrderFacts(counted, organizationId);
    expect(prepared).toBe(1);
    expect(facts.map((f) => f.orderId)).toEqual(expect.arrayContaining(ids));
  });
});
