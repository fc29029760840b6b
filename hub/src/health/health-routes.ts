import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { hubHealthSchema, type HubHealth } from '@pourcast/protocol';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';

/** Whether D1 answers a trivial query. */
async function databaseReachable(d1: D1Database): Promise<boolean> {
  try {
    return (await openDb(d1).get<{ one: number }>(sql`SELECT 1 AS one`))?.one === 1;
  } catch {
    return false;
  }
}

export const healthRoutes = new Hono<HubEnv>().get(
  '/health',
  route({
    method: 'get',
    path: '/health',
    tag: 'health',
    summary: 'Liveness and database reachability (no auth)',
    access: { kind: 'public' },
    response: hubHealthSchema,
  }),
  async (c) => {
    const reachable = await databaseReachable(c.env.DB);
    const health: HubHealth = {
      status: reachable ? 'ok' : 'degraded',
      time: new Date().toISOString(),
      database: { reachable },
    };
    return c.json(health, reachable ? 200 : 503);
  },
);
