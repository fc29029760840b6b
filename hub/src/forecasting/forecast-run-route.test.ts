import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call, createItem, createLocation, freshHub, otherOrganization, staff } from '../../test/helpers.ts';
import { DEFAULT_CHUNK_SERIES } from './forecast-runs.ts';
import { MANUAL_RUN_CHUNKS } from './forecasts-routes.ts';
import { nightlyTick } from './nightly-job.ts';

describe('POST /forecasts/run', () => {
  it('forecasts a big organization within the request’s share, answers 202, and the cron finishes it', async () => {
    const { token } = await freshHub();
    const perRequest = MANUAL_RUN_CHUNKS * DEFAULT_CHUNK_SERIES; // 200 series
    const bars = await Promise.all([1, 2, 3, 4, 5].map(() => createLocation(token)));
    for (let i = 0; i < 41; i++) await createItem(token); // 5 bars × 41 items = 205 series
    const series = bars.length * 41;
    expect(series).toBeGreaterThan(perRequest);

    const started = await call('POST', '/forecasts/run', { token });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({
      runId: started.body.runId,
      seriesDone: perRequest,
      seriesFailed: 0,
      finished: false,
    });
    const progress = () => call('GET', `/forecasts/runs/${started.body.runId}`, { token });
    expect((await progress()).body).toMatchObject({ seriesDone: perRequest, finished: false });

    // The next cron tick carries the run on to its end.
    await nightlyTick(env.DB, { now: new Date() });
    expect((await progress()).body).toEqual({ ...started.body, seriesDone: series, finished: true });

    // Runs are the organization's own; a bartender may not start one.
    const other = await otherOrganization();
    expect((await call('GET', `/forecasts/runs/${started.body.runId}`, { token: other.token })).status).toBe(
      404,
    );
    const bartender = await staff(token, 'bartender');
    expect((await call('POST', '/forecasts/run', { token: bartender.token })).status).toBe(403);
  });

  it('answers 200 with the run finished when the organization fits in one request', async () => {
    const { token } = await freshHub();
    await createLocation(token);
    await createItem(token);
    const run = await call('POST', '/forecasts/run', { token });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ seriesDone: 1, finished: true });
  });
});
