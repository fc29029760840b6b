import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { call, createItem, createLocation, freshHub } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { candidateAlerts } from './evaluate.ts';

/**
 * Low stock against a stored forecast on the real D1: 3 bottles of vodka (2100 ml) above its 1400 ml par,
 * a supplier delivering in 2 days, and a forecast of 1200 ml a day (P90 over 2 days well above 2100 ml).
 */
let owner: string;
let organizationId: string;
let locationId: string;
let vodkaId: string;
const NOW = new Date('2026-04-01T12:00:00Z');

async function forecast(meanPerDay: number) {
  const days = Array.from({ length: 14 }, (_, i) => ({
    date: `2026-04-${String(i + 1).padStart(2, '0')}`,
    mean: meanPerDay,
    p10: meanPerDay * 0.6,
    p50: meanPerDay,
    p90: meanPerDay * 1.4,
  }));
  await openDb(env.DB).run(
    sql`INSERT INTO forecasts (location_id, item_id, organization_id, run_id, start_date, history_end_date, observed_days,
          model, components, days, totals, dispersion, correlation, cold_start, created_at)
        VALUES (${locationId}, ${vodkaId}, ${organizationId}, 'run-1', '2026-04-01', '2026-03-31', 56, 'test', '[]',
                ${JSON.stringify(days)}, '[]', 0.1, 0.2, 0, ${NOW.toISOString()})
        ON CONFLICT (location_id, item_id) DO UPDATE SET days = excluded.days`,
  );
}

beforeAll(async () => {
  const session = await freshHub();
  owner = session.token;
  organizationId = session.user.organizationId;
  locationId = await createLocation(owner, 'Harbour Bar');
  vodkaId = (await createItem(owner, { name: 'Vodka', parLevelMl: 1400 })).id;
  const counted = await call('POST', `/locations/${locationId}/adjustments`, {
    token: owner,
    json: { itemId: vodkaId, sealedContainers: 3, openMl: 0, reason: 'opening stock' },
  });
  expect(counted.status).toBeLessThan(300);
  const supplier = await call('POST', '/suppliers', { token: owner, json: { name: 'Harbour Drinks' } });
  expect(supplier.status).toBe(201);
  const offer = await call('POST', `/suppliers/${supplier.body.id}/offers`, {
    token: owner,
    json: { itemId: vodkaId, price: 15, caseSize: 6, leadTimeDays: 2 },
  });
  expect(offer.status).toBe(201);
});

const lowStock = async () =>
  (await candidateAlerts(env.DB, organizationId, NOW)).candidates.filter((c) => c.rule === 'low_stock');

describe('low stock with forecasts', () => {
  it('is quiet above par without a forecast', async () => {
    expect(await lowStock()).toEqual([]);
  });

  it('warns that stock runs out before the next delivery when the forecast P90 over the lead time says so', async () => {
    await forecast(1200);
    const [alert] = await lowStock();
    expect(alert).toMatchObject({
      severity: 'critical',
      title: 'Vodka runs out before the next delivery at Harbour Bar',
    });
    expect(alert!.body).toMatch(
      /^2\.1 l on hand and 0 l arriving; up to \d+(\.\d+)? l may be used in the 2 day\(s\)/,
    );
  });

  it('is quiet when the forecast demand fits in the stock', async () => {
    await forecast(300);
    expect(await lowStock()).toEqual([]);
  });
});
