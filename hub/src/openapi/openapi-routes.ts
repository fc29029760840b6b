import { Hono } from 'hono';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { openApiDocument } from './document.ts';

export const openApiRoutes = new Hono<HubEnv>().get(
  '/openapi.json',
  route({
    method: 'get',
    path: '/openapi.json',
    tag: 'meta',
    summary: 'This document (OpenAPI 3.1, generated from the zod schemas)',
    access: { kind: 'public' },
  }),
  (c) => c.json(openApiDocument(), 200),
);
