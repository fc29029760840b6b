import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { barAccuracy, listForecasts } from './forecast-queries.ts';
import { continueRun, organizationRun } from './forecast-runs.ts';
import {
  accuracyAnswerSchema,
  accuracyQuerySchema,
  forecastListSchema,
  forecastQuerySchema,
  forecastRunAnswerSchema,
} from './forecast-schemas.ts';

export const forecastsRoutes = new Hono<HubEnv>()
  .get(
    '/forecasts',
    route({
      method: 'get',
      path: '/forecasts',
      tag: 'forecasting',
      summary:
        'Daily P10/P50/P90 demand 14 days ahead per item at a bar, with the model and its recent accuracy',
      access: { kind: 'user', right: 'forecasts:read' },
      query: forecastQuerySchema,
      response: forecastListSchema,
    }),
    valid('query', forecastQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const query = c.req.valid('query');
      const location = await getLocation(openDb(c.env.DB), user.organizationId, query.locationId);
      const forecasts = await listForecasts(c.env.DB, user.organizationId, location.id, query.itemId);
      return c.json({ locationId: location.id, forecasts }, 200);
    },
  )
  .get(
    '/forecasts/accuracy',
    route({
      method: 'get',
      path: '/forecasts/accuracy',
      tag: 'forecasting',
      summary:
        "Yesterday's forecasts scored daily: RMSSE, scaled pinball loss, P10/P90 hit rates per item and bar",
      access: { kind: 'user', right: 'forecasts:read' },
      query: accuracyQuerySchema,
      response: accuracyAnswerSchema,
    }),
    valid('query', accuracyQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(
        openDb(c.env.DB),
        user.organizationId,
        c.req.valid('query').locationId,
      );
      return c.json(await barAccuracy(c.env.DB, user.organizationId, location.id), 200);
    },
  )
  .post(
    '/forecasts/run',
    route({
      method: 'post',
      path: '/forecasts/run',
      tag: 'forecasting',
      summary: "Run the nightly forecasting job now for the caller's organization (every bar, every item)",
      access: { kind: 'user', right: 'forecasts:run' },
      response: forecastRunAnswerSchema,
    }),
    async (c) => {
      const user = currentUser(c);
      const now = new Date();
      const run = await continueRun(c.env.DB, await organizationRun(c.env.DB, user.organizationId, now), {
        now,
      });
      return c.json(
        { runId: run.id, seriesDone: run.seriesDone, seriesFailed: run.seriesFailed, finished: run.finished },
        200,
      );
    },
  );
