import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
} from '../../test/helpers.ts';
import {
  lastCompleteTradingDay,
  tradingDayModifier,
  tradingDayOf,
  utcOffsetMinutes,
} from './business-day.ts';
import { forecastSeries } from '../forecasting/engine.ts';
import { loadDemand } from './demand-history.ts';

describe('trading days', () => {
  it('run 06:00 to 06:00 in the bar’s zone', () => {
    const summer = new Date('2026-07-04T08:30:00Z'); // 01:30 in Los Angeles (UTC−7): still Friday's night
    expect(utcOffsetMinutes('America/Los_Angeles', summer)).toBe(-420);
    expect(tradingDayOf('America/Los_Angeles', summer)).toBe('2026-07-03');
    expect(tradingDayModifier('America/Los_Angeles', summer)).toBe('-780 minutes');
    expect(lastCompleteTradingDay('Europe/Paris', new Date('2026-01-10T04:30:00Z'))).toBe('2026-01-08'); // 05:30 in Paris
    expect(tradingDayOf('Not/AZone', summer)).toBe('2026-07-04'); // unknown zone: UTC
  });
});

describe('loadDemand', () => {
  it('marks the days a lost seq range touches as missing, not zero', async () => {
    const { token } = await freshHub();
    const locationId = await createLocation(token);
    const gin = (await createItem(token)).id;
    const gw = await claimGateway(token, locationId);
    const pour = (seq: number, day: number) =>
      event(gw.gatewayId, seq, { locationId, itemId: gin, observedAt: `2026-01-0${day}T20:00:00.000Z` });
    const post = (fromSeq: number, events: ReturnType<typeof pour>[]) =>
      call('POST', `/gateways/${gw.gatewayId}/events`, {
        token: gw.token,
        json: batch(gw.gatewayId, fromSeq, events),
      });
    // Days 1-2 arrive; seqs 3-5 (days 3-5) are lost for good; days 6-7 arrive.
    expect((await post(1, [pour(1, 1), pour(2, 2)])).status).toBe(200);
    const ack = await post(6, [pour(6, 6), pour(7, 7)]);
    expect(ack.body.gaps).toEqual([{ fromSeq: 3, toSeq: 5 }]);
    const demand = await loadDemand(env.DB, {
      locationId,
      timezone: 'UTC',
      itemIds: [gin],
      endDate: '2026-01-08',
      days: 8,
      now: new Date('2026-01-09T12:00:00Z'),
    });
    // Day 2 (last event before the gap) to day 6 (first after) are uncertain; day 8 had no gateway report.
    expect(demand.get(gin)).toEqual({
      startDate: '2026-01-01',
      values: [30, null, null, null, null, null, 30, null],
      observedDays: 2,
      outOfStockDays: 0,
    });
  });
});

describe('loadDemand: days out of stock', () => {
  async function bar() {
    const { token } = await freshHub();
    const locationId = await createLocation(token);
    const gw = await claimGateway(token, locationId);
    let seq = 0;
    const send = async (events: Omit<Parameters<typeof event>[2], 'locationId'>[]) => {
      const stamped = events.map((fields) => event(gw.gatewayId, ++seq, { locationId, ...fields }));
      const answer = await call('POST', `/gateways/${gw.gatewayId}/events`, {
        token: gw.token,
        json: batch(gw.gatewayId, stamped[0]!.seq, stamped),
      });
      expect(answer.status).toBe(200);
    };
    const demand = (itemIds: string[], endDate: string, days: number) =>
      loadDemand(env.DB, {
        locationId,
        timezone: 'UTC',
        itemIds,
        endDate,
        days,
        now: new Date(`${endDate}T23:00:00Z`),
      });
    return { token, send, demand };
  }
  const at = (day: number, time = '20:00') =>
    new Date(Date.UTC(2026, 0, day) + Date.parse(`1970-01-01T${time}:00Z`)).toISOString();
  const receive = (itemId: string, day: number, bottles: number, time = '15:00') => ({
    itemId,
    kind: 'receive' as const,
    deltaMl: 700 * bottles,
    containersDelta: bottles,
    source: 'scanner' as const,
    observedAt: at(day, time),
  });
  const pour = (itemId: string, day: number, ml: number) => ({ itemId, deltaMl: -ml, observedAt: at(day) });

  it('reads a day the bar had none of an item and sold none as missing, not zero', async () => {
    const { token, send, demand } = await bar();
    const gin = (await createItem(token)).id; // 700 ml: under 21 ml is none
    const vodka = (await createItem(token, { name: 'Vodka' })).id;
    const rum = (await createItem(token, { name: 'Rum' })).id;
    await send([
      receive(gin, 1, 1),
      pour(gin, 1, 230),
      pour(gin, 2, 230),
      pour(gin, 3, 230), // runs out on day 3 with 10 ml left: that day keeps what it sold
      // Days 4-6 the gateway reports (vodka pours, from a ledger that never saw a delivery), no gin.
      pour(vodka, 4, 30),
      pour(vodka, 5, 30),
      pour(vodka, 6, 30),
      receive(gin, 7, 1, '16:00'), // back before the evening: day 7 is a day it could sell
      pour(gin, 7, 100),
      pour(vodka, 8, 30),
    ]);
    const history = await demand([gin, vodka, rum], '2026-01-08', 8);
    expect(history.get(gin)).toMatchObject({
      values: [230, 230, 230, null, null, null, 100, 0],
      observedDays: 5,
      outOfStockDays: 3,
    });
    // Vodka's ledger is below zero (a delivery it missed): its quiet days are zeros. Rum has no stock
    // tracked at all: zeros.
    expect(history.get(vodka)).toMatchObject({ values: [0, 0, 0, 30, 30, 30, 0, 30], outOfStockDays: 0 });
    expect(history.get(rum)).toMatchObject({
      values: [0, 0, 0, 0, 0, 0, 0, 0],
      observedDays: 8,
      outOfStockDays: 0,
    });
  });

  it('keeps an item that ran out forecast at the demand it had, so the order restocks it', async () => {
    const { token, send, demand } = await bar();
    const gin = (await createItem(token)).id;
    const tonic = (await createItem(token, { name: 'Tonic' })).id;
    // 7 bottles poured at 100 ml a night run out after 49 nights; 14 more nights the bar is without.
    await send([receive(gin, 1, 7), ...Array.from({ length: 49 }, (_, d) => pour(gin, d + 1, 100))]);
    await send(Array.from({ length: 14 }, (_, d) => pour(tonic, d + 50, 200)));
    const history = (await demand([gin], '2026-03-04', 63)).get(gin)!;
    expect(history.outOfStockDays).toBe(14);
    expect(history.values.slice(-14)).toEqual(Array(14).fill(null));
    const restocked = forecastSeries(history);
    const zeros = forecastSeries({ ...history, values: history.values.map((v) => v ?? 0) });
    const week = (f: typeof restocked) => f.totals[0]!.mean;
    expect(week(restocked)).toBeGreaterThan(600); // about 700 ml a week, as before it ran out
    expect(week(zeros)).toBeLessThan(300); // what the zeros alone would have said
  });
});
