import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import {
  barSettingsSchema,
  periodQuerySchema,
  pourCostQuerySchema,
  pourCostReportSchema,
  varianceReportSchema,
  wasteReportSchema,
  wasteRequestSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { hasRight } from '../auth/rights.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { pourCostReport, soldInPeriod } from '../recipes/pour-cost.ts';
import { listMenuItems } from '../recipes/recipes.ts';
import { logWaste, wasteReport } from '../waste/waste.ts';
import { readSettings, writeSettings } from './settings.ts';
import { stationRoutes } from './station-routes.ts';
import { varianceReport } from './variance-report.ts';

const periodQuery = periodQuerySchema.omit({ locationId: true });
const settingsPatch = barSettingsSchema.partial();

function period(query: { from: string; to: string }) {
  if (new Date(query.from) >= new Date(query.to)) {
    throw new AppError(400, 'invalid_request', 'invalid query', ['query.to: must be after from']);
  }
  return query;
}

export const varianceRoutes = new Hono<HubEnv>()
  .get(
    '/locations/:id/variance',
    route({
      method: 'get',
      path: '/locations/:id/variance',
      tag: 'variance',
      summary:
        'Expected vs measured usage per item with its uncertainty band, flagged and ranked; weekly trend (money only with costs:read)',
      access: { kind: 'user', right: 'variance:read' },
      query: periodQuery,
      response: varianceReportSchema,
    }),
    valid('param', idParam),
    valid('query', periodQuery),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const { from, to } = period(c.req.valid('query'));
      const settings = await readSettings(c.env.DB, user.organizationId);
      const scope = { organizationId: user.organizationId, locationId: location.id, from, to };
      return c.json(await varianceReport(c.env.DB, scope, settings, hasRight(user.role, 'costs:read')), 200);
    },
  )
  .get(
    '/locations/:id/waste',
    route({
      method: 'get',
      path: '/locations/:id/waste',
      tag: 'waste',
      summary: 'Waste in a period by reason and item (cost only with costs:read)',
      access: { kind: 'user', right: 'waste:read' },
      query: periodQuery,
      response: wasteReportSchema,
    }),
    valid('param', idParam),
    valid('query', periodQuery),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const { from, to } = period(c.req.valid('query'));
      const scope = { organizationId: user.organizationId, locationId: location.id, from, to };
      return c.json(await wasteReport(c.env.DB, scope, hasRight(user.role, 'costs:read')), 200);
    },
  )
  .post(
    '/locations/:id/waste',
    route({
      method: 'post',
      path: '/locations/:id/waste',
      tag: 'waste',
      summary: 'Log waste (spill, breakage, comp, spoiled): a waste ledger event',
      access: { kind: 'user', right: 'waste:write' },
      body: wasteRequestSchema,
      status: 204,
    }),
    valid('param', idParam),
    valid('json', wasteRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const scope = { organizationId: user.organizationId, locationId: location.id, userId: user.userId };
      await logWaste(c.env.DB, scope, c.req.valid('json'));
      return c.body(null, 204);
    },
  )
  .get(
    '/pour-cost',
    route({
      method: 'get',
      path: '/pour-cost',
      tag: 'variance',
      summary:
        "Pour cost per menu item and category vs the category's target (or the default band), categories weighted by what was sold in the period (default the last 28 days), with the price that would hit the target",
      access: { kind: 'user', right: 'costs:read' },
      query: pourCostQuerySchema,
      response: pourCostReportSchema,
    }),
    valid('query', pourCostQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const query = c.req.valid('query');
      const to = new Date(query.to ?? Date.now()).toISOString();
      const from = new Date(query.from ?? Date.parse(to) - 28 * 86_400_000).toISOString();
      period({ from, to });
      const locationId = query.locationId
        ? (await getLocation(openDb(c.env.DB), user.organizationId, query.locationId)).id
        : null;
      const results = await openDb(c.env.DB).all<{ id: string; per_ml: number }>(
        sql`SELECT id, cost * 1.0 / container_ml AS per_ml FROM items WHERE organization_id = ${user.organizationId}`,
      );
      const costs = new Map(results.map((row) => [row.id, row.per_ml]));
      const menu = await listMenuItems(c.env.DB, user.organizationId);
      const scope = { organizationId: user.organizationId, locationId, from, to };
      const sold = await soldInPeriod(c.env.DB, scope);
      const settings = await readSettings(c.env.DB, user.organizationId);
      return c.json(pourCostReport(menu, costs, sold, settings, scope), 200);
    },
  )
  .get(
    '/settings/bar',
    route({
      method: 'get',
      path: '/settings/bar',
      tag: 'variance',
      summary: 'Variance tolerances, measurement errors, pour-cost target',
      access: { kind: 'user', right: 'costs:read' },
      response: barSettingsSchema,
    }),
    async (c) => c.json(await readSettings(c.env.DB, currentUser(c).organizationId), 200),
  )
  .patch(
    '/settings/bar',
    route({
      method: 'patch',
      path: '/settings/bar',
      tag: 'variance',
      summary: 'Set tolerances and targets',
      access: { kind: 'user', right: 'settings:write' },
      body: settingsPatch,
      response: barSettingsSchema,
    }),
    validPatch(settingsPatch),
    async (c) =>
      c.json(await writeSettings(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 200),
  )
  .route('/', stationRoutes);
