import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { discountedPrice, roundMoney } from './stock-policy.ts';

/**
 * A manager's edit of a draft line: its cases (price re-read from the offer with its case discount);
 * 0 removes the line. The edit is added to the line's reason and to its facts (`why`; a line without
 * them keeps none). Only drafts can be edited: an approved order is what the supplier gets.
 */
export async function editDraftLine(
  d1: D1Database,
  organizationId: string,
  orderId: string,
  lineId: string,
  cases: number,
): Promise<void> {
  const db = openDb(d1);
  const line = await db.get<{
    case_size: number;
    unit_price: number;
    status: string;
    price: number | null;
    discounts: string;
  }>(
    sql`SELECT l.id, l.case_size, l.unit_price, o.status, so.price,
               (SELECT json_group_array(json_object('minCases', d.min_cases, 'discount', d.discount))
                  FROM offer_case_discounts d WHERE d.offer_id = l.offer_id) AS discounts
          FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id
          LEFT JOIN supplier_offers so ON so.id = l.offer_id
         WHERE l.id = ${lineId} AND o.id = ${orderId} AND o.organization_id = ${organizationId}`,
  );
  if (!line) throw notFound('order line');
  if (line.status !== 'draft')
    throw new AppError(409, 'invalid_transition', `order is ${line.status}; only drafts are edited`);
  if (cases === 0) {
    await db.run(sql`DELETE FROM purchase_order_lines WHERE id = ${lineId} AND order_id = ${orderId}`);
    return;
  }
  const unitPrice =
    line.price === null ? line.unit_price : discountedPrice(line.price, cases, JSON.parse(line.discounts));
  const quantity = cases * line.case_size;
  await db.run(
    sql`UPDATE purchase_order_lines SET cases = ${cases}, quantity = ${quantity}, unit_price = ${unitPrice},
          line_total = ${roundMoney(unitPrice * quantity)}, reason = reason || ${`; edited to ${cases} cases`},
          why = json_set(why, '$.editedToCases', ${cases})
         WHERE id = ${lineId} AND order_id = (SELECT id FROM purchase_orders WHERE id = ${orderId} AND status = 'draft')`,
  );
}
