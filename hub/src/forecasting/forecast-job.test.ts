import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StockEventInput } from '@pourcast/protocol';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { loadDemand } from '../demand/demand-history.ts';
import { loadNeeds } from '../ordering/load-needs.ts';
import { dateOf, dayNumber, weekdayOf } from './calendar.ts';
import { nightlyTick } from './nightly-job.ts';
import { totalQuantiles } from './quantiles.ts';

/** 70 trading days of history, 2025-12-22 … 2026-03-01 (a Sunday); 2026-02-10 the gateway was off. */
const FIRST = dayNumber('2025-12-22');
const LAST = dayNumber('2026-03-01');
const OFF_DAY = '2026-02-10';
const at = (day: number, hour: number, minute = 0) =>
  new Date(Date.UTC(1970, 0, 1 + day, hour, minute)).toISOString();

let token: string;
let locationId: string;
const ids = {} as Record<'gin' | 'rum' | 'newbie' | 'wine', string>;
let gateway: { gatewayId: string; token: string };
let seq = 0;

async function send(events: (Pick<StockEventInput, 'locationId' | 'itemId'> & Partial<StockEventInput>)[]) {
  const list = events.map((fields) => event(gateway.gatewayId, ++seq, fields));
  for (let i = 0; i < list.length; i += 1000) {
    const slice = list.slice(i, i + 1000);
    const answer = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, slice[0]!.seq, slice),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

const pour = (itemId: string, observedAt: string) => ({
  locationId,
  itemId,
  kind: 'pour' as const,
  deltaMl: -30,
  observedAt,
});

/** Gin: 4 pours a day, 10 on Fridays and Saturdays (4 of them after midnight); rum 2 a day; newbie from day 65. */
function dayOfPours(day: number) {
  const out = [];
  const weekend = weekdayOf(day) === 4 || weekdayOf(day) === 5;
  for (let k = 0; k < (weekend ? 6 : 4); k++) out.push(pour(ids.gin, at(day, 18 + k)));
  if (weekend) for (let k = 0; k < 4; k++) out.push(pour(ids.gin, at(day + 1, 1, k * 10)));
  out.push(pour(ids.rum, at(day, 19)), pour(ids.rum, at(day, 21)));
  if (day > LAST - 5) for (let k = 0; k < 3; k++) out.push(pour(ids.newbie, at(day, 20, k)));
  return out;
}

beforeAll(async () => {
  token = (await freshHub()).token;
  locationId = await createLocation(token);
  for (const name of ['gin', 'rum', 'newbie'] as const) ids[name] = (await createItem(token, { name })).id;
  ids.wine = (await createItem(token, { name: 'wine', category: 'wine', containerMl: 750 })).id;
  const supplier = await call('POST', '/suppliers', { token, json: { name: 'Harbour' } });
  await call('POST', `/suppliers/${supplier.body.id}/offers`, {
    token,
    json: { itemId: ids.gin, price: 20, caseSize: 6, leadTimeDays: 2 },
  });
  gateway = await claimGateway(token, locationId);
  const events = [];
  for (let day = FIRST; day <= LAST; day++) if (dateOf(day) !== OFF_DAY) events.push(...dayOfPours(day));
  await send(events);
});

const forecastRows = () =>
  openDb(env.DB).all<{ item_id: string; run_id: string; created_at: string }>(
    sql`SELECT item_id, run_id, created_at FROM forecasts ORDER BY item_id`,
  );

describe('demand history', () => {
  it('sums usage per trading day (after-midnight pours count for the evening) and marks the off day missing', async () => {
    const demand = await loadDemand(env.DB, {
      locationId,
      timezone: 'UTC',
      itemIds: [ids.gin, ids.wine],
      endDate: dateOf(LAST),
      days: 70,
      now: new Date('2026-03-02T12:00:00Z'),
    });
    const gin = demand.get(ids.gin)!;
    const value = (date: string) => gin.values[dayNumber(date) - FIRST];
    expect(gin.startDate).toBe('2025-12-22');
    expect(value('2026-02-27')).toBe(300); // a Friday: 6 evening + 4 after-midnight pours
    expect(value('2026-02-28')).toBe(300);
    expect(value('2026-02-23')).toBe(120); // a Monday
    expect(value(OFF_DAY)).toBeNull();
    expect(gin.observedDays).toBe(69);
    const wine = demand.get(ids.wine)!;
    expect(wine.values[0]).toBe(0); // measured, nothing poured: zero, not missing
    expect(wine.values[dayNumber(OFF_DAY) - FIRST]).toBeNull();
  });
});

describe('the nightly cron job', () => {
  it('forecasts in resumable chunks, one cursor step per chunk, then stops', async () => {
    const now = new Date('2026-03-02T12:00:00Z');
    const first = await nightlyTick(env.DB, { now, chunksPerTick: 1, chunkSeries: 3 });
    expect(first).toEqual({ runs: ['cron-2026-03-01-UTC'], finishedNightly: false });
    const run = await openDb(env.DB).get<any>(
      sql`SELECT * FROM forecast_runs WHERE id = ${'cron-2026-03-01-UTC'}`,
    );
    expect(run).toMatchObject({ series_done: 3, finished_at: null });
    expect(await forecastRows()).toHaveLength(3);
    const orders = () => call('GET', `/orders?locationId=${locationId}`, { token });
    expect((await orders()).body).toEqual([]);

    const second = await nightlyTick(env.DB, { now, chunksPerTick: 1, chunkSeries: 3 });
    expect(second.finishedNightly).toBe(true);
    const done = await openDb(env.DB).get<any>(
      sql`SELECT * FROM forecast_runs WHERE id = ${'cron-2026-03-01-UTC'}`,
    );
    expect(done.series_done).toBe(4);
    expect(done.finished_at).not.toBeNull();
    const rows = await forecastRows();
    expect(rows).toHaveLength(4);
    // The tick that finished the run drafted orders from the fresh forecasts: gin, the one item on offer.
    const [draft] = (await orders()).body;
    expect(draft).toMatchObject({ status: 'draft', history: [{ actorKind: 'system', toStatus: 'draft' }] });
    expect(draft.lines).toHaveLength(1);
    expect(draft.lines[0].reason).toMatch(/^1 case of 6: 9-day P95 demand [\d.]+ bottles, on hand 0 bottles/);

    // A later tick the same day finds the run finished and rewrites nothing.
    expect(await nightlyTick(env.DB, { now })).toEqual({ runs: [], finishedNightly: false });
    expect(await forecastRows()).toEqual(rows);
  });

  it('stores 14 daily quantiles, 7/14-day totals, the model and its backtest; served by GET /forecasts', async () => {
    const answer = await call('GET', `/forecasts?locationId=${locationId}&itemId=${ids.gin}`, { token });
    expect(answer.status).toBe(200);
    const [gin] = answer.body.forecasts;
    expect(gin).toMatchObject({
      itemId: ids.gin,
      unit: 'ml',
      startDate: '2026-03-02',
      historyEndDate: '2026-03-01',
      observedDays: 69,
      coldStart: false,
    });
    expect(gin.days).toHaveLength(14);
    expect(gin.totals.map((t: { days: number }) => t.days)).toEqual([7, 14]);
    expect(gin.backtest.windows).toBeGreaterThan(0);
    const friday = gin.days.find((d: { date: string }) => d.date === '2026-03-06');
    const monday = gin.days.find((d: { date: string }) => d.date === '2026-03-02');
    expect(friday.mean).toBeGreaterThan(2 * monday.mean);
    for (const d of gin.days) expect(d.p10 <= d.p50 && d.p50 <= d.p90).toBe(true);
  });

  it('gives the ordering rules the spread stored with the forecast, NB1 or NB2', async () => {
    const db = openDb(env.DB);
    const row = await db.get<{ organization_id: string; days: string; correlation: number }>(
      sql`SELECT organization_id, days, correlation FROM forecasts WHERE item_id = ${ids.gin}`,
    );
    const means = (JSON.parse(row!.days) as { mean: number }[]).map((d) => d.mean);
    const p90 = async () => {
      // On the forecast's first day (its days from the bar's trading day on count as demand).
      const needs = await loadNeeds(
        env.DB,
        row!.organization_id,
        locationId,
        new Date('2026-03-02T12:00:00Z'),
      );
      return needs.find((n) => n.itemId === ids.gin)!.outlook!.quantile(14, 0.9);
    };
    const expected = (power: 1 | 2) =>
      totalQuantiles(means, { dispersion: 0.3, power }, row!.correlation, [0.9]).quantiles[0];
    expect(expected(1)).not.toBe(expected(2));
    for (const power of [1, 2] as const) {
      await db.run(
        sql`UPDATE forecasts SET dispersion = 0.3, dispersion_power = ${power} WHERE item_id = ${ids.gin}`,
      );
      expect(await p90()).toBe(expected(power));
    }
  });

  it("cold-starts a new item on its category's weekday shape at the bar", async () => {
    const answer = await call('GET', `/forecasts?locationId=${locationId}&itemId=${ids.newbie}`, { token });
    const [newbie] = answer.body.forecasts;
    expect(newbie).toMatchObject({ coldStart: true, model: 'cold-start', observedDays: 69 });
    // Spirits at this bar over the 10 weeks: Fridays 10 × (gin 300 + rum 60) + newbie's one Friday 90 = 3690 ml,
    // Mondays 10 × (120 + 60) = 1800 ml. The new item borrows that shape: Friday / Monday = 3690 / 1800.
    const mean = (date: string) => newbie.days.find((d: { date: string }) => d.date === date).mean;
    expect(mean('2026-03-06') / mean('2026-03-02')).toBeCloseTo(3690 / 1800, 9);
  });

  it("scores yesterday's forecasts on the next run and reports RMSSE, SPL and hit rates", async () => {
    await send(dayOfPours(LAST + 1).filter((e) => e.observedAt < '2026-03-03T06:00:00.000Z'));
    await nightlyTick(env.DB, { now: new Date('2026-03-03T12:00:00Z') });
    const scores = await openDb(env.DB).all<any>(
      sql`SELECT * FROM forecast_scores WHERE item_id = ${ids.gin}`,
    );
    expect(scores).toHaveLength(1);
    expect(scores[0]).toMatchObject({ date: '2026-03-02', actual: 120 });

    const accuracy = await call('GET', `/forecasts/accuracy?locationId=${locationId}`, { token });
    expect(accuracy.status).toBe(200);
    expect(accuracy.body.bar.days).toBe(4);
    const gin = accuracy.body.items.find((i: { itemId: string }) => i.itemId === ids.gin);
    const s = scores[0];
    expect(gin.rmsse).toBeCloseTo(Math.abs(s.actual - s.mean) / Math.sqrt(s.scale2), 9);
    expect([0, 1]).toContain(gin.belowP10);
    const listed = await call('GET', `/forecasts?locationId=${locationId}&itemId=${ids.gin}`, { token });
    expect(listed.body.forecasts[0].accuracy.days).toBe(1);
    expect(listed.body.forecasts[0].startDate).toBe('2026-03-03');
  });

  it('validates its query: path: message lines', async () => {
    const answer = await call('GET', '/forecasts', { token });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatch(/^query\.locationId: /);
  });
});
