import { Hono } from 'hono';
import { eventBatchAckSchema, eventBatchSchema } from '@pourcast/protocol';
import { currentGateway } from '../auth/guards.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { applyEventBatch } from './apply-batch.ts';

export const ingestRoutes = new Hono<HubEnv>().post(
  '/gateways/:id/events',
  route({
    method: 'post',
    path: '/gateways/:id/events',
    tag: 'ingest',
    summary: "A gateway's batch of stock events, applied once per seq; answers the contiguous ack",
    access: { kind: 'gateway' },
    body: eventBatchSchema,
    response: eventBatchAckSchema,
  }),
  valid('json', eventBatchSchema),
  async (c) => c.json(await applyEventBatch(c.env.DB, currentGateway(c), c.req.valid('json')), 200),
);
