import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { listAudit } from './audit-queries.ts';
import { auditPageSchema, auditQuerySchema } from './audit-schemas.ts';

export const auditRoutes = new Hono<HubEnv>().get(
  '/audit',
  route({
    method: 'get',
    path: '/audit',
    tag: 'audit',
    summary: 'The audit log: every change by a person or gateway, newest first (filters, cursor pages)',
    access: { kind: 'user', right: 'audit:read' },
    query: auditQuerySchema,
    response: auditPageSchema,
  }),
  valid('query', auditQuerySchema),
  async (c) =>
    c.json(await listAudit(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('query')), 200),
);
