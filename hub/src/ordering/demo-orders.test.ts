import { describe, expect, it } from 'vitest';
import { call, emptyDatabase, login, viaWorker } from '../../test/helpers.ts';
import { seedDemo } from '../demo/seed-demo.ts';

describe('the demo bar', () => {
  it('has forecasts and a draft order a manager can approve, through the API the start script calls', async () => {
    await emptyDatabase();
    const seed = await seedDemo('http://hub.test', undefined, { fetch: viaWorker });
    const { token } = await login(seed.credentials.manager.email, seed.credentials.manager.password);

    const run = await call('POST', '/forecasts/run', { token });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ finished: true, seriesFailed: 0 });
    expect(run.body.seriesDone).toBe(seed.items.length);
    const forecasts = await call('GET', `/forecasts?locationId=${seed.locationId}`, { token });
    expect(forecasts.body.forecasts).toHaveLength(seed.items.length);

    const drafted = await call('POST', `/orders/draft?locationId=${seed.locationId}`, { token });
    expect(drafted.status).toBe(201);
    expect(drafted.body.orders.length).toBeGreaterThan(0);
    for (const order of drafted.body.orders) {
      expect(order.lines.length).toBeGreaterThan(0);
      for (const line of order.lines) expect(line.reason).toMatch(/^\d+ cases? of \d+: below catalog par /);
    }
    const [first] = drafted.body.orders;
    const approved = await call('POST', `/orders/${first.id}/approve`, { token, json: {} });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });
});
