import type { OrderStatus } from '../db/schema-forecasting.ts';
import { sql, type SQL } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import { approvalCheck } from './edit-draft.ts';

export interface Actor {
  kind: 'user' | 'system' | 'gateway';
  id: string | null;
}

/**
 * Which statuses each status may be entered from by a person's or the system's move (`transition`: approve,
 * send, close, cancel, and undoing a failed send). Receiving's moves are not here (RECEIVING_TRANSITIONS), so
 * no route can make them.
 */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: [],
  approved: ['draft'],
  sent: ['approved'],
  partially_received: [],
  received: [],
  closed: ['received', 'partially_received'],
  // From sent too: a supplier that cannot deliver. Until cancelled, its lines would count as arriving in every
  // draft (load-needs.ts), so the item would never be ordered again.
  cancelled: ['draft', 'approved', 'sent'],
};

/**
 * The moves only receiving makes (receiving.ts), as deliveries are recorded and as a staff undo of a delivery
 * scan takes one back off: an order awaiting delivery becomes partially received or received, goes between
 * the two, and once every delivery on it is undone (its receipts net to zero) returns to where it was before
 * receiving: sent, or approved when it was received without being sent (an order phoned in).
 */
export const RECEIVING_TRANSITIONS: Partial<Record<OrderStatus, readonly OrderStatus[]>> = {
  approved: ['partially_received', 'received'],
  sent: ['partially_received', 'received'],
  partially_received: ['approved', 'sent', 'received'],
  received: ['approved', 'sent', 'partially_received'],
};

type Stamp = (at: string, actorId: string | null, via: string | null) => SQL;

const clearSend: Stamp = () => sql`sent_at = NULL, sent_by = NULL, sent_via = NULL`;
const close: Stamp = (at) => sql`closed_at = ${at}`;

/**
 * The columns a move stamps, by the status entered and the status left, given the move's time, actor and way
 * of sending. Only draft → approved is an approval and only approved → sent a send: undoing a failed send
 * (sent → approved) clears the send and keeps who approved the order and when (the system, for an
 * auto-approval); an order returning from receiving to sent or approved stamps nothing, so it keeps its
 * approval and its one send (who, when, how) as they were.
 */
const STAMP_COLUMNS: Partial<Record<OrderStatus, Partial<Record<OrderStatus, Stamp>>>> = {
  approved: {
    draft: (at, actorId) =>
      sql`approved_by = ${actorId}, approved_at = ${at}, sent_at = NULL, sent_by = NULL, sent_via = NULL`,
    sent: clearSend,
  },
  sent: { approved: (at, actorId, via) => sql`sent_by = ${actorId}, sent_at = ${at}, sent_via = ${via}` },
  closed: { received: close, partially_received: close },
};

/**
 * The statements that move an order from `from` to `to` (compare-and-set on the status) and write the
 * audit row in the same D1 batch: the audit INSERT runs only when the UPDATE changed the row
 * (`changes()`), so a lost race leaves no trace and a transition is never recorded twice. drizzle `sql`
 * statements, for `runBatch`.
 */
export function transitionStatements(
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  actor: Actor,
  note: string | null,
  via: string | null = null,
  /** A further condition the order must meet for the move (e.g. a draft still untouched). */
  guard: SQL | null = null,
): SQL[] {
  const at = nowIso();
  const stamp = STAMP_COLUMNS[to]?.[from]?.(at, actor.id, via);
  return [
    sql`UPDATE purchase_orders SET status = ${to}, updated_at = ${at}${stamp ? sql`, ${stamp}` : sql``}
         WHERE id = ${orderId} AND status = ${from}${guard ? sql` AND ${guard}` : sql``}`,
    sql`INSERT INTO purchase_order_events (id, order_id, from_status, to_status, actor_kind, actor_id, note, at)
        SELECT ${newId()}, ${orderId}, ${from}, ${to}, ${actor.kind}, ${actor.id}, ${note}, ${at} WHERE changes() = 1`,
  ];
}

/**
 * A move receiving makes (RECEIVING_TRANSITIONS), as transitionStatements; one the table does not list is a
 * bug in the caller, never a request to refuse.
 */
export function receivingStatements(
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  actor: Actor,
  note: string | null,
): SQL[] {
  if (!RECEIVING_TRANSITIONS[to]?.includes(from)) {
    throw new Error(`receiving does not move an order from ${from} to ${to}`);
  }
  return transitionStatements(orderId, from, to, actor, note);
}

export async function orderStatus(d1: D1Database, orderId: string): Promise<OrderStatus | null> {
  const row = await openDb(d1).get<{ status: OrderStatus }>(
    sql`SELECT status FROM purchase_orders WHERE id = ${orderId}`,
  );
  return row?.status ?? null;
}

export interface TransitionOptions {
  note?: string | null;
  /** How an order was sent (`email`, `manual`). */
  via?: string | null;
  /** Statuses allowed instead of the table's (undoing a send whose email failed). */
  from?: readonly OrderStatus[];
  /** Approve a draft below its supplier's minimum order value (an owner's or manager's explicit yes). */
  belowMinimum?: boolean;
}

/**
 * Moves an order to `to`; 409 when its status may not lead there (e.g. sending an order already sent) or
 * when another request moved it first. Approving a draft (by hand or automatically) first checks it can go
 * (approvalCheck: 422 with no lines, or below the minimum unless `belowMinimum`), and the approval is a
 * compare-and-set on that too, so a line removed meanwhile cannot slip through.
 */
export async function transition(
  d1: D1Database,
  orderId: string,
  to: OrderStatus,
  actor: Actor,
  options: TransitionOptions = {},
): Promise<OrderStatus> {
  const { note = null, via = null } = options;
  const from = await orderStatus(d1, orderId);
  if (!from || !(options.from ?? TRANSITIONS[to]).includes(from)) {
    throw new AppError(409, 'invalid_transition', `order is ${from ?? 'gone'}; it cannot become ${to}`);
  }
  if (to === 'cancelled' && from === 'sent' && !note?.trim()) {
    throw new AppError(
      422,
      'reason_required',
      'a sent order is cancelled with the reason (note), e.g. what the supplier said',
      ['body.note: required to cancel a sent order'],
    );
  }
  const approval =
    to === 'approved' && from === 'draft'
      ? await approvalCheck(d1, orderId, options.belowMinimum ?? false)
      : null;
  const fullNote = approval?.note ? (note ? `${note}; ${approval.note}` : approval.note) : note;
  const [update] = await runBatch(
    d1,
    transitionStatements(orderId, from, to, actor, fullNote, via, approval?.guard ?? null),
  );
  if (update!.meta.changes !== 1) {
    throw new AppError(409, 'invalid_transition', `order changed meanwhile; it cannot become ${to}`);
  }
  return from;
}
