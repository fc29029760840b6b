import { sql } from 'drizzle-orm';
import { openDb, runBatch } from '../db/client.ts';
import { notFound } from '../http/app-error.ts';
import { roundMoney } from './stock-policy.ts';
import { lineWhySchema, type LineWhy, type PurchaseOrder } from './order-schemas.ts';

type Flag = PurchaseOrder['lines'][number]['flags'][number];

interface OrderRow {
  id: string;
  location_id: string;
  supplier_id: string;
  supplier_name: string;
  supplier_email: string | null;
  status: PurchaseOrder['status'];
  delivery_fee: number;
  minimum_order: number;
  lead_time_days: number;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  sent_at: string | null;
  sent_via: string | null;
}

const ORDER_SQL = sql`SELECT o.*, s.name AS supplier_name, s.email AS supplier_email
  FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id`;

/** Differences a delivery showed on a line: fewer or more than ordered, another price. */
export function lineFlags(line: {
  quantity: number;
  receivedQuantity: number;
  unitPrice: number;
  receivedUnitPrice: number | null;
  delivered: boolean;
}): Flag[] {
  const flags: Flag[] = [];
  if (line.delivered && line.receivedQuantity < line.quantity) flags.push('short');
  if (line.receivedQuantity > line.quantity) flags.push('over');
  if (line.receivedUnitPrice !== null && Math.abs(line.receivedUnitPrice - line.unitPrice) >= 0.005)
    flags.push('price_changed');
  return flags;
}

/**
 * A line's stored facts, or null: none on lines from before migration 0013, and a value that does not
 * parse (never written by the hub) is left out rather than failing the whole order; its English reason stays.
 */
export function parseLineWhy(stored: string | null): LineWhy | null {
  if (stored === null) return null;
  try {
    const parsed = lineWhySchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Orders with their lines, substitutions and audit trail, scoped to the organization. */
export async function readOrders(
  d1: D1Database,
  organizationId: string,
  filter: { id?: string; locationId?: string; status?: string },
): Promise<PurchaseOrder[]> {
  const id = filter.id ?? null;
  const locationId = filter.locationId ?? null;
  const status = filter.status ?? null;
  const orders = await openDb(d1).all<OrderRow>(
    sql`${ORDER_SQL} WHERE o.organization_id = ${organizationId} AND (${id} IS NULL OR o.id = ${id})
          AND (${locationId} IS NULL OR o.location_id = ${locationId}) AND (${status} IS NULL OR o.status = ${status})
        ORDER BY o.created_at DESC, o.id LIMIT 200`,
  );
  if (orders.length === 0) return [];
  const ids = JSON.stringify(orders.map((o) => o.id));
  const [lines, receipts, events] = await runBatch<any>(d1, [
    sql`SELECT l.*, i.name AS item_name FROM purchase_order_lines l JOIN items i ON i.id = l.item_id
         WHERE l.order_id IN (SELECT value FROM json_each(${ids})) ORDER BY i.name, l.id`,
    sql`SELECT r.order_id, r.item_id, i.name AS item_name, SUM(r.quantity) AS quantity
          FROM order_receipts r JOIN items i ON i.id = r.item_id
         WHERE r.order_id IN (SELECT value FROM json_each(${ids})) AND r.line_id IS NULL
         GROUP BY r.order_id, r.item_id HAVING SUM(r.quantity) <> 0`,
    sql`SELECT * FROM purchase_order_events WHERE order_id IN (SELECT value FROM json_each(${ids})) ORDER BY at, id`,
  ]);
  return orders.map((o) => {
    const delivered = ['partially_received', 'received', 'closed'].includes(o.status);
    const orderLines = lines!.results
      .filter((l: any) => l.order_id === o.id)
      .map((l: any) => ({
        id: l.id,
        itemId: l.item_id,
        itemName: l.item_name,
        cases: l.cases,
        caseSize: l.case_size,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        lineTotal: l.line_total,
        reason: l.reason,
        why: parseLineWhy(l.why),
        receivedQuantity: l.received_quantity,
        receivedUnitPrice: l.received_unit_price,
        flags: lineFlags({
          quantity: l.quantity,
          receivedQuantity: l.received_quantity,
          unitPrice: l.unit_price,
          receivedUnitPrice: l.received_unit_price,
          delivered,
        }),
      }));
    const subtotal = roundMoney(
      orderLines.reduce((s: number, l: { lineTotal: number }) => s + l.lineTotal, 0),
    );
    return {
      id: o.id,
      locationId: o.location_id,
      supplierId: o.supplier_id,
      supplierName: o.supplier_name,
      supplierEmail: o.supplier_email,
      status: o.status,
      lines: orderLines,
      substitutions: receipts!.results
        .filter((r: any) => r.order_id === o.id)
        .map((r: any) => ({ itemId: r.item_id, itemName: r.item_name, quantity: r.quantity })),
      subtotal,
      deliveryFee: o.delivery_fee,
      total: roundMoney(subtotal + o.delivery_fee),
      minimumOrder: o.minimum_order,
      leadTimeDays: o.lead_time_days,
      createdAt: o.created_at,
      approvedBy: o.approved_by,
      approvedAt: o.approved_at,
      sentAt: o.sent_at,
      sentVia: o.sent_via,
      history: events!.results
        .filter((e: any) => e.order_id === o.id)
        .map((e: any) => ({
          fromStatus: e.from_status,
          toStatus: e.to_status,
          actorKind: e.actor_kind,
          actorId: e.actor_id,
          note: e.note,
          at: e.at,
        })),
    };
  });
}

export async function readOrder(d1: D1Database, organizationId: string, id: string): Promise<PurchaseOrder> {
  const [order] = await readOrders(d1, organizationId, { id });
  if (!order) throw notFound('order');
  return order;
}
