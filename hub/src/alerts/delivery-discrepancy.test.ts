import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createItem, createLocation, freshHub } from '../../test/helpers.ts';
import { newId, openDb, runBatch } from '../db/client.ts';
import type { OrderStatus } from '../db/schema-forecasting.ts';
import { candidateAlerts } from './evaluate.ts';

/** Orders at one bar on the real D1, written as receiving leaves them, and the discrepancy alerts they raise. */
let organizationId: string;
let locationId: string;
let gin: string;
let rum: string;
const SUPPLIER = 'sup-harbour';
const SENT_AT = '2026-03-02T09:00:00.000Z';

beforeAll(async () => {
  const session = await freshHub();
  organizationId = session.user.organizationId;
  locationId = await createLocation(session.token, 'Harbour Bar');
  gin = (await createItem(session.token, { name: 'Gin' })).id;
  rum = (await createItem(session.token, { name: 'Rum' })).id;
  await openDb(env.DB).run(
    sql`INSERT INTO suppliers (id, organization_id, name) VALUES (${SUPPLIER}, ${organizationId}, 'Harbour Drinks')`,
  );
});

/** An order for 12 gin sent at SENT_AT with a lead time of 2 days, `received` of them on its line. */
async function order(status: OrderStatus, received: number): Promise<{ id: string; lineId: string }> {
  const id = newId();
  const lineId = newId();
  await runBatch(env.DB, [
    sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, lead_time_days,
            created_at, updated_at, approved_at, sent_at, sent_via)
          VALUES (${id}, ${organizationId}, ${locationId}, ${SUPPLIER}, ${status}, 2, ${SENT_AT}, ${SENT_AT},
            ${SENT_AT}, ${SENT_AT}, 'manual')`,
    sql`INSERT INTO purchase_order_lines (id, order_id, item_id, cases, case_size, quantity, unit_price,
            line_total, reason, received_quantity)
          VALUES (${lineId}, ${id}, ${gin}, 2, 6, 12, 20, 240, 'below par', ${received})`,
  ]);
  return { id, lineId };
}

async function receipt(orderId: string, lineId: string | null, itemId: string, quantity: number, at: string) {
  await openDb(env.DB).run(
    sql`INSERT INTO order_receipts (id, organization_id, location_id, order_id, line_id, item_id, quantity,
          source, received_at)
        VALUES (${newId()}, ${organizationId}, ${locationId}, ${orderId}, ${lineId}, ${itemId}, ${quantity},
          'gateway', ${at})`,
  );
}

const discrepancies = async (now: string, orderId: string) =>
  (await candidateAlerts(env.DB, organizationId, new Date(now))).candidates.filter(
    (c) => c.rule === 'delivery_discrepancy' && c.dedupKey.split(':')[1] === orderId,
  );

describe('delivery discrepancies', () => {
  it('names a substitution by what is left of it once staff undid scans of it', async () => {
    const { id, lineId } = await order('received', 12);
    await receipt(id, lineId, gin, 12, '2026-03-04T10:00:00.000Z');
    await receipt(id, null, rum, 2, '2026-03-04T10:01:00.000Z');
    await receipt(id, null, rum, 3, '2026-03-04T10:02:00.000Z');
    await receipt(id, null, rum, -3, '2026-03-04T10:05:00.000Z'); // the second rum scan, undone
    const [alert] = await discrepancies('2026-03-05T12:00:00Z', id);
    expect(alert!.body).toBe('Rum: substituted (2 not on the order)');
    await receipt(id, null, rum, -2, '2026-03-04T10:06:00.000Z'); // and the first
    expect(await discrepancies('2026-03-05T12:00:00Z', id)).toEqual([]);
  });

  it('calls a partially received order short 2 days past its expected delivery, until the rest comes', async () => {
    // Sent 2026-03-02 09:00 with a lead time of 2 days: expected 03-04 09:00, short from 03-06 09:00.
    const { id, lineId } = await order('partially_received', 4);
    await receipt(id, lineId, gin, 4, '2026-02-24T10:00:00.000Z'); // over a week before: not "recent"
    expect(await discrepancies('2026-03-06T08:59:00Z', id)).toEqual([]);
    const [short] = await discrepancies('2026-03-06T09:00:00Z', id);
    expect(short).toMatchObject({
      dedupKey: `delivery_discrepancy:${id}:short`,
      locationId,
      title: 'The delivery from Harbour Drinks to Harbour Bar is short, past its expected date',
    });
    expect(short!.body.split('\n')).toEqual([
      'Gin: short (4 of 12)',
      'Expected 2026-03-04T09:00:00.000Z; the rest has not come. Ask Harbour Drinks for it, or close the order to accept the shortfall.',
    ]);
    // The rest came: received, nothing short.
    await runBatch(env.DB, [
      sql`UPDATE purchase_order_lines SET received_quantity = 12 WHERE id = ${lineId}`,
      sql`UPDATE purchase_orders SET status = 'received' WHERE id = ${id}`,
    ]);
    expect(await discrepancies('2026-03-08T09:00:00Z', id)).toEqual([]);
  });

  it('dates an order received without being sent from its approval', async () => {
    const { id } = await order('partially_received', 0);
    await openDb(env.DB).run(
      sql`UPDATE purchase_orders SET sent_at = NULL, sent_via = NULL, approved_at = '2026-03-01T09:00:00.000Z'
           WHERE id = ${id}`,
    );
    expect(await discrepancies('2026-03-05T08:59:00Z', id)).toEqual([]);
    expect((await discrepancies('2026-03-05T09:00:00Z', id)).map((c) => c.dedupKey)).toEqual([
      `delivery_discrepancy:${id}:short`,
    ]);
  });
});
