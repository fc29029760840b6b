import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { loadNeeds } from './load-needs.ts';
import { orderingSettings } from './ordering-settings.ts';
import { transition, transitionStatements, type Actor } from './order-workflow.ts';
import { planOrders } from './plan-orders.ts';

export interface DraftResult {
  orderIds: string[];
  autoApproved: string[];
  replaced: number;
}

/**
 * Drafts purchase orders for a bar from the stored forecasts, stock and open orders: one order per
 * supplier. Earlier drafts at the bar are cancelled (audited as replaced), so drafting twice never
 * doubles an order. Orders whose total (with delivery) is within the owner's auto-approval limit are
 * approved by the system, audited as such.
 */
export async function draftOrders(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  actor: Actor,
): Promise<DraftResult> {
  const stale = await openDb(d1).all<{ id: string }>(
    sql`SELECT id FROM purchase_orders WHERE organization_id = ${organizationId} AND location_id = ${locationId}
          AND status = 'draft'`,
  );
  const settings = await orderingSettings(d1, organizationId);
  if (stale.length) {
    await runBatch(
      d1,
      stale.flatMap((o) =>
        transitionStatements(o.id, 'draft', 'cancelled', actor, 'replaced by a new draft'),
      ),
    );
  }
  const needs = await loadNeeds(d1, organizationId, locationId);
  const planned = planOrders(needs, {
    serviceLevel: settings.serviceLevel,
    reviewDays: settings.reviewPeriodDays,
  });
  const orderIds: string[] = [];
  const autoApproved: string[] = [];
  for (const order of planned) {
    const id = newId();
    const at = nowIso();
    await runBatch(d1, [
      sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, delivery_fee,
            minimum_order, lead_time_days, created_by, created_at, updated_at)
          VALUES (${id}, ${organizationId}, ${locationId}, ${order.supplierId}, 'draft', ${order.deliveryFee},
            ${order.minimumOrder}, ${order.leadTimeDays}, ${actor.id}, ${at}, ${at})`,
      ...order.lines.map(
        (line) =>
          sql`INSERT INTO purchase_order_lines (id, order_id, item_id, offer_id, cases, case_size, quantity,
                unit_price, line_total, reason, why)
              VALUES (${newId()}, ${id}, ${line.itemId}, ${line.offerId}, ${line.cases}, ${line.caseSize},
                ${line.quantity}, ${line.unitPrice}, ${line.lineTotal}, ${line.reason}, ${JSON.stringify(line.why)})`,
      ),
      sql`INSERT INTO purchase_order_events (id, order_id, from_status, to_status, actor_kind, actor_id, note, at)
          VALUES (${newId()}, ${id}, NULL, 'draft', ${actor.kind}, ${actor.id}, ${`drafted from forecasts and stock`}, ${at})`,
    ]);
    orderIds.push(id);
    const total = order.subtotal + order.deliveryFee;
    if (settings.autoApproveLimit !== null && total <= settings.autoApproveLimit) {
      await transition(
        d1,
        id,
        'approved',
        { kind: 'system', id: null },
        {
          note: `auto-approved: total ${total.toFixed(2)} within the owner's limit ${settings.autoApproveLimit.toFixed(2)}`,
        },
      );
      autoApproved.push(id);
    }
  }
  return { orderIds, autoApproved, replaced: stale.length };
}

/** After the nightly forecasts: drafts for every bar of every organization, by the system. */
export async function draftAllLocations(d1: D1Database): Promise<void> {
  const results = await openDb(d1).all<{ id: string; organization_id: string }>(
    sql`SELECT id, organization_id FROM locations ORDER BY id`,
  );
  for (const location of results) {
    await draftOrders(d1, location.organization_id, location.id, { kind: 'system', id: null });
  }
}
