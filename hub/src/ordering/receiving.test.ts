import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { undoSlot, type LoginResponse, type StockEventInput } from '@pourcast/protocol';
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
import { newId, openDb } from '../db/client.ts';
import type { OrderStatus } from '../db/schema-forecasting.ts';
import { AppError } from '../http/app-error.ts';
import { transition } from './order-workflow.ts';
import { matchReceiveEvents, receiveIntoOrder, receiveManually } from './receiving.ts';

const BOTTLE = 700;
/** Orders here were approved and sent at the start of the day the gateway events are observed on. */
const APPROVED_AT = '2026-01-01T00:00:00.000Z';

let owner: LoginResponse;
let manager: LoginResponse;
let gin: string;
let rum: string;
let supplierId: string;

interface Bar {
  locationId: string;
  organizationId: string;
  gatewayId: string;
  gatewayToken: string;
  seq: number;
}

beforeAll(async () => {
  owner = await freshHub();
  manager = await staff(owner.token, 'manager');
  gin = (await createItem(owner.token, { name: 'Gin', containerMl: BOTTLE })).id;
  rum = (await createItem(owner.token, { name: 'Rum', containerMl: BOTTLE })).id;
  const supplier = await call('POST', '/suppliers', {
    token: owner.token,
    json: { name: 'Harbour', deliveryFee: 0, email: null },
  });
  expect(supplier.status).toBe(201);
  supplierId = supplier.body.id;
});

/** A bar of its own per test (its gateway's receive events can only go to its own orders). */
async function bar(): Promise<Bar> {
  const locationId = await createLocation(owner.token);
  const gateway = await claimGateway(owner.token, locationId);
  return {
    locationId,
    organizationId: gateway.organizationId,
    gatewayId: gateway.gatewayId,
    gatewayToken: gateway.token,
    seq: 0,
  };
}

/** An order for `quantity` bottles of gin, approved (and sent, unless it is `approved`) at APPROVED_AT. */
async function order(where: Bar, status: OrderStatus, quantity = 12, received = 0): Promise<string> {
  const id = newId();
  const sentAt = status === 'approved' ? null : APPROVED_AT;
  await openDb(env.DB).run(
    sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, lead_time_days,
          created_at, updated_at, approved_at, sent_at, sent_via)
        VALUES (${id}, ${where.organizationId}, ${where.locationId}, ${supplierId}, ${status}, 2, ${APPROVED_AT},
          ${APPROVED_AT}, ${APPROVED_AT}, ${sentAt}, ${sentAt && 'manual'})`,
  );
  await openDb(env.DB).run(
    sql`INSERT INTO purchase_order_lines (id, order_id, item_id, cases, case_size, quantity, unit_price,
          line_total, reason, received_quantity)
        VALUES (${newId()}, ${id}, ${gin}, 1, ${quantity}, ${quantity}, 20, ${quantity * 20}, 'test order', ${received})`,
  );
  return id;
}

/** Sends the gateway's next events in one batch; answers their seqs. */
async function scan(where: Bar, fields: Partial<StockEventInput>[]): Promise<number[]> {
  const fromSeq = where.seq + 1;
  const events = fields.map((f) =>
    event(where.gatewayId, ++where.seq, { locationId: where.locationId, itemId: gin, ...f }),
  );
  const answer = await call('POST', `/gateways/${where.gatewayId}/events`, {
    token: where.gatewayToken,
    json: batch(where.gatewayId, fromSeq, events),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return events.map((e) => e.seq);
}

const delivery = (itemId: string, bottles: number): Partial<StockEventInput> => ({
  itemId,
  kind: 'receive',
  deltaMl: bottles * BOTTLE,
  containersDelta: bottles,
  source: 'scanner',
});

/** What the staff display appends to undo the event with that seq (edge/src/staff/staff-display.ts). */
const undo = (seq: number, itemId: string, bottles: number): Partial<StockEventInput> => ({
  itemId,
  kind: 'adjust',
  deltaMl: -bottles * BOTTLE,
  containersDelta: -bottles,
  source: 'display',
  slot: undoSlot(seq),
});

async function read(orderId: string) {
  const answer = await call('GET', `/orders/${orderId}`, { token: manager.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

const receipts = (orderId: string) =>
  openDb(env.DB).all<{ quantity: number; stock_event_id: string | null; line_id: string | null }>(
    sql`SELECT quantity, stock_event_id, line_id FROM order_receipts WHERE order_id = ${orderId} ORDER BY rowid`,
  );

describe('staff undo of a delivery scan', () => {
  it('never counts a scan the display undid before the hub matched it', async () => {
    const here = await bar();
    const id = await order(here, 'sent');
    const [scanned] = await scan(here, [delivery(gin, 2)]);
    await scan(here, [undo(scanned!, gin, 2)]);
    const seen = await read(id);
    expect(seen.status).toBe('sent');
    expect(seen.lines[0].receivedQuantity).toBe(0);
    expect(await receipts(id)).toEqual([]);
    // The next real delivery still counts.
    await scan(here, [delivery(gin, 3)]);
    expect((await read(id)).lines[0].receivedQuantity).toBe(3);
  });

  it('takes a matched scan back off the order when it is undone, with a reversing receipt, audited', async () => {
    const here = await bar();
    const id = await order(here, 'sent');
    // Rum is not on the order: a substitution (taken while the order still awaits the rest).
    const [, three, two] = await scan(here, [delivery(gin, 10), delivery(rum, 3), delivery(gin, 2)]);
    const full = await read(id);
    expect(full.status).toBe('received');
    expect(full.lines[0].receivedQuantity).toBe(12);
    expect(full.substitutions).toEqual([{ itemId: rum, itemName: 'Rum', quantity: 3 }]);

    await scan(here, [undo(two!, gin, 2), undo(three!, rum, 3)]);
    const back = await read(id);
    expect(back.status).toBe('partially_received');
    expect(back.lines[0]).toMatchObject({ receivedQuantity: 10, flags: ['short'] });
    expect(back.substitutions).toEqual([]);
    expect(back.history.at(-1)).toMatchObject({
      fromStatus: 'received',
      toStatus: 'partially_received',
      actorKind: 'gateway',
      actorId: here.gatewayId,
      note: `delivery scan ${two} undone on the staff display`,
    });
    // Appended, not deleted: the two scans' receipts stay, each undo adds one of minus its bottles.
    const undoIds = await openDb(env.DB).all<{ id: string }>(
      sql`SELECT id FROM stock_events WHERE gateway_id = ${here.gatewayId} AND slot IN (${undoSlot(two!)}, ${undoSlot(three!)})
           ORDER BY seq`,
    );
    const rows = await receipts(id);
    expect(rows.map((r) => r.quantity)).toEqual([10, 3, 2, -2, -3]);
    expect(rows.slice(3).map((r) => r.stock_event_id)).toEqual(undoIds.map((u) => u.id));
    expect(rows[3]!.line_id).toBe(rows[2]!.line_id);
    expect(rows[4]!.line_id).toBeNull();

    // Read again: nothing is reversed twice.
    const again = await read(id);
    expect(again.lines[0].receivedQuantity).toBe(10);
    expect(await receipts(id)).toHaveLength(5);
  });
});

/** What the order row says of its approval and send (sent_by is not in the API). */
const stamps = (orderId: string) =>
  openDb(env.DB).get<Record<string, string | null>>(
    sql`SELECT approved_by, approved_at, sent_by, sent_at, sent_via FROM purchase_orders WHERE id = ${orderId}`,
  );

describe('an order whose every delivery scan was undone', () => {
  it('goes back to sent, keeping its one send, once the substitution is undone too (audited)', async () => {
    const here = await bar();
    const id = await order(here, 'sent');
    await openDb(env.DB).run(sql`UPDATE purchase_orders SET sent_by = ${manager.user.id} WHERE id = ${id}`);
    const sentAs = await stamps(id);
    const [gin4, rum2] = await scan(here, [delivery(gin, 4), delivery(rum, 2)]);
    expect((await read(id)).status).toBe('partially_received');

    // The gin is undone, the substituted rum still stands: something was received.
    await scan(here, [{ ...undo(gin4!, gin, 4), userId: 'staff-AB' }]);
    const rumLeft = await read(id);
    expect(rumLeft.status).toBe('partially_received');
    expect(rumLeft.lines[0].receivedQuantity).toBe(0);
    expect(rumLeft.substitutions).toEqual([{ itemId: rum, itemName: 'Rum', quantity: 2 }]);

    await scan(here, [{ ...undo(rum2!, rum, 2), userId: 'staff-CD' }]);
    const back = await read(id);
    expect(back.status).toBe('sent');
    expect(back.lines[0]).toMatchObject({ receivedQuantity: 0, flags: [] });
    expect(back.substitutions).toEqual([]);
    expect(back.sentAt).toBe(APPROVED_AT);
    expect(await stamps(id)).toEqual(sentAs);
    expect(back.history.map((e: { toStatus: string }) => e.toStatus)).toEqual(['partially_received', 'sent']);
    expect(back.history.at(-1)).toMatchObject({
      fromStatus: 'partially_received',
      toStatus: 'sent',
      actorKind: 'gateway',
      actorId: here.gatewayId,
      note: `delivery scan ${rum2} undone on the staff display by staff-CD`,
    });
    expect((await receipts(id)).map((r) => r.quantity)).toEqual([4, 2, -4, -2]);

    // Awaiting delivery again: the next scan counts on it, and it cannot be sent a second time.
    await scan(here, [delivery(gin, 12)]);
    expect(await read(id)).toMatchObject({ status: 'received', sentAt: APPROVED_AT });
    const resend = await call('POST', `/orders/${id}/send`, {
      token: manager.token,
      json: { via: 'manual' },
    });
    expect(resend.status).toBe(409);
    expect(await stamps(id)).toEqual(sentAs);
  });

  it('goes back to approved when it was received in full without being sent (phoned in)', async () => {
    const here = await bar();
    const id = await order(here, 'approved');
    const approvedAs = await stamps(id);
    const [all] = await scan(here, [delivery(gin, 12)]);
    expect((await read(id)).status).toBe('received');

    await scan(here, [undo(all!, gin, 12)]);
    const back = await read(id);
    expect(back.status).toBe('approved');
    expect(back.sentAt).toBeNull();
    expect(await stamps(id)).toEqual(approvedAs);
    expect(back.history.at(-1)).toMatchObject({
      fromStatus: 'received',
      toStatus: 'approved',
      actorKind: 'gateway',
      actorId: here.gatewayId,
      note: `delivery scan ${all} undone on the staff display`,
    });
    // Approved again, it can now be sent (once): the send is stamped then, and only then.
    const sent = await call('POST', `/orders/${id}/send`, { token: manager.token, json: { via: 'manual' } });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(await stamps(id)).toMatchObject({ sent_by: manager.user.id, sent_via: 'manual' });
  });

  it('is the only way back: no route or transition moves a receiving order to sent or approved', async () => {
    const here = await bar();
    for (const status of ['partially_received', 'received'] as const) {
      const id = await order(here, status, 12, status === 'received' ? 12 : 5);
      const before = await stamps(id);
      const send = await call('POST', `/orders/${id}/send`, {
        token: manager.token,
        json: { via: 'manual' },
      });
      expect(send.status, status).toBe(409);
      const approve = await call('POST', `/orders/${id}/approve`, { token: manager.token, json: {} });
      expect(approve.status, status).toBe(409);
      for (const to of ['sent', 'approved'] as const) {
        const error = await transition(env.DB, id, to, { kind: 'user', id: manager.user.id }).catch(
          (e: unknown) => e,
        );
        expect((error as AppError).status).toBe(409);
      }
      expect((await read(id)).status).toBe(status);
      expect(await stamps(id)).toEqual(before);
    }
  });
});

describe('matching examines each event once', () => {
  it('does not stall behind 500 deliveries no order takes, and still skips scans from before the approval', async () => {
    const here = await bar();
    const id = await order(here, 'approved');
    // 500 rum deliveries after the approval: no order names rum and none is sent to take a substitution.
    await openDb(env.DB).run(
      sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
          INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
            container_ml, source, observed_at, confidence)
          SELECT ${newId()} || '-' || i, ${here.organizationId}, ${here.locationId}, ${rum}, 'receive', ${BOTTLE}, 1,
            ${BOTTLE}, 'scanner', strftime('%Y-%m-%dT%H:%M:%fZ', ${APPROVED_AT}, '+' || i || ' seconds'), 1 FROM n`,
    );
    await scan(here, [
      { ...delivery(gin, 5), observedAt: '2025-12-31T23:00:00.000Z' }, // before the approval: elsewhere
      { ...delivery(gin, 4), observedAt: '2026-01-02T12:00:00.000Z' },
    ]);
    await read(id);
    const seen = await read(id);
    expect(seen.lines[0].receivedQuantity).toBe(4);
    expect(seen.status).toBe('partially_received');
    const decided = await openDb(env.DB).all<{ outcome: string; n: number }>(
      sql`SELECT outcome, COUNT(*) AS n FROM receive_match_decisions WHERE stock_event_id IN
            (SELECT id FROM stock_events WHERE location_id = ${here.locationId}) GROUP BY outcome`,
    );
    expect(decided).toEqual([{ outcome: 'no_order', n: 501 }]);
    // Once examined, nothing is looked at again.
    expect(await matchReceiveEvents(env.DB, here.organizationId)).toBe(0);
  });

  it('answers every concurrent read when two matchers race for one delivery, counting it once', async () => {
    const here = await bar();
    const id = await order(here, 'sent');
    await scan(here, [delivery(gin, 4)]);
    const answers = await Promise.all([
      call('GET', `/orders/${id}`, { token: manager.token }),
      call('GET', `/orders/${id}`, { token: manager.token }),
      call('GET', `/orders?locationId=${here.locationId}`, { token: manager.token }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect((await read(id)).lines[0].receivedQuantity).toBe(4);
    expect(await receipts(id)).toHaveLength(1);
  });
});

/**
 * The real D1, with `during` run once just before the first batch (after the receiving code read the
 * order): another request's write landing between the read and the write.
 */
function racing(during: () => Promise<unknown>): D1Database {
  let done = false;
  return new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch' && !done) {
        return async (statements: D1PreparedStatement[]) => {
          done = true;
          await during();
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('receiving guarded on the order staying open', () => {
  const user = () => ({ kind: 'user' as const, id: manager.user.id });

  it('writes nothing on an order cancelled between the status check and the write (409)', async () => {
    const here = await bar();
    const id = await order(here, 'approved');
    const d1 = racing(() => transition(env.DB, id, 'cancelled', user()));
    const scope = { organizationId: here.organizationId, locationId: here.locationId, orderId: id };
    const arrival = { itemId: gin, quantity: 12, stockEventId: null, source: 'manual' as const };
    const error = await receiveIntoOrder(d1, scope, [{ ...arrival, receivedAt: APPROVED_AT }], user()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(409);
    const seen = await read(id);
    expect(seen.status).toBe('cancelled');
    expect(seen.lines[0].receivedQuantity).toBe(0);
    expect(await receipts(id)).toEqual([]);
  });

  it('writes neither receipt nor stock on an order closed meanwhile, though its status would not change', async () => {
    const here = await bar();
    const id = await order(here, 'partially_received', 12, 5);
    const d1 = racing(() => transition(env.DB, id, 'closed', user()));
    const error = await receiveManually(
      d1,
      { organizationId: here.organizationId, orderId: id, userId: manager.user.id },
      [{ itemId: gin, quantity: 1 }],
    ).catch((e: unknown) => e);
    expect((error as AppError).status).toBe(409);
    expect((await read(id)).lines[0].receivedQuantity).toBe(5);
    expect(await receipts(id)).toEqual([]);
    const ledger = await openDb(env.DB).all(
      sql`SELECT id FROM stock_events WHERE reason = ${`received on order ${id}`}`,
    );
    expect(ledger).toEqual([]);
  });

  it('settles the status when another receipt completed the order beside this one', async () => {
    const here = await bar();
    const id = await order(here, 'partially_received', 12, 10);
    const scope = { organizationId: here.organizationId, locationId: here.locationId, orderId: id };
    const one = {
      itemId: gin,
      quantity: 1,
      stockEventId: null,
      source: 'manual' as const,
      receivedAt: APPROVED_AT,
    };
    const d1 = racing(() => receiveIntoOrder(env.DB, scope, [one], user()));
    await receiveIntoOrder(d1, scope, [one], user());
    const seen = await read(id);
    expect(seen.lines[0].receivedQuantity).toBe(12);
    expect(seen.status).toBe('received');
    expect(seen.history.filter((e: { toStatus: string }) => e.toStatus === 'received')).toHaveLength(1);
  });

  it('settles back to partially received when a delivery landed beside the undo that emptied the order', async () => {
    const here = await bar();
    const id = await order(here, 'partially_received', 12, 4);
    const scope = { organizationId: here.organizationId, locationId: here.locationId, orderId: id };
    const two = {
      itemId: gin,
      quantity: 2,
      stockEventId: null,
      source: 'manual' as const,
      receivedAt: APPROVED_AT,
    };
    const d1 = racing(() => receiveIntoOrder(env.DB, scope, [two], user()));
    // The undo read 4 received and so wrote the return to sent; the 2 landed in between.
    await receiveIntoOrder(d1, scope, [{ ...two, quantity: -4 }], user(), { reversal: true, note: 'undone' });
    const seen = await read(id);
    expect(seen.lines[0].receivedQuantity).toBe(2);
    expect(seen.status).toBe('partially_received');
    expect(seen.history.map((e: { toStatus: string }) => e.toStatus)).toEqual(['sent', 'partially_received']);
  });
});
