import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { call, createItem, freshHub } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { nightlyTick } from './nightly-job.ts';

describe('the nightly runs, one per time zone', () => {
  it('forecast each bar once its trading day has closed there (06:00 local), from that day on', async () => {
    const { token } = await freshHub();
    const bar = async (name: string, timezone: string) =>
      (await call('POST', '/locations', { token, json: { name, timezone } })).body.id as string;
    const paris = await bar('Le Zinc', 'Europe/Paris');
    const losAngeles = await bar('The Copper Still', 'America/Los_Angeles');
    await createItem(token);
    const historyEnd = async (locationId: string) =>
      (
        await openDb(env.DB).get<{ history_end_date: string }>(
          sql`SELECT history_end_date FROM forecasts WHERE location_id = ${locationId}`,
        )
      )?.history_end_date;

    // 04:30 UTC: 05:30 in Paris, still Sunday night's trading; 20:30 Sunday in Los Angeles.
    const first = await nightlyTick(env.DB, { now: new Date('2026-03-02T04:30:00Z') });
    expect(first.runs.sort()).toEqual([
      'cron-2026-02-28-America/Los_Angeles',
      'cron-2026-02-28-Europe/Paris',
    ]);
    expect(await historyEnd(paris)).toBe('2026-02-28');
    expect(await historyEnd(losAngeles)).toBe('2026-02-28');

    // 05:30 UTC: 06:30 in Paris, Sunday has closed there: Paris is forecast from it; Los Angeles is not yet.
    const second = await nightlyTick(env.DB, { now: new Date('2026-03-02T05:30:00Z') });
    expect(second.runs).toEqual(['cron-2026-03-01-Europe/Paris']);
    expect(await historyEnd(paris)).toBe('2026-03-01');
    expect(await historyEnd(losAngeles)).toBe('2026-02-28');

    // 14:10 UTC: 06:10 in Los Angeles.
    const third = await nightlyTick(env.DB, { now: new Date('2026-03-02T14:10:00Z') });
    expect(third.runs).toEqual(['cron-2026-03-01-America/Los_Angeles']);
    expect(await historyEnd(losAngeles)).toBe('2026-03-01');
    // A later tick finds both runs done.
    expect(await nightlyTick(env.DB, { now: new Date('2026-03-02T14:20:00Z') })).toEqual({
      runs: [],
      finishedNightly: false,
    });
  });
});
