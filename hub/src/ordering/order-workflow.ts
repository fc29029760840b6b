import type { OrderStatus } from '../db/schema-forecasting.ts';
import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';

export interface Actor {
  kind: 'user' | 'system' | 'gateway';
  id: string | null;
}

/** Which statuses each status may be entered from. */
export const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: [],
  approved: ['draft'],
  sent: ['approved'],
  partially_received: ['approved', 'sent', 'partially_received'],
  received: ['approved', 'sent', 'partially_received'],
  closed: ['received', 'partially_received'],
  cancelled: ['draft', 'approved'],
};

const STAMP_COLUMNS: Partial<Record<OrderStatus, string>> = {
  approved:
    'approved_by = COALESCE(approved_by, ?5), approved_at = COALESCE(approved_at, ?4), sent_at = NULL, sent_by = NULL, sent_via = NULL',
  sent: 'sent_by = ?5, sent_at = ?4, sent_via = ?6',
  closed: 'closed_at = ?4',
};

/** The highest `?N` a stamp uses (at least 4, the base statement's). */
const highestParameter = (sql: string) =>
  Math.max(4, ...[...sql.matchAll(/\?(\d)/g)].map((m) => Number(m[1])));

/**
 * The statements that move an order from `from` to `to` (compare-and-set on the status) and write the
 * audit row in the same D1 batch: the audit INSERT runs only when the UPDATE changed the row
 * (`changes()`), so a lost race leaves no trace and a transition is never recorded twice. D1 prepare/bind
 * (values bound), for D1 batches: drizzle 0.45's D1 batch cannot run a parameterised `sql` item
 * (drizzle-orm#2277).
 */
export function transitionStatements(
  d1: D1Database,
  orderId: string,
  from: OrderStatus,
  to: OrderStatus,
  actor: Actor,
  note: string | null,
  via: string | null = null,
): D1PreparedStatement[] {
  const at = nowIso();
  const stamp = STAMP_COLUMNS[to];
  return [
    d1
      .prepare(
        `UPDATE purchase_orders SET status = ?2, updated_at = ?4${stamp ? `, ${stamp}` : ''}
          WHERE id = ?1 AND status = ?3`,
      )
      // D1 wants exactly as many values as the highest ?N the statement uses.
      .bind(...[orderId, to, from, at, actor.id, via].slice(0, stamp ? highestParameter(stamp) : 4)),
    d1
      .prepare(
        `INSERT INTO purchase_order_events (id, order_id, from_status, to_status, actor_kind, actor_id, note, at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 WHERE changes() = 1`,
      )
      .bind(newId(), orderId, from, to, actor.kind, actor.id, note, at),
  ];
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
}

/**
 * Moves an order to `to`; 409 when its status may not lead there (e.g. sending an order already sent) or
 * when another request moved it first.
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
  const [update] = await d1.batch(transitionStatements(d1, orderId, from, to, actor, note, via));
  if (update!.meta.changes !== 1) {
    throw new AppError(409, 'invalid_transition', `order changed meanwhile; it cannot become ${to}`);
  }
  return from;
}
