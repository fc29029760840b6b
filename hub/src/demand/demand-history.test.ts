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
    });
  });
});
