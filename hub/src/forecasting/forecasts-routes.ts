import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { barAccuracy, listForecasts } from './forecast-queries.ts';
import {
  continueRun,
  DEFAULT_CHUNK_SERIES,
  organizationRun,
  organizationRunState,
  type RunState,
} from './forecast-runs.ts';
import { idParam } from '../http/params.ts';
import { notFound } from '../http/app-error.ts';
import {
  accuracyAnswerSchema,
  accuracyQuerySchema,
  forecastListSchema,
  forecastQuerySchema,
  forecastRunAnswerSchema,
} from './forecast-schemas.ts';

/**
 * Chunks of series a manager's "forecast now" does inside its request (each chunk a D1 batch and a few ms
 * of engine CPU per series, the same chunks the cron does five to a tick); the cron tick goes on with the rest.
 */
export const MANUAL_RUN_CHUNKS = 5;

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
      summary: `Run the nightly forecasting job now for the caller's organization (every bar, every item). Up to ${MANUAL_RUN_CHUNKS * DEFAULT_CHUNK_SERIES} series are forecast within the request; a bigger organization's run answers 202 and the cron carries it on: follow it at GET /forecasts/runs/:id`,
      access: { kind: 'user', right: 'forecasts:run' },
      response: forecastRunAnswerSchema,
      accepted: forecastRunAnswerSchema,
    }),
    async (c) => {
      const user = currentUser(c);
      const now = new Date();
      const run = await continueRun(c.env.DB, await organizationRun(c.env.DB, user.organizationId, now), {
        now,
        maxChunks: MANUAL_RUN_CHUNKS,
      });
      return run.finished ? c.json(runAnswer(run), 200) : c.json(runAnswer(run), 202);
    },
  )
  .get(
    '/forecasts/runs/:id',
    route({
      method: 'get',
      path: '/forecasts/runs/:id',
      tag: 'forecasting',
      summary: "How far a forecasting run the caller's organization started has got",
      access: { kind: 'user', right: 'forecasts:run' },
      response: forecastRunAnswerSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const run = await organizationRunState(
        c.env.DB,
        currentUser(c).organizationId,
        c.req.valid('param').id,
      );
      if (!run) throw notFound('forecast run');
      return c.json(runAnswer(run), 200);
    },
  );

const runAnswer = (run: RunState) => ({
  runId: run.id,
  seriesDone: run.seriesDone,
  seriesFailed: run.seriesFailed,
  finished: run.finished,
});
