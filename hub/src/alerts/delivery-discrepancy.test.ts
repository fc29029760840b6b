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
});
