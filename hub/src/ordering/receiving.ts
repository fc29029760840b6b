import { sql, type SQL } from 'drizzle-orm';
import { UNDO_SLOT_PREFIX, undoneSeq } from '@pourcast/protocol';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import type { OrderStatus } from '../db/schema-forecasting.ts';
import { AppError } from '../http/app-error.ts';
import { OPEN_STATUSES, OPEN_STATUSES_SQL } from './load-needs.ts';
import { orderStatus, RECEIVING_TRANSITIONS, receivingStatements, type Actor } from './order-workflow.ts';

export interface Arrival {
  itemId: string;
  /** Containers; negative when a staff undo takes a delivery scan back off the order. */
  quantity: number;
  /** The order line it counts on; by default the line naming the item (none: a substitution). */
  lineId?: string | null;
  unitPrice?: number;
  stockEventId: string | null;
  source: 'manual' | 'gateway';
  receivedAt: string;
}

export interface ReceiveOptions {
  /** The audit note of the status change; by default how many arrivals and from where. */
  note?: string;
  /**
   * More statements for the same batch (the manual receipt's ledger events), each written to run only under
   * `guard` (e.g. `INSERT … SELECT … WHERE ${guard}`), so they land exactly when the receipts do.
   */
  extra?: (guard: SQL) => readonly SQL[];
  /** Taking an undone delivery back off: a received order (not yet closed) takes it too. */
  reversal?: boolean;
}

interface LineRow {
  id: string;
  item_id: string;
  quantity: number;
  received_quantity: number;
}

/** What receiving decides an order's status on. */
interface OrderState {
  lines: LineRow[];
  /** Each substituted item's containers (receipts on no line), net of the undos taking them back off. */
  substituted: Map<string, number>;
  /** Sent before it was received (sent_at stays through receiving): where it returns when nothing is left. */
  wasSent: boolean;
}

const isOpen = (status: OrderStatus | null): status is OrderStatus =>
  status !== null && (OPEN_STATUSES as readonly string[]).includes(status);
/** An order a delivery can still be taken back off: open, or received and not closed yet. */
const isReversible = (status: OrderStatus | null): status is OrderStatus =>
  isOpen(status) || status === 'received';

/** How often receiving reads an order again when another request changed its status in between. */
const ATTEMPTS = 3;

/**
 * Records arrivals against one open order: each goes to the order's line for its item (adding to the
 * received quantity, keeping the delivery note's price when given) or, when the order does not name the
 * item, as a substitution. Then the order becomes received (every line complete) or partially received, or,
 * when an undo leaves nothing received on it, returns to sent (or approved: received without being sent),
 * audited with the actor. All in one D1 batch, every write of which runs only while the order still has the
 * status read just before: a receipt never lands on an order closed or cancelled meanwhile, and a status
 * change by another request makes the batch write nothing and the order be read again. 409 when the order
 * is not open (or kept changing).
 */
export async function receiveIntoOrder(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; orderId: string },
  arrivals: readonly Arrival[],
  actor: Actor,
  options: ReceiveOptions = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const status = await orderStatus(d1, scope.orderId);
    if (status === null || !(options.reversal ? isReversible(status) : isOpen(status))) {
      throw new AppError(
        409,
        'invalid_transition',
        `order is ${status ?? 'gone'}; only approved or sent orders receive`,
      );
    }
    const state = await orderState(d1, scope.orderId);
    const { lines } = state;
    const guard = sql`EXISTS (SELECT 1 FROM purchase_orders WHERE id = ${scope.orderId} AND status = ${status})`;
    const received = new Map(lines.map((l) => [l.id, l.received_quantity]));
    const substituted = new Map(state.substituted);
    const writes: SQL[] = [];
    for (const arrival of arrivals) {
      const line =
        arrival.lineId === undefined
          ? lines.find((l) => l.item_id === arrival.itemId)
          : lines.find((l) => l.id === arrival.lineId);
      writes.push(
        sql`INSERT INTO order_receipts (id, organization_id, location_id, order_id, line_id, item_id, quantity,
              unit_price, source, stock_event_id, received_by, received_at)
            SELECT ${newId()}, ${scope.organizationId}, ${scope.locationId}, ${scope.orderId}, ${line?.id ?? null},
              ${arrival.itemId}, ${arrival.quantity}, ${arrival.unitPrice ?? null}, ${arrival.source},
              ${arrival.stockEventId}, ${actor.id}, ${arrival.receivedAt}
             WHERE ${guard}`,
      );
      if (line) {
        received.set(line.id, received.get(line.id)! + arrival.quantity);
        writes.push(
          sql`UPDATE purchase_order_lines SET received_quantity = received_quantity + ${arrival.quantity},
                received_unit_price = COALESCE(${arrival.unitPrice ?? null}, received_unit_price)
               WHERE id = ${line.id} AND ${guard}`,
        );
      } else {
        substituted.set(arrival.itemId, (substituted.get(arrival.itemId) ?? 0) + arrival.quantity);
      }
    }
    writes.push(...(options.extra?.(guard) ?? []));
    const to = statusFor(state, received, substituted);
    const note =
      options.note ??
      `${arrivals.length} arrival${arrivals.length === 1 ? '' : 's'} (${arrivals[0]!.source})`;
    // Last: the status's own compare-and-set, after every statement guarded on the status it replaces.
    if (to !== status) writes.push(...receivingStatements(scope.orderId, status, to, actor, note));
    const [first] = await runBatch(d1, writes);
    if (first!.meta.changes === 1) {
      // Another receipt written beside this one (same status, so no compare-and-set between them) may have
      // completed the order, or left it short: settle the status on what the lines hold now.
      await settleStatus(d1, scope.orderId, actor, note);
      return;
    }
    if (attempt === ATTEMPTS) {
      throw new AppError(409, 'invalid_transition', 'order changed meanwhile; nothing was received');
    }
  }
}

async function orderState(d1: D1Database, orderId: string): Promise<OrderState> {
  const db = openDb(d1);
  const [lines, substitutions, order] = await Promise.all([
    db.all<LineRow>(
      sql`SELECT id, item_id, quantity, received_quantity FROM purchase_order_lines WHERE order_id = ${orderId}`,
    ),
    db.all<{ item_id: string; net: number }>(
      sql`SELECT item_id, SUM(quantity) AS net FROM order_receipts WHERE order_id = ${orderId} AND line_id IS NULL
           GROUP BY item_id`,
    ),
    db.get<{ was_sent: number }>(
      sql`SELECT sent_at IS NOT NULL AS was_sent FROM purchase_orders WHERE id = ${orderId}`,
    ),
  ]);
  return {
    lines,
    substituted: new Map(substitutions.map((s) => [s.item_id, s.net])),
    wasSent: order?.was_sent === 1,
  };
}

/**
 * Received when every line has all it ordered. When nothing is left received (no line holds any quantity
 * and every substitution nets to zero: each delivery scan on the order was undone), back where it was before
 * receiving: sent, keeping its one send, or approved when it was received without being sent. Else
 * partially received (a delivery came, or part of one was undone).
 */
function statusFor(
  state: OrderState,
  received: ReadonlyMap<string, number>,
  substituted: ReadonlyMap<string, number>,
): OrderStatus {
  const { lines } = state;
  if (lines.every((l) => received.get(l.id)! >= l.quantity)) return 'received';
  const nothingLeft =
    lines.every((l) => received.get(l.id) === 0) && [...substituted.values()].every((n) => n === 0);
  if (nothingLeft) return state.wasSent ? 'sent' : 'approved';
  return 'partially_received';
}

/** Moves a receiving order to the status its receipts call for, if it is not there (compare-and-set, audited). */
async function settleStatus(d1: D1Database, orderId: string, actor: Actor, note: string): Promise<void> {
  const status = await orderStatus(d1, orderId);
  if (status === null || !RECEIVING_TRANSITIONS[status]) return;
  const state = await orderState(d1, orderId);
  const to = statusFor(
    state,
    new Map(state.lines.map((l) => [l.id, l.received_quantity])),
    state.substituted,
  );
  if (to !== status) await runBatch(d1, receivingStatements(orderId, status, to, actor, note));
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

interface UndoEventRow {
  id: string;
  organization_id: string;
  gateway_id: string;
  slot: string;
  source: string;
  /** The staff member who undid it on the display (`staff-` and their initials), when the gateway said. */
  user_id: string | null;
  observed_at: string;
}

type Decision = 'no_order' | 'undone' | 'not_a_receipt' | 'order_closed';

/** Events examined per pass and kind; the rest wait for the next pass (each event is examined once). */
const PASS_LIMIT = 500;

/** Another matcher wrote the same receipt first (order_receipts.stock_event_id is unique). */
const lostRace = (error: unknown): boolean =>
  error instanceof Error && /UNIQUE constraint failed/.test(`${error.message} ${String(error.cause ?? '')}`);

/**
 * Matches `receive` events in the ledger (a gateway's scanner in receive mode) against open orders at the
 * same bar, oldest order first: an order naming the item with quantity still to come takes it; otherwise the
 * newest order already sent that awaits delivery records it as a substitution. Events from before every open
 * order was approved stay unmatched (stock from elsewhere), and so does a scan the staff display undid. A
 * scan already on an order and undone afterwards is taken back off it by a reversing receipt (the undo's
 * event id, minus the containers).
 *
 * Each event is examined once: one taken onto an order is marked by its receipt, any other by a row in
 * receive_match_decisions, so events no order takes never pile up in front of new deliveries. Two matchers
 * racing on one event both try the receipt; the unique stock_event_id lets one win, and the other moves on.
 * Run by each cron tick and before orders are read, so a delivery scanned in shows on the order. Answers how
 * many receipts (and reversals) it wrote.
 */
export async function matchReceiveEvents(d1: D1Database, organizationId?: string): Promise<number> {
  const organization = organizationId ?? null;
  const db = openDb(d1);
  const at = nowIso();
  const ofOrganization = sql`(${organization} IS NULL OR e.organization_id = ${organization})`;
  const candidate = sql`e.kind = 'receive' AND e.delta_ml > 0 AND ${ofOrganization}
    AND NOT EXISTS (SELECT 1 FROM order_receipts r WHERE r.stock_event_id = e.id)
    AND NOT EXISTS (SELECT 1 FROM receive_match_decisions d WHERE d.stock_event_id = e.id)`;
  const undone = sql`EXISTS (SELECT 1 FROM stock_events u WHERE u.gateway_id = e.gateway_id AND u.source = 'display'
    AND u.kind = 'adjust' AND u.slot = ${UNDO_SLOT_PREFIX} || e.seq)`;
  // The events no order can take, decided in two statements however many there are: undone scans, and
  // scans from before every open order at the bar was approved (or with no open order at all).
  await runBatch(d1, [
    sql`INSERT OR IGNORE INTO receive_match_decisions (stock_event_id, organization_id, outcome, decided_at)
        SELECT e.id, e.organization_id, 'undone', ${at} FROM stock_events e WHERE ${candidate} AND ${undone}`,
    sql`INSERT OR IGNORE INTO receive_match_decisions (stock_event_id, organization_id, outcome, decided_at)
        SELECT e.id, e.organization_id, 'no_order', ${at} FROM stock_events e WHERE ${candidate}
           AND COALESCE(e.observed_at >= (SELECT MIN(o.approved_at) FROM purchase_orders o
                 WHERE o.location_id = e.location_id AND o.status IN (${OPEN_STATUSES_SQL})), 0) = 0`,
  ]);
  const events = await db.all<ReceiveEventRow>(
    sql`SELECT e.id, e.organization_id, e.location_id, e.item_id, e.gateway_id, e.observed_at,
               CASE WHEN e.containers_delta > 0 THEN e.containers_delta
                    ELSE CAST(ROUND(CAST(e.delta_ml AS REAL) / e.container_ml) AS INTEGER) END AS containers
          FROM stock_events e WHERE ${candidate} AND NOT ${undone}
         ORDER BY e.observed_at, e.id LIMIT ${PASS_LIMIT}`,
  );
  const decisions: SQL[] = [];
  const decide = (event: { id: string; organization_id: string }, outcome: Decision) =>
    decisions.push(
      sql`INSERT OR IGNORE INTO receive_match_decisions (stock_event_id, organization_id, outcome, decided_at)
          VALUES (${event.id}, ${event.organization_id}, ${outcome}, ${at})`,
    );
  let written = 0;
  for (const event of events) {
    const order = event.containers > 0 ? await orderFor(d1, event) : null;
    if (!order) {
      decide(event, 'no_order');
      continue;
    }
    const arrival: Arrival = {
      itemId: event.item_id,
      quantity: event.containers,
      stockEventId: event.id,
      source: 'gateway',
      receivedAt: event.observed_at,
    };
    const scope = { organizationId: event.organization_id, locationId: event.location_id, orderId: order.id };
    if (await tryReceive(d1, scope, arrival, { kind: 'gateway', id: event.gateway_id })) written++;
  }
  written += await reverseUndoneReceipts(d1, organization, decide);
  await runBatch(d1, decisions);
  return written;
}

/**
 * Staff undos not looked at yet: one of a delivery scan on an open order takes it back off (a receipt of
 * minus its containers, stock_event_id = the undo's id, the line's received quantity lowered, the status
 * following); any other is decided without a receipt.
 */
async function reverseUndoneReceipts(
  d1: D1Database,
  organization: string | null,
  decide: (event: { id: string; organization_id: string }, outcome: Decision) => void,
): Promise<number> {
  const db = openDb(d1);
  const undos = await db.all<UndoEventRow>(
    sql`SELECT e.id, e.organization_id, e.gateway_id, e.slot, e.source, e.user_id, e.observed_at FROM stock_events e
         WHERE e.source = 'display' AND e.kind = 'adjust' AND e.gateway_id IS NOT NULL
           AND substr(e.slot, 1, ${UNDO_SLOT_PREFIX.length}) = ${UNDO_SLOT_PREFIX}
           AND (${organization} IS NULL OR e.organization_id = ${organization})
           AND NOT EXISTS (SELECT 1 FROM order_receipts r WHERE r.stock_event_id = e.id)
           AND NOT EXISTS (SELECT 1 FROM receive_match_decisions d WHERE d.stock_event_id = e.id)
         ORDER BY e.observed_at, e.id LIMIT ${PASS_LIMIT}`,
  );
  let written = 0;
  for (const undo of undos) {
    const seq = undoneSeq(undo);
    const receipt =
      seq === null
        ? undefined
        : await db.get<{
            order_id: string;
            location_id: string;
            line_id: string | null;
            item_id: string;
            quantity: number;
            status: OrderStatus;
          }>(
            sql`SELECT r.order_id, r.location_id, r.line_id, r.item_id, r.quantity, o.status
                  FROM stock_events t JOIN order_receipts r ON r.stock_event_id = t.id
                  JOIN purchase_orders o ON o.id = r.order_id
                 WHERE t.gateway_id = ${undo.gateway_id} AND t.seq = ${seq} AND t.kind = 'receive'
                   AND r.quantity > 0`,
          );
    if (!receipt) {
      decide(undo, 'not_a_receipt');
      continue;
    }
    if (!isReversible(receipt.status)) {
      decide(undo, 'order_closed');
      continue;
    }
    const reversal: Arrival = {
      itemId: receipt.item_id,
      quantity: -receipt.quantity,
      lineId: receipt.line_id,
      stockEventId: undo.id,
      source: 'gateway',
      receivedAt: undo.observed_at,
    };
    const scope = {
      organizationId: undo.organization_id,
      locationId: receipt.location_id,
      orderId: receipt.order_id,
    };
    const note = `delivery scan ${seq} undone on the staff display${undo.user_id ? ` by ${undo.user_id}` : ''}`;
    const actor: Actor = { kind: 'gateway', id: undo.gateway_id };
    if (await tryReceive(d1, scope, reversal, actor, { note, reversal: true })) written++;
  }
  return written;
}

/**
 * One matched arrival; false when another matcher wrote it first or the order stopped receiving meanwhile
 * (the event stays undecided, so the next pass looks again).
 */
async function tryReceive(
  d1: D1Database,
  scope: { organizationId: string; locationId: string; orderId: string },
  arrival: Arrival,
  actor: Actor,
  options: ReceiveOptions = {},
): Promise<boolean> {
  try {
    await receiveIntoOrder(d1, scope, [arrival], actor, options);
    return true;
  } catch (error) {
    if (lostRace(error) || (error instanceof AppError && error.status === 409)) return false;
    throw error;
  }
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
  const ledger = (guard: SQL) =>
    arrivals.map(
      (a) =>
        sql`INSERT INTO stock_events (id, organization_id, location_id, item_id, kind, delta_ml, containers_delta,
              container_ml, level_after_ml, source, user_id, reason, observed_at, confidence)
            SELECT ${a.stockEventId}, ${scope.organizationId}, ${order.location_id}, ${a.itemId}, 'receive',
              ${a.quantity * sizeOf.get(a.itemId)!}, ${a.quantity}, ${sizeOf.get(a.itemId)!}, NULL, 'manual',
              ${scope.userId}, ${`received on order ${scope.orderId}`}, ${at}, 1
             WHERE ${guard}`,
    );
  // One batch: the order's receipts and the ledger's receive events land together or not at all.
  await receiveIntoOrder(
    d1,
    { organizationId: scope.organizationId, locationId: order.location_id, orderId: scope.orderId },
    arrivals,
    { kind: 'user', id: scope.userId },
    { extra: ledger },
  );
}
