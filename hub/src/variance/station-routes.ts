import { Hono } from 'hono';
import {
  periodQuerySchema,
  stationListSchema,
  stationsRequestSchema,
  stationVarianceReportSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { hasRight } from '../auth/rights.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { readSettings } from './settings.ts';
import { stationVarianceReport } from './station-variance.ts';
import { listStations, replaceStations } from './stations.ts';

const periodQuery = periodQuerySchema.omit({ locationId: true });
const tag = 'variance';

/** Stations of a bar (devices and staff) and the variance per station. */
export const stationRoutes = new Hono<HubEnv>()
  .get(
    '/locations/:id/stations',
    route({
      method: 'get',
      path: '/locations/:id/stations',
      tag,
      summary: "The bar's stations with the devices standing at each and the staff who work it",
      access: { kind: 'user', right: 'variance:read' },
      response: stationListSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      return c.json({ stations: await listStations(c.env.DB, user.organizationId, location.id) }, 200);
    },
  )
  .post(
    '/locations/:id/stations',
    route({
      method: 'post',
      path: '/locations/:id/stations',
      tag,
      summary: "Replace the bar's stations: names (as the POS sends them), devices and staff",
      access: { kind: 'user', right: 'pos:manage' },
      body: stationsRequestSchema,
      response: stationListSchema,
    }),
    valid('param', idParam),
    valid('json', stationsRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const scope = { organizationId: user.organizationId, locationId: location.id };
      const stations = c.req.valid('json').stations.map((s) => ({
        name: s.name,
        deviceIds: s.deviceIds ?? [],
        userIds: s.userIds ?? [],
      }));
      return c.json({ stations: await replaceStations(c.env.DB, scope, stations) }, 200);
    },
  )
  .get(
    '/locations/:id/variance/stations',
    route({
      method: 'get',
      path: '/locations/:id/variance/stations',
      tag,
      summary:
        'Variance per station and item: sales rung up at the station vs what its devices measured (bartenders: their stations, no money)',
      access: { kind: 'user', right: 'variance:read' },
      query: periodQuery,
      response: stationVarianceReportSchema,
    }),
    valid('param', idParam),
    valid('query', periodQuery),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const { from, to } = c.req.valid('query');
      if (new Date(from) >= new Date(to))
        throw new AppError(400, 'invalid_request', 'invalid query', ['query.to: must be after from']);
      const withMoney = hasRight(user.role, 'costs:read');
      const scope = { organizationId: user.organizationId, locationId: location.id, from, to };
      const settings = await readSettings(c.env.DB, user.organizationId);
      const own = withMoney
        ? undefined
        : new Set(
            (await listStations(c.env.DB, user.organizationId, location.id))
              .filter((s) => s.userIds.includes(user.userId))
              .map((s) => s.id),
          );
      const report = await stationVarianceReport(c.env.DB, scope, settings, {
        withMoney,
        ...(own ? { onlyStationIds: own } : {}),
      });
      return c.json(report, 200);
    },
  );
