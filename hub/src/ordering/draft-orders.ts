import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import { loadNeeds } from './load-needs.ts';
import { orderingSettings } from './ordering-settings.ts';
import { transition, transitionStatements, type Actor } from './order-workflow.ts';
import { planOrders } from './plan-orders.ts';

export interface DraftResult {
  orderIds: string[];
  autoApproved: string[];
  /** Untouched drafts cancelled as replaced. */
  replaced: number;
  /** Drafts a manager edited, kept as they are; their items are left out of the new drafts. */
  kept: number;
}

/**
 * Drafts purchase orders for a bar from the stored forecasts, stock and open orders: one order per
 * supplier. Earlier drafts nobody edited are cancelled (audited as replaced); a draft a manager edited
 * (`edited_at`) is kept, and the items on it are left out of the new drafts: the manager has decided
 * their quantity, and counting them again would order them twice.
 *
 * Two runs at once (a manager's "draft now" beside the nightly job, a double click) make one set of drafts:
 * each insert is skipped when an order for that bar and supplier was created or approved since this run
 * started reading (its plan did not count it), and the unique index on untouched drafts (migration 0015) ignores a
 * second draft for a bar and supplier. Orders whose total (with delivery) is within the owner's
 * auto-approval limit are approved by the system, audited as such, if they pass the approval checks.
 */
export async function draftOrders(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  actor: Actor,
  now: Date = new Date(),
): Promise<DraftResult> {
  const startedAt = nowIso();
  const db = openDb(d1);
  const drafts = await db.all<{ id: string; edited_at: string | null }>(
    sql`SELECT id, edited_at FROM purchase_orders WHERE organization_id = ${organizationId}
          AND location_id = ${locationId} AND status = 'draft'`,
  );
  const settings = await orderingSettings(d1, organizationId);
  const stale = drafts.filter((o) => o.edited_at === null);
  let replaced = 0;
  if (stale.length) {
    const results = await runBatch(
      d1,
      stale.flatMap((o) =>
        transitionStatements(
          o.id,
          'draft',
          'cancelled',
          actor,
          'replaced by a new draft',
          null,
          sql`edited_at IS NULL`,
        ),
      ),
    );
    replaced = results.filter((r, i) => i % 2 === 0 && r.meta.changes === 1).length;
  }
  // Read after the cancellations: a draft edited meanwhile was not cancelled and is kept here.
  const keptItems = await db.all<{ item_id: string }>(
    sql`SELECT DISTINCT l.item_id FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.order_id
         WHERE o.organization_id = ${organizationId} AND o.location_id = ${locationId}
           AND o.status = 'draft' AND o.edited_at IS NOT NULL`,
  );
  const onKeptDrafts = new Set(keptItems.map((r) => r.item_id));
  const kept = await db.get<{ n: number }>(
    sql`SELECT COUNT(*) AS n FROM purchase_orders WHERE organization_id = ${organizationId}
          AND location_id = ${locationId} AND status = 'draft' AND edited_at IS NOT NULL`,
  );
  const needs = (await loadNeeds(d1, organizationId, locationId, now)).filter(
    (need) => !onKeptDrafts.has(need.itemId),
  );
  const planned = planOrders(needs, {
    serviceLevel: settings.serviceLevel,
    reviewDays: settings.reviewPeriodDays,
  });
  const orderIds: string[] = [];
  const autoApproved: string[] = [];
  for (const order of planned) {
    const id = newId();
    const at = nowIso();
    const inserted = sql`EXISTS (SELECT 1 FROM purchase_orders WHERE id = ${id})`;
    const [insert] = await runBatch(d1, [
      sql`INSERT INTO purchase_orders (id, organization_id, location_id, supplier_id, status, delivery_fee,
            minimum_order, lead_time_days, created_by, created_at, updated_at)
          SELECT ${id}, ${organizationId}, ${locationId}, ${order.supplierId}, 'draft', ${order.deliveryFee},
            ${order.minimumOrder}, ${order.leadTimeDays}, ${actor.id}, ${at}, ${at}
           WHERE NOT EXISTS (SELECT 1 FROM purchase_orders o WHERE o.location_id = ${locationId}
                   AND o.supplier_id = ${order.supplierId} AND o.status != 'cancelled'
                   AND (o.created_at >= ${startedAt} OR o.approved_at >= ${startedAt}))
          ON CONFLICT DO NOTHING`,
      ...order.lines.map(
        (line) =>
          sql`INSERT INTO purchase_order_lines (id, order_id, item_id, offer_id, cases, case_size, quantity,
                unit_price, line_total, reason, why)
              SELECT ${newId()}, ${id}, ${line.itemId}, ${line.offerId}, ${line.cases}, ${line.caseSize},
                ${line.quantity}, ${line.unitPrice}, ${line.lineTotal}, ${line.reason}, ${JSON.stringify(line.why)}
               WHERE ${inserted}`,
      ),
      sql`INSERT INTO purchase_order_events (id, order_id, from_status, to_status, actor_kind, actor_id, note, at)
          SELECT ${newId()}, ${id}, NULL, 'draft', ${actor.kind}, ${actor.id}, ${`drafted from forecasts and stock`}, ${at}
           WHERE ${inserted}`,
    ]);
    // Another run drafted (or ordered from) this supplier for the bar meanwhile: its order stands.
    if (insert!.meta.changes !== 1) continue;
    orderIds.push(id);
    const total = order.subtotal + order.deliveryFee;
    if (settings.autoApproveLimit !== null && total <= settings.autoApproveLimit) {
      try {
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
      } catch (error) {
        // Below the supplier's minimum, empty, or edited meanwhile: it waits as a draft for a person.
        if (!(error instanceof AppError)) throw error;
      }
    }
  }
  return { orderIds, autoApproved, replaced, kept: kept?.n ?? 0 };
}

/** After the nightly forecasts: drafts for every bar of every organization, by the system. */
export async function draftAllLocations(
  d1: D1Database,
  now: Date = new Date(),
  /** Only the bars in this time zone (the ones a nightly run just forecast); all bars when absent. */
  timeZone?: string,
): Promise<void> {
  const results = await openDb(d1).all<{ id: string; organization_id: string }>(
    sql`SELECT id, organization_id FROM locations ${timeZone === undefined ? sql.empty() : sql`WHERE timezone = ${timeZone}`} ORDER BY id`,
  );
  for (const location of results) {
    await draftOrders(d1, location.organization_id, location.id, { kind: 'system', id: null }, now);
  }
}
