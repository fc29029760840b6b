import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
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
import { dateOf, dayNumber, weekdayOf } from '../forecasting/calendar.ts';
import { nightlyTick } from '../forecasting/nightly-job.ts';

/**
 * Weather reaches the nightly forecast: a terrace bar pours twice as much lager on hot days (every third
 * day, whatever the weekday); with the weather API configured, the next hot day is forecast well above a
 * cool one on the same weekday. The API answer is Open-Meteo-shaped and served by an injected fetch.
 */
const NOW = new Date('2026-03-02T12:00:00Z');
const TODAY = dayNumber('2026-03-02');
const FIRST = TODAY - 92;
const LAST = TODAY - 1;
const hot = (day: number) => day % 3 === 0;

let owner: string;
let locationId: string;
let lagerId: string;

function openMeteoAnswer(pastDays: number) {
  const days = Array.from({ length: pastDays + 16 }, (_, i) => TODAY - pastDays + i);
  return {
    latitude: 38.72,
    longitude: -9.14,
    timezone: 'UTC',
    daily_units: { time: 'iso8601', temperature_2m_max: '°C', precipitation_sum: 'mm' },
    daily: {
      time: days.map(dateOf),
      temperature_2m_max: days.map((d) => (hot(d) ? 30 : 12)),
      precipitation_sum: days.map(() => 0),
    },
  };
}

beforeAll(async () => {
  owner = (await freshHub()).token;
  locationId = await createLocation(owner, 'Terrace');
  lagerId = (await createItem(owner, { name: 'Lager' })).id;
  const gateway = await claimGateway(owner, locationId);
  const events: StockEventInput[] = [];
  let seq = 0;
  for (let day = FIRST; day <= LAST; day++) {
    for (let k = 0; k < (hot(day) ? 8 : 4); k++) {
      const observedAt = new Date(Date.UTC(1970, 0, 1 + day, 17, k * 5)).toISOString();
      events.push(
        event(gateway.gatewayId, ++seq, { locationId, itemId: lagerId, deltaMl: -500, observedAt }),
      );
    }
  }
  const answer = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, 1, events),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  await call('PATCH', `/locations/${locationId}/calendar`, {
    token: owner,
    json: { latitude: 38.72, longitude: -9.14 },
  });
});

const forecastDays = async () => {
  const answer = await call('GET', `/forecasts?locationId=${locationId}&itemId=${lagerId}`, { token: owner });
  expect(answer.status).toBe(200);
  return answer.body.forecasts[0].days as { date: string; mean: number }[];
};

describe('the weather regressor in the nightly job', () => {
  // A hot and a cool day one week apart in the horizon (same weekday).
  const hotDay = [TODAY + 1, TODAY + 2, TODAY + 3].find(hot)!;
  const coolDay = hotDay + 7;

  it('is absent without a weather API: a hot and a cool day of the same weekday are forecast alike', async () => {
    await nightlyTick(env.DB, { now: NOW, fetch: async () => Response.json(openMeteoAnswer(92)) });
    const days = await forecastDays();
    const mean = (day: number) => days.find((d) => d.date === dateOf(day))!.mean;
    expect(weekdayOf(hotDay)).toBe(weekdayOf(coolDay));
    expect(hot(coolDay)).toBe(false);
    expect(mean(hotDay) / mean(coolDay)).toBeGreaterThan(0.8);
    expect(mean(hotDay) / mean(coolDay)).toBeLessThan(1.25);
  });

  it('lifts the hot day when configured', async () => {
    const asked: string[] = [];
    const fetch = async (url: string) => (asked.push(url), Response.json(openMeteoAnswer(92)));
    // The same night again from scratch (a run is opened once per date), now with the weather API configured.
    await openDb(env.DB).run(sql`DELETE FROM forecast_runs`);
    await nightlyTick(env.DB, {
      now: NOW,
      fetch,
      weather: { url: 'https://weather.example.org/v1/forecast' },
    });
    expect(asked).toHaveLength(1);
    const days = await forecastDays();
    const mean = (day: number) => days.find((d) => d.date === dateOf(day))!.mean;
    // Hot days pour 4000 ml, cool ones 2000 ml: the forecast should see most of that factor of 2.
    expect(mean(hotDay) / mean(coolDay)).toBeGreaterThan(1.5);
    expect(mean(hotDay)).toBeLessThan(4800);
  });
});
