import { Hono } from 'hono';
import {
  parseJsonMessage,
  recordIdSchema,
  saleIngestResultSchema,
  type SaleIngestResult,
} from '@pourcast/protocol';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { route } from '../http/route.ts';
import { claimEvent, findConnection, releaseEvent, type PosConnection } from './connections.ts';
import { recordSaleLines } from './record-sales.ts';
import {
  fetchSquareOrder,
  squareAdapter,
  squareEventSchema,
  squareOrderId,
  verifySquareSignature,
} from './square.ts';
import { tabitAdapter, tabitClosedCheckSchema, verifyTabitSignature } from './tabit.ts';

const MAX_BODY = 1_000_000;

async function rawBody(request: Request): Promise<string> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new AppError(413, 'too_large', 'webhook body over 1 MB');
  return text;
}

async function connectionFor(
  d1: D1Database,
  provider: 'tabit' | 'square',
  id: string,
): Promise<PosConnection> {
  // Unknown and malformed ids answer like a bad signature: nothing to learn about which ids exist.
  const connection = recordIdSchema.safeParse(id).success ? await findConnection(d1, provider, id) : null;
  if (!connection) throw new AppError(401, 'bad_signature', 'signature verification failed');
  return connection;
}

/** Runs `work` once per event id; a failure gives the id back so the POS's retry is processed. */
async function once(
  d1: D1Database,
  connection: PosConnection,
  eventId: string,
  work: () => Promise<SaleIngestResult>,
) {
  if (!(await claimEvent(d1, connection.id, eventId))) return { replay: true as const };
  try {
    return { replay: false as const, result: await work() };
  } catch (error) {
    await releaseEvent(d1, connection.id, eventId);
    throw error;
  }
}

const scopeOf = (connection: PosConnection) => ({
  organizationId: connection.organizationId,
  locationId: connection.locationId,
  provider: connection.provider,
});

/** POS webhooks: public routes whose credential is the request signature, checked before anything is parsed. */
export const webhookRoutes = new Hono<HubEnv>()
  .post(
    '/pos/webhooks/tabit/:id',
    route({
      method: 'post',
      path: '/pos/webhooks/tabit/:id',
      tag: 'pos',
      summary:
        'Tabit closed check (HMAC signature over timestamp + body; replays refused by window and event id)',
      access: { kind: 'public' },
      response: saleIngestResultSchema,
    }),
    async (c) => {
      const connection = await connectionFor(c.env.DB, 'tabit', c.req.param('id'));
      const body = await rawBody(c.req.raw);
      const check = await verifyTabitSignature(
        connection.signingKey,
        body,
        { signature: c.req.header('x-tabit-signature'), timestamp: c.req.header('x-tabit-timestamp') },
        new Date(),
      );
      if (!check.ok)
        throw new AppError(401, 'bad_signature', `signature verification failed: ${check.reason}`);
      const parsed = parseJsonMessage(tabitClosedCheckSchema, body);
      if (!parsed.ok)
        throw new AppError(
          400,
          'invalid_request',
          'invalid body',
          parsed.details.map((d) => `body.${d}`),
        );
      const outcome = await once(c.env.DB, connection, parsed.value.eventId, () =>
        recordSaleLines(c.env.DB, scopeOf(connection), tabitAdapter.toSaleLines(parsed.value)),
      );
      if (outcome.replay)
        throw new AppError(409, 'replay', `event ${parsed.value.eventId} was already accepted`);
      return c.json(outcome.result, 200);
    },
  )
  .post(
    '/pos/webhooks/square/:id',
    route({
      method: 'post',
      path: '/pos/webhooks/square/:id',
      tag: 'pos',
      summary:
        'Square order/payment/refund webhook (x-square-hmacsha256-signature); reads the order and records it',
      access: { kind: 'public' },
      response: saleIngestResultSchema,
    }),
    async (c) => {
      const connection = await connectionFor(c.env.DB, 'square', c.req.param('id'));
      const body = await rawBody(c.req.raw);
      const signed = await verifySquareSignature(
        connection.signingKey,
        connection.notificationUrl ?? '',
        body,
        c.req.header('x-square-hmacsha256-signature'),
      );
      if (!signed) throw new AppError(401, 'bad_signature', 'signature verification failed');
      const parsed = parseJsonMessage(squareEventSchema, body);
      if (!parsed.ok)
        throw new AppError(
          400,
          'invalid_request',
          'invalid body',
          parsed.details.map((d) => `body.${d}`),
        );
      const orderId = squareOrderId(parsed.value);
      const empty: SaleIngestResult = { lines: 0, recorded: 0, duplicates: 0, needsMapping: 0 };
      // Square expects a 2xx for events we do not use, or it retries them.
      if (!orderId) return c.json(empty, 200);
      const outcome = await once(c.env.DB, connection, parsed.value.event_id, async () => {
        let order;
        try {
          order = await fetchSquareOrder(
            connection.apiBaseUrl ?? 'https://connect.squareup.com',
            connection.accessToken ?? '',
            orderId,
          );
        } catch (error) {
          throw new AppError(
            502,
            'pos_unreachable',
            `could not read order ${orderId}: ${(error as Error).message}`,
          );
        }
        return recordSaleLines(c.env.DB, scopeOf(connection), squareAdapter.toSaleLines(order));
      });
      if (outcome.replay) return c.json(empty, 200);
      return c.json(outcome.result, 200);
    },
  );
