import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { OrderStatus } from '../db/schema-forecasting.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { draftOrders } from './draft-orders.ts';
import { emailSenderFromEnv, type EmailBindings } from './email/email-sender.ts';
import { orderCsv } from './export-csv.ts';
import { orderPdf } from './export-pdf.ts';
import { editDraftLine } from './edit-draft.ts';
import {
  draftAnswerSchema,
  draftQuerySchema,
  lineParamSchema,
  linePatchSchema,
  orderListQuerySchema,
  orderListSchema,
  purchaseOrderSchema,
  receiptAnswerSchema,
  receiptRequestSchema,
  sendRequestSchema,
} from './order-schemas.ts';
import { transition } from './order-workflow.ts';
import { readOrder, readOrders } from './orders.ts';
import { matchReceiveEvents, receiveManually } from './receiving.ts';
import { orderParties, sendOrder } from './send-order.ts';

const noteSchema = z.strictObject({ note: z.string().trim().max(500).optional() });
/** Approving: `belowMinimum: true` is an owner's or manager's yes to an order below the supplier's minimum. */
const approveSchema = noteSchema.extend({ belowMinimum: z.literal(true).optional() });
const userActor = (id: string) => ({ kind: 'user' as const, id });

/**
 * Takes deliveries the gateways scanned in (and scans the staff display undid) onto the organization's orders
 * before they are read. Each event is examined once, so with nothing new this is three short queries; a
 * failure is logged and never fails the read (the cron tick matches again).
 */
async function matchBeforeRead(d1: D1Database, organizationId: string): Promise<void> {
  try {
    await matchReceiveEvents(d1, organizationId);
  } catch (error) {
    console.error(`receiving: matching deliveries for organization ${organizationId} failed`, error);
  }
}

/** Reads an order after matching deliveries the gateways scanned in since the last look. */
async function freshOrder(d1: D1Database, organizationId: string, id: string) {
  await matchBeforeRead(d1, organizationId);
  return readOrder(d1, organizationId, id);
}

type ManagerMove = Extract<OrderStatus, 'approved' | 'cancelled' | 'closed'>;

/**
 * Moves an order of the caller's organization to `to` (the workflow table decides whether it may go
 * there; 409 otherwise), audited with the caller and the note, and returns it as it is now. Before a
 * close, deliveries the gateways scanned in are matched first, so an order just received can close.
 */
async function moveOrder(
  c: Context<HubEnv>,
  to: ManagerMove,
  id: string,
  note?: string,
  belowMinimum = false,
) {
  const user = currentUser(c);
  await (to === 'closed' ? freshOrder : readOrder)(c.env.DB, user.organizationId, id);
  await transition(c.env.DB, id, to, userActor(user.userId), { note: note ?? null, belowMinimum });
  return readOrder(c.env.DB, user.organizationId, id);
}

/** An order of the caller's organization with the bar and supplier it is between, for the exports. */
async function orderWithParties(c: Context<HubEnv>, id: string) {
  const { organizationId } = currentUser(c);
  const order = await readOrder(c.env.DB, organizationId, id);
  return { order, parties: await orderParties(c.env.DB, organizationId, order.locationId) };
}

const attachment = (orderId: string, extension: string, contentType: string) => ({
  'content-type': contentType,
  'content-disposition': `attachment; filename="order-${orderId}.${extension}"`,
});

function statusRoute(path: string, summary: string, body: z.ZodType = noteSchema) {
  return route({
    method: 'post',
    path,
    tag: 'ordering',
    summary,
    access: { kind: 'user', right: 'orders:approve' },
    body,
    response: purchaseOrderSchema,
  });
}

export const ordersRoutes = new Hono<HubEnv>()
  .get(
    '/orders',
    route({
      method: 'get',
      path: '/orders',
      tag: 'ordering',
      summary:
        'Purchase orders (newest first, up to 200), by bar and status, with lines, reasons and audit trail',
      access: { kind: 'user', right: 'orders:read' },
      query: orderListQuerySchema,
      response: orderListSchema,
    }),
    valid('query', orderListQuerySchema),
    async (c) => {
      const user = currentUser(c);
      await matchBeforeRead(c.env.DB, user.organizationId);
      return c.json(await readOrders(c.env.DB, user.organizationId, c.req.valid('query')), 200);
    },
  )
  .post(
    '/orders/draft',
    route({
      method: 'post',
      path: '/orders/draft',
      tag: 'ordering',
      summary: "Draft orders for a bar now from its forecasts and stock (replaces the bar's earlier drafts)",
      access: { kind: 'user', right: 'orders:draft' },
      query: draftQuerySchema,
      response: draftAnswerSchema,
      status: 201,
    }),
    valid('query', draftQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(
        openDb(c.env.DB),
        user.organizationId,
        c.req.valid('query').locationId,
      );
      const result = await draftOrders(c.env.DB, user.organizationId, location.id, userActor(user.userId));
      const orders = await Promise.all(
        result.orderIds.map((id) => readOrder(c.env.DB, user.organizationId, id)),
      );
      return c.json({ orders, autoApproved: result.autoApproved, replaced: result.replaced }, 201);
    },
  )
  .get(
    '/orders/:id',
    route({
      method: 'get',
      path: '/orders/:id',
      tag: 'ordering',
      summary: 'One purchase order with its lines, reasons, receipts and audit trail',
      access: { kind: 'user', right: 'orders:read' },
      response: purchaseOrderSchema,
    }),
    valid('param', idParam),
    async (c) =>
      c.json(await freshOrder(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id), 200),
  )
  .patch(
    '/orders/:id/lines/:lineId',
    route({
      method: 'patch',
      path: '/orders/:id/lines/:lineId',
      tag: 'ordering',
      summary: 'Change the cases of a draft line (0 removes it)',
      access: { kind: 'user', right: 'orders:draft' },
      body: linePatchSchema,
      response: purchaseOrderSchema,
    }),
    valid('param', lineParamSchema),
    valid('json', linePatchSchema),
    async (c) => {
      const user = currentUser(c);
      const { id, lineId } = c.req.valid('param');
      await editDraftLine(c.env.DB, user.organizationId, id, lineId, c.req.valid('json').cases);
      return c.json(await readOrder(c.env.DB, user.organizationId, id), 200);
    },
  )
  .post(
    '/orders/:id/approve',
    statusRoute(
      '/orders/:id/approve',
      "Approve a draft order (422 when it has no lines, or is below the supplier's minimum without belowMinimum: true)",
      approveSchema,
    ),
    valid('param', idParam),
    valid('json', approveSchema),
    async (c) => {
      const { note, belowMinimum } = c.req.valid('json');
      return c.json(await moveOrder(c, 'approved', c.req.valid('param').id, note, belowMinimum), 200);
    },
  )
  .post(
    '/orders/:id/cancel',
    statusRoute(
      '/orders/:id/cancel',
      'Cancel a draft, approved or sent order (a sent one with the reason in note, e.g. the supplier cannot deliver; nothing is sent to the supplier)',
    ),
    valid('param', idParam),
    valid('json', noteSchema),
    async (c) =>
      c.json(await moveOrder(c, 'cancelled', c.req.valid('param').id, c.req.valid('json').note), 200),
  )
  .post(
    '/orders/:id/close',
    statusRoute(
      '/orders/:id/close',
      'Close a received (or partially received, accepting the shortfall) order',
    ),
    valid('param', idParam),
    valid('json', noteSchema),
    async (c) => c.json(await moveOrder(c, 'closed', c.req.valid('param').id, c.req.valid('json').note), 200),
  )
  .post(
    '/orders/:id/send',
    route({
      method: 'post',
      path: '/orders/:id/send',
      tag: 'ordering',
      summary:
        'Send an approved order once: by email to the supplier (PDF and CSV attached) or marked sent by hand',
      access: { kind: 'user', right: 'orders:send' },
      body: sendRequestSchema,
      response: purchaseOrderSchema,
    }),
    valid('param', idParam),
    valid('json', sendRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const { id } = c.req.valid('param');
      const email = emailSenderFromEnv(c.env as EmailBindings);
      await sendOrder(
        c.env.DB,
        user.organizationId,
        id,
        c.req.valid('json').via,
        userActor(user.userId),
        email,
      );
      return c.json(await readOrder(c.env.DB, user.organizationId, id), 200);
    },
  )
  .post(
    '/orders/:id/receipts',
    route({
      method: 'post',
      path: '/orders/:id/receipts',
      tag: 'ordering',
      summary:
        'Record what arrived against an order (adds receive events to the ledger); flags short, over, substituted, price changed',
      access: { kind: 'user', right: 'orders:receive' },
      body: receiptRequestSchema,
      response: receiptAnswerSchema,
      status: 201,
    }),
    valid('param', idParam),
    valid('json', receiptRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const { id } = c.req.valid('param');
      await readOrder(c.env.DB, user.organizationId, id);
      await receiveManually(
        c.env.DB,
        { organizationId: user.organizationId, orderId: id, userId: user.userId },
        c.req.valid('json').lines,
      );
      const order = await readOrder(c.env.DB, user.organizationId, id);
      return c.json(
        {
          orderId: order.id,
          status: order.status,
          lines: order.lines.map((l) => ({
            itemId: l.itemId,
            itemName: l.itemName,
            quantity: l.quantity,
            receivedQuantity: l.receivedQuantity,
            flags: l.flags,
          })),
          substitutions: order.substitutions,
        },
        201,
      );
    },
  )
  .get(
    '/orders/:id/export.csv',
    route({
      method: 'get',
      path: '/orders/:id/export.csv',
      tag: 'ordering',
      summary: 'The purchase order as CSV (text/csv)',
      access: { kind: 'user', right: 'orders:read' },
    }),
    valid('param', idParam),
    async (c) => {
      const { order, parties } = await orderWithParties(c, c.req.valid('param').id);
      return c.body(
        orderCsv(order, parties.bar),
        200,
        attachment(order.id, 'csv', 'text/csv; charset=utf-8'),
      );
    },
  )
  .get(
    '/orders/:id/export.pdf',
    route({
      method: 'get',
      path: '/orders/:id/export.pdf',
      tag: 'ordering',
      summary: 'The purchase order as PDF (application/pdf)',
      access: { kind: 'user', right: 'orders:read' },
    }),
    valid('param', idParam),
    async (c) => {
      const { order, parties } = await orderWithParties(c, c.req.valid('param').id);
      const pdf = await orderPdf(order, parties);
      return c.body(pdf.slice().buffer as ArrayBuffer, 200, attachment(order.id, 'pdf', 'application/pdf'));
    },
  );
