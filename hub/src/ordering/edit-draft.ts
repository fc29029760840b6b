import { sql, type SQL } from 'drizzle-orm';
import { nowIso, openDb, runBatch } from '../db/client.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { discountedPrice, roundMoney } from './stock-policy.ts';

/**
 * A manager's edit of a draft line: its cases (price re-read from the offer with its case discount);
 * 0 removes the line. The edit is added to the line's reason and to its facts (`why`; a line without
 * them keeps none), and the order is stamped edited (`edited_at`), so the nightly drafting keeps it
 * instead of replacing it. Only drafts can be edited: an approved order is what the supplier gets; the
 * change and the stamp are written only while the order is still a draft (409 otherwise).
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
  const stillDraft = sql`(SELECT id FROM purchase_orders WHERE id = ${orderId} AND status = 'draft')`;
  let change: SQL;
  if (cases === 0) {
    change = sql`DELETE FROM purchase_order_lines WHERE id = ${lineId} AND order_id = ${stillDraft}`;
  } else {
    const unitPrice =
      line.price === null ? line.unit_price : discountedPrice(line.price, cases, JSON.parse(line.discounts));
    const quantity = cases * line.case_size;
    change = sql`UPDATE purchase_order_lines SET cases = ${cases}, quantity = ${quantity}, unit_price = ${unitPrice},
          line_total = ${roundMoney(unitPrice * quantity)}, reason = reason || ${`; edited to ${cases} cases`},
          why = json_set(why, '$.editedToCases', ${cases})
         WHERE id = ${lineId} AND order_id = ${stillDraft}`;
  }
  const at = nowIso();
  const [changed] = await runBatch(d1, [
    change,
    sql`UPDATE purchase_orders SET edited_at = COALESCE(edited_at, ${at}), updated_at = ${at}
         WHERE id = ${orderId} AND status = 'draft' AND changes() = 1`,
  ]);
  if (changed!.meta.changes !== 1)
    throw new AppError(409, 'invalid_transition', 'order changed meanwhile; only drafts are edited');
}

/** What approving a draft adds: a condition for the compare-and-set and, below the minimum, a note. */
export interface ApprovalCheck {
  guard: SQL;
  note: string | null;
}

/**
 * Whether a draft may be approved (by a manager or automatically): it must order something (422
 * `empty_order` when no line has a quantity), and its lines must reach the supplier's minimum order value
 * (422 `below_minimum`, saying both) unless the approver confirmed `belowMinimum`, which the audit note
 * records. The guard repeats the checks inside the approving UPDATE.
 */
export async function approvalCheck(
  d1: D1Database,
  orderId: string,
  belowMinimum: boolean,
): Promise<ApprovalCheck> {
  const row = await openDb(d1).get<{ minimum: number; subtotal: number; lines: number }>(
    sql`SELECT o.minimum_order AS minimum, COALESCE(SUM(l.line_total), 0) AS subtotal,
               COUNT(l.id) AS lines
          FROM purchase_orders o
          LEFT JOIN purchase_order_lines l ON l.order_id = o.id AND l.quantity > 0
         WHERE o.id = ${orderId} GROUP BY o.id`,
  );
  if (!row) throw notFound('order');
  if (row.lines === 0)
    throw new AppError(422, 'empty_order', 'the order has no lines to order; add cases or cancel it');
  const subtotal = roundMoney(row.subtotal);
  const below = subtotal < row.minimum;
  if (below && !belowMinimum) {
    throw new AppError(
      422,
      'below_minimum',
      `the order's lines total ${subtotal.toFixed(2)}, below the supplier's minimum order of ${row.minimum.toFixed(2)}; add cases, or approve with belowMinimum: true`,
    );
  }
  const hasLines = sql`EXISTS (SELECT 1 FROM purchase_order_lines l WHERE l.order_id = ${orderId} AND l.quantity > 0)`;
  const reachesMinimum = sql`minimum_order <= (SELECT ROUND(COALESCE(SUM(l.line_total), 0), 2)
      FROM purchase_order_lines l WHERE l.order_id = ${orderId} AND l.quantity > 0)`;
  return {
    guard: below ? hasLines : sql`${hasLines} AND ${reachesMinimum}`,
    note: below
      ? `approved below the supplier's minimum: lines total ${subtotal.toFixed(2)} of ${row.minimum.toFixed(2)}`
      : null,
  };
}
