import { sql, type SQL } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import { OPEN_STATUSES, OPEN_STATUSES_SQL } from './load-needs.ts';
import { orderStatus, transitionStatements, type Actor } from './order-workflow.ts';

export interface Arrival {
  itemId: string;
  /** Containers. */
  quantity: number;
  unitPrice?: number;
  stockEventId: string | null;
  source: 'manual' | 'gateway';
  receivedAt: string;
}

interface LineRow {
  id: string;
  item_id: string;
  quantity: number;
  received_quantity: number;
}

/**
 * Records arrivals against one open order: each goes to the order's line for its item (adding to the
 * received quantity, keeping the delivery note's price when given) or, when the order does not name the
 * item, as a substitution. Then the order becomes received (every line complete) or partially received,
 * audited with the actor. All in one D1 batch.
 */
export async function receiveIntoOrder(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; orderId: string },
  arrivals: readonly Arrival[],
  actor: Actor,
  extra: readonly SQL[] = [],
): Promise<void> {
  const status = await orderStatus(d1, scope.orderId);
  if (!status || !(OPEN_STATUSES as readonly string[]).includes(status)) {
    throw new AppError(
      409,
      'invalid_transition',
      `order is ${status ?? 'gone'}; only approved or sent orders receive`,
    );
  }
  const lines = await openDb(d1).all<LineRow>(
    sql`SELECT id, item_id, quantity, received_quantity FROM purchase_order_lines WHERE order_id = ${scope.orderId}`,
  );
  const received = new Map(lines.map((l) => [l.id, l.received_quantity]));
  const writes: SQL[] = [];
  for (const arrival of arrivals) {
    const line = lines.find((l) => l.item_id === arrival.itemId);
    writes.push(
      sql`INSERT INTO order_receipts (id, organization_id, location_id, order_id, line_id, item_id, quantity,
            unit_price, source, stock_event_id, received_by, received_at)
          VALUES (${newId()}, ${scope.organizationId}, ${scope.locationId}, ${scope.orderId}, ${line?.id ?? null},
            ${arrival.itemId}, ${arrival.quantity}, ${arrival.unitPrice ?? null}, ${arrival.source},
            ${arrival.stockEventId}, ${actor.id}, ${arrival.receivedAt})`,
    );
    if (line) {
      received.set(line.id, received.get(line.id)! + arrival.quantity);
      writes.push(
        sql`UPDATE purchase_order_lines SET received_quantity = received_quantity + ${arrival.quantity},
              received_unit_price = COALESCE(${arrival.unitPrice ?? null}, received_unit_price) WHERE id = ${line.id}`,
      );
    }
  }
  const complete = lines.every((l) => received.get(l.id)! >= l.quantity);
  const to = complete ? 'received' : 'partially_received';
  if (to !== status) {
    const note = `${arrivals.length} arrival${arrivals.length === 1 ? '' : 's'} (${arrivals[0]!.source})`;
    writes.push(...transitionStatements(scope.orderId, status, to, actor, note));
  }
  await runBatch(d1, [...writes, ...extra]);
}

interface ReceiveEventRow {
  id: string;
  organization_id: string;
  location_id: string;
  item_id: string;
  gateway_id: string | null;
  containers: number;
  observed_at: string;
}

/**
 * Matches `receive` events in the ledger (a gateway's scanner in receive mode) that no receipt holds yet
 * against open orders at the same bar, oldest order first: an order naming the item with quantity still
 * to come takes it; otherwise the newest order already sent that awaits delivery records it as a
 * substitution. Events from before every open order was approved stay unmatched (stock from elsewhere).
 * Run by each cron tick and before orders are read, so a delivery scanned in shows on the order.
 */
export async function matchReceiveEvents(d1: D1Database, organizationId?: string): Promise<number> {
  const organization = organizationId ?? null;
  const events = await openDb(d1).all<ReceiveEventRow>(
    sql`SELECT e.id, e.organization_id, e.location_id, e.item_id, e.gateway_id, e.observed_at,
               CASE WHEN e.containers_delta > 0 THEN e.containers_delta
                    ELSE CAST(ROUND(CAST(e.delta_ml AS REAL) / e.container_ml) AS INTEGER) END AS containers
          FROM stock_events e
         WHERE e.kind = 'receive' AND e.delta_ml > 0 AND (${organization} IS NULL OR e.organization_id = ${organization})
           AND NOT EXISTS (SELECT 1 FROM order_receipts r WHERE r.stock_event_id = e.id)
           AND e.observed_at >= (SELECT MIN(o.approved_at) FROM purchase_orders o
                                  WHERE o.location_id = e.location_id AND o.status IN (${OPEN_STATUSES_SQL}))
         ORDER BY e.observed_at, e.id LIMIT 500`,
  );
  let matched = 0;
  for (const event of events) {
    if (event.containers <= 0) continue;
    const order = await orderFor(d1, event);
    if (!order) continue;
    await receiveIntoOrder(
      d1,
      { organizationId: event.organization_id, locationId: event.location_id, orderId: order.id },
      [
        {
          itemId: event.item_id,
          quantity: event.containers,
          stockEventId: event.id,
          source: 'gateway',
          receivedAt: event.observed_at,
        },
      ],
      { kind: 'gateway', id: event.gateway_id },
    );
    matched++;
  }
  return matched;
}

/** The oldest open order with the item still to come, else the newest sent one (a substitution). */
async function orderFor(d1: D1Database, event: ReceiveEventRow): Promise<{ id: string } | null> {
  const db = openDb(d1);
  const naming = await db.get<{ id: string }>(
    sql`SELECT o.id FROM purchase_orders o JOIN purchase_order_lines l ON l.order_id = o.id
         WHERE o.location_id = ${event.location_id} AND o.status IN (${OPEN_STATUSES_SQL})
           AND o.approved_at <= ${event.observed_at} AND l.item_id = ${event.item_id}
           AND l.received_quantity < l.quantity
         ORDER BY o.approved_at, o.id LIMIT 1`,
  );
  if (naming) return naming;
  const sent = await db.get<{ id: string }>(
    sql`SELECT id FROM purchase_orders WHERE location_id = ${event.location_id}
          AND status IN ('sent', 'partially_received') AND sent_at <= ${event.observed_at}
         ORDER BY sent_at DESC, id LIMIT 1`,
  );
  return sent ?? null;
}

/**
 * A manager's (or bartender's) receipt for an order: appends a `receive` event to the ledger per line
 * (so stock goes up, source manual) and records the arrivals against the order with those event ids, so
 * the gateway matcher never counts them again.
 */
export async function receiveManually(
  d1: D1Database,
  scope: { organizationId: string; orderId: string; userId: string },
  lines: readonly { itemId: string; quantity: number; unitPrice?: number }[],
): Promise<void> {
  const db = openDb(d1);
  const order = await db.get<{ location_id: string }>(
    sql`SELECT location_id FROM purchase_orders WHERE id = ${scope.orderId} AND organization_id = ${scope.organizationId}`,
  );
  if (!order) throw new AppError(404, 'not_found', 'order not found');
  const sizes = await db.all<{ id: string; container_ml: number }>(
    sql`SELECT id, container_ml FROM items WHERE organization_id = ${scope.organizationId}
          AND id IN (SELECT value FROM json_each(${JSON.stringify(lines.map((l) => l.itemId))}))`,
  );
  const sizeOf = new Map(sizes.map((s) => [s.id, s.container_ml]));
  const unknown = lines.map((l, i) => [l, i] as const).filter(([l]) => !sizeOf.has(l.itemId));
  if (unknown.length) {
    throw new AppError(
      422,
      'unknown_item',
      'the receipt names items this organization does not have',
      unknown.map(([, i]) => `body.lines.${i}.itemId: not an item of this organization`),
    );
  }
  const at = nowIso();
  const arrivals: Arrival[] = lines.map((l) => ({
    ...l,
    stockEventId: newId(),
    source: 'manual',
    receivedAt: at,
  }));
  const ledger = arrivals.map(
    (a) =>
      sql`INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
            container_ml, level_after_ml, source, user_id, reason, observed_at, confidence)
          VALUES (${a.stockEventId}, ${scope.organizationId}, ${order.location_id}, ${a.itemId}, 'receive',
            ${a.quantity * sizeOf.get(a.itemId)!}, ${a.quantity}, ${sizeOf.get(a.itemId)!}, NULL, 'manual',
            ${scope.userId}, ${`received on order ${scope.orderId}`}, ${at}, 1)`,
  );
  // One batch: the order's receipts and the ledger's receive events land together or not at all.
  await receiveIntoOrder(
    d1,
    { organizationId: scope.organizationId, locationId: order.location_id, orderId: scope.orderId },
    arrivals,
    { kind: 'user', id: scope.userId },
    ledger,
  );
}
