import { env } from 'cloudflare:workers';
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
  otherOrganization,
  staff,
} from '../../test/helpers.ts';
import { dateOf, dayNumber, weekdayOf } from '../forecasting/calendar.ts';
import { nightlyTick } from '../forecasting/nightly-job.ts';
import { RECORDED_OPEN_METEO } from '../weather/open-meteo-fixture.ts';
import { loadWeather } from '../weather/weather-cache.ts';
import { RECORDED_ICS } from './ical-fixture.ts';

/**
 * A bar's calendar on the real D1: events a manager enters feed the nightly forecast (a quiz night every
 * other Wednesday triples gin pours, so the next one is forecast high); the iCalendar feed and the weather
 * API are read through an injected fetch with recorded answers, at most once per bar per day.
 */
const FIRST = dayNumber('2025-12-22');
const LAST = dayNumber('2026-03-01');
const QUIZ_NIGHTS = ['2026-01-14', '2026-01-28', '2026-02-11', '2026-02-25'];
const NEXT_QUIZ = '2026-03-11';
const PLAIN_WEDNESDAY = '2026-03-04';
const NOW = new Date('2026-03-02T12:00:00Z');

let owner: string;
let manager: string;
let bartender: string;
let locationId: string;
let ginId: string;
let seq = 0;

interface Recorded {
  urls: string[];
  fetch: (url: string) => Promise<Response>;
}
/** A fetch that answers from a recorded body and remembers what it was asked. */
function recorded(answer: () => Response): Recorded {
  const urls: string[] = [];
  return { urls, fetch: async (url: string) => (urls.push(url), answer()) };
}
const noNetwork = recorded(() => {
  throw new Error('no network in this test');
});

beforeAll(async () => {
  const session = await freshHub();
  owner = session.token;
  manager = (await staff(owner, 'manager')).token;
  bartender = (await staff(owner, 'bartender')).token;
  locationId = await createLocation(owner);
  ginId = (await createItem(owner, { name: 'Gin' })).id;
  const gateway = await claimGateway(owner, locationId);
  const events: StockEventInput[] = [];
  for (let day = FIRST; day <= LAST; day++) {
    const pours = QUIZ_NIGHTS.includes(dateOf(day)) ? 12 : 4;
    for (let k = 0; k < pours; k++) {
      const observedAt = new Date(Date.UTC(1970, 0, 1 + day, 18, k * 4)).toISOString();
      events.push(event(gateway.gatewayId, ++seq, { locationId, itemId: ginId, deltaMl: -30, observedAt }));
    }
  }
  for (let i = 0; i < events.length; i += 1000) {
    const slice = events.slice(i, i + 1000);
    const answer = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, slice[0]!.seq, slice),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
});

describe('events a manager enters', () => {
  it('are added, listed by date and validated with path: message lines', async () => {
    for (const date of [...QUIZ_NIGHTS, NEXT_QUIZ].reverse()) {
      const answer = await call('POST', `/locations/${locationId}/events`, {
        token: manager,
        json: { date, name: 'Quiz night' },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ date, name: 'Quiz night', kind: 'event', source: 'manual' });
    }
    const list = await call('GET', `/locations/${locationId}/events?from=2026-02-01`, { token: bartender });
    expect(list.status).toBe(200);
    expect(list.body.events.map((e: { date: string }) => e.date)).toEqual([
      '2026-02-11',
      '2026-02-25',
      NEXT_QUIZ,
    ]);
    const bad = await call('POST', `/locations/${locationId}/events`, {
      token: manager,
      json: { date: '2026-13-01', name: '', kind: 'party' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      expect.stringMatching(/^body\.date: /),
      expect.stringMatching(/^body\.name: /),
      expect.stringMatching(/^body\.kind: /),
    ]);
  });

  it('are deleted by a manager, and refused to a bartender and to another organization', async () => {
    const added = await call('POST', `/locations/${locationId}/events`, {
      token: manager,
      json: { date: '2026-03-06', name: 'Staff party', kind: 'holiday' },
    });
    expect(
      (
        await call('POST', `/locations/${locationId}/events`, {
          token: bartender,
          json: { date: '2026-03-06', name: 'x' },
        })
      ).status,
    ).toBe(403);
    const stranger = await otherOrganization();
    expect((await call('GET', `/locations/${locationId}/events`, { token: stranger.token })).status).toBe(
      404,
    );
    expect(
      (await call('DELETE', `/locations/${locationId}/events/${added.body.id}`, { token: stranger.token }))
        .status,
    ).toBe(404);
    expect(
      (await call('DELETE', `/locations/${locationId}/events/${added.body.id}`, { token: manager })).status,
    ).toBe(204);
    expect(
      (await call('DELETE', `/locations/${locationId}/events/${added.body.id}`, { token: manager })).status,
    ).toBe(404);
  });

  it('reach the nightly forecast: the next quiz night is forecast about three times a plain Wednesday', async () => {
    expect(weekdayOf(dayNumber(NEXT_QUIZ))).toBe(2);
    expect(weekdayOf(dayNumber(PLAIN_WEDNESDAY))).toBe(2);
    await nightlyTick(env.DB, { now: NOW, fetch: noNetwork.fetch });
    const answer = await call('GET', `/forecasts?locationId=${locationId}&itemId=${ginId}`, {
      token: manager,
    });
    expect(answer.status).toBe(200);
    const days: { date: string; p50: number; mean: number }[] = answer.body.forecasts[0].days;
    const mean = (date: string) => days.find((d) => d.date === date)!.mean;
    // Plain days pour 120 ml; quiz nights 360 ml: uplift (4·360 + 20) / (4·120 + 20) = 2.92 after shrinkage.
    expect(mean(PLAIN_WEDNESDAY)).toBeGreaterThan(100);
    expect(mean(PLAIN_WEDNESDAY)).toBeLessThan(140);
    expect(mean(NEXT_QUIZ) / mean(PLAIN_WEDNESDAY)).toBeGreaterThan(2.5);
    expect(mean(NEXT_QUIZ) / mean(PLAIN_WEDNESDAY)).toBeLessThan(3.3);
    expect(noNetwork.urls).toEqual([]);
  });
});

describe("a bar's iCalendar feed", () => {
  let feedBar: string;
  beforeAll(async () => {
    feedBar = await createLocation(owner, 'Old Town');
    const set = await call('PATCH', `/locations/${feedBar}/calendar`, {
      token: manager,
      json: { icalUrl: 'https://calendar.example.org/old-town.ics' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      icalUrl: 'https://calendar.example.org/old-town.ics',
      icalFetchedOn: null,
    });
  });

  it('is read once a day on the cron tick and its events listed as feed events', async () => {
    const feed = recorded(() => new Response(RECORDED_ICS, { headers: { 'content-type': 'text/calendar' } }));
    await nightlyTick(env.DB, { now: NOW, fetch: feed.fetch });
    await nightlyTick(env.DB, { now: new Date(NOW.getTime() + 600_000), fetch: feed.fetch });
    expect(feed.urls).toEqual(['https://calendar.example.org/old-town.ics']);
    const list = await call('GET', `/locations/${feedBar}/events`, { token: bartender });
    expect(
      list.body.events.map((e: { date: string; name: string; source: string }) => [e.date, e.source]),
    ).toEqual([
      ['2026-05-04', 'ical'],
      ['2026-05-09', 'ical'],
      ['2026-05-15', 'ical'],
      ['2026-05-16', 'ical'],
      ['2026-05-20', 'ical'],
    ]);
    const settings = await call('GET', `/locations/${feedBar}/calendar`, { token: bartender });
    expect(settings.body).toMatchObject({ icalFetchedOn: '2026-03-02' });
    expect(settings.body.icalError).toMatch(/^VEVENT 6: DTSTART: /);
    const deleted = await call('DELETE', `/locations/${feedBar}/events/${list.body.events[0].id}`, {
      token: manager,
    });
    expect(deleted.status).toBe(409);
    expect(deleted.body.error.code).toBe('feed_event');
  });

  it('keeps yesterday’s events when the feed fails the next day, and says why', async () => {
    const down = recorded(() => new Response('upstream down', { status: 503 }));
    await nightlyTick(env.DB, { now: new Date('2026-03-03T12:00:00Z'), fetch: down.fetch });
    expect(down.urls).toHaveLength(1);
    const settings = await call('GET', `/locations/${feedBar}/calendar`, { token: manager });
    expect(settings.body).toMatchObject({ icalFetchedOn: '2026-03-03', icalError: 'feed: HTTP 503' });
    expect((await call('GET', `/locations/${feedBar}/events`, { token: manager })).body.events).toHaveLength(
      5,
    );
  });

  it('removes its events when the URL is cleared; rejects a URL that is not http(s)', async () => {
    const bad = await call('PATCH', `/locations/${feedBar}/calendar`, {
      token: manager,
      json: { icalUrl: 'file:///etc/passwd' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatch(/^body\.icalUrl: /);
    const cleared = await call('PATCH', `/locations/${feedBar}/calendar`, {
      token: manager,
      json: { icalUrl: null },
    });
    expect(cleared.body).toMatchObject({ icalUrl: null, icalFetchedOn: null, icalError: null });
    expect((await call('GET', `/locations/${feedBar}/events`, { token: manager })).body.events).toEqual([]);
  });
});

describe('a feed over http or with recurring events', () => {
  let quizBar: string;
  const RECURRING_ICS = [
    'BEGIN:VCALENDAR',
    'BEGIN:VEVENT',
    'UID:quiz@quiz-bar',
    'DTSTART;TZID=Europe/London:20200107T193000',
    'RRULE:FREQ=WEEKLY',
    'SUMMARY:Quiz night',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:payday@quiz-bar',
    'DTSTART;VALUE=DATE:20260130',
    'RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
    'SUMMARY:Payday',
    'END:VEVENT',
    'END:VCALENDAR',
  ].join('\r\n');
  beforeAll(async () => {
    quizBar = await createLocation(owner, 'Quiz bar');
  });

  it('refuses an http feed URL with a 422 that says why, keeping the settings', async () => {
    const answer = await call('PATCH', `/locations/${quizBar}/calendar`, {
      token: manager,
      json: { icalUrl: 'http://calendar.example.org/quiz.ics' },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({
      code: 'feed_not_https',
      message: 'the iCalendar feed must be an https URL: a feed read over http can be altered on the way',
    });
    const settings = await call('GET', `/locations/${quizBar}/calendar`, { token: manager });
    expect(settings.body.icalUrl).toBeNull();
  });

  it('does not read an http URL stored before feeds had to be https', async () => {
    await env.DB.prepare(
      `INSERT INTO location_calendars (location_id, organization_id, ical_url, updated_at)
         SELECT id, organization_id, 'http://calendar.example.org/quiz.ics', '2026-01-01T00:00:00Z' FROM locations WHERE id = ?`,
    )
      .bind(quizBar)
      .run();
    const feed = recorded(() => new Response(RECURRING_ICS));
    await nightlyTick(env.DB, { now: NOW, fetch: feed.fetch });
    expect(feed.urls).toEqual([]);
    const settings = await call('GET', `/locations/${quizBar}/calendar`, { token: manager });
    expect(settings.body).toMatchObject({
      icalFetchedOn: '2026-03-02',
      icalError: 'feed: not https; set an https URL',
    });
  });

  it('stores a weekly event on each of its days from the forecast history to past its horizon', async () => {
    await call('PATCH', `/locations/${quizBar}/calendar`, {
      token: manager,
      json: { icalUrl: 'https://calendar.example.org/quiz.ics' },
    });
    const feed = recorded(() => new Response(RECURRING_ICS));
    await nightlyTick(env.DB, { now: new Date('2026-03-02T13:00:00Z'), fetch: feed.fetch });
    expect(feed.urls).toEqual(['https://calendar.example.org/quiz.ics']);
    const list = await call('GET', `/locations/${quizBar}/events`, { token: manager });
    const events: { date: string; name: string }[] = list.body.events;
    // Today 2026-03-02: from 2024-03-01 (731 days before) to 2026-04-16 (14 + 31 days after); the Tuesdays
    // in it run from 2024-03-05 to 2026-04-14, 111 of them. Payday's BYSETPOS counts on its first date only.
    const quiz = events.filter((e) => e.name === 'Quiz night').map((e) => e.date);
    expect(quiz).toHaveLength(111);
    expect([quiz[0], quiz[1], quiz.at(-1)]).toEqual(['2024-03-05', '2024-03-12', '2026-04-14']);
    expect(events.filter((e) => e.name === 'Payday').map((e) => e.date)).toEqual(['2026-01-30']);
    const settings = await call('GET', `/locations/${quizBar}/calendar`, { token: manager });
    expect(settings.body.icalError).toBe(
      'VEVENT 2: RRULE: BYSETPOS is not supported; counted on its first date only',
    );
  });

  it('does not read a feed redirected to http, and says why', async () => {
    await call('PATCH', `/locations/${quizBar}/calendar`, {
      token: manager,
      json: { icalUrl: 'https://calendar.example.org/moved.ics' },
    });
    // The URL a fetch answers with after following redirects (a Response built here has none of its own).
    const feed = recorded(() =>
      Object.defineProperty(new Response(RECURRING_ICS), 'url', {
        value: 'http://calendar.example.org/moved.ics',
      }),
    );
    await nightlyTick(env.DB, { now: new Date('2026-03-02T14:00:00Z'), fetch: feed.fetch });
    expect(feed.urls).toEqual(['https://calendar.example.org/moved.ics']);
    const settings = await call('GET', `/locations/${quizBar}/calendar`, { token: manager });
    expect(settings.body.icalError).toBe('feed: redirected to a URL that is not https');
    // Stop reading it, so later ticks in this file fetch only what they mean to.
    await call('PATCH', `/locations/${quizBar}/calendar`, { token: manager, json: { icalUrl: null } });
  });
});

describe('weather', () => {
  let weatherBar: string;
  const config = { url: 'https://weather.example.org/v1/forecast', apiKey: 'test-weather-key' };
  beforeAll(async () => {
    weatherBar = await createLocation(owner, 'Riverside');
    await call('PATCH', `/locations/${weatherBar}/calendar`, {
      token: manager,
      json: { latitude: 51.5, longitude: -0.12 },
    });
  });

  it('is not fetched when no weather API is configured', async () => {
    const api = recorded(() => Response.json(RECORDED_OPEN_METEO));
    await nightlyTick(env.DB, { now: NOW, fetch: api.fetch });
    expect(api.urls).toEqual([]);
    expect(await loadWeather(env.DB, weatherBar, '2026-02-01', '2026-03-16')).toBeUndefined();
  });

  it('is fetched once per bar per day, cached, and served as the regressor series', async () => {
    const api = recorded(() => Response.json(RECORDED_OPEN_METEO));
    await nightlyTick(env.DB, { now: NOW, fetch: api.fetch, weather: config });
    await nightlyTick(env.DB, { now: new Date(NOW.getTime() + 600_000), fetch: api.fetch, weather: config });
    expect(api.urls).toHaveLength(1);
    const url = new URL(api.urls[0]!);
    expect(url.origin + url.pathname).toBe(config.url);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      latitude: '51.5',
      longitude: '-0.12',
      daily: 'temperature_2m_max,precipitation_sum',
      past_days: '92',
      apikey: 'test-weather-key',
    });
    expect(await loadWeather(env.DB, weatherBar, '2026-02-28', '2026-03-05')).toEqual({
      startDate: '2026-02-28',
      values: [11.2, 12.6, null, 8.4, 7.9, null],
    });
    const settings = await call('GET', `/locations/${weatherBar}/calendar`, { token: manager });
    expect(settings.body).toMatchObject({ weatherFetchedOn: '2026-03-02', weatherError: null });
  });

  it('records a malformed answer as path: message lines without the key, keeping the cache', async () => {
    const api = recorded(() =>
      Response.json({ daily: { time: ['2026-03-03'], temperature_2m_max: ['warm'] } }),
    );
    await nightlyTick(env.DB, { now: new Date('2026-03-03T12:00:00Z'), fetch: api.fetch, weather: config });
    expect(new URL(api.urls[0]!).searchParams.get('past_days')).toBe('1');
    const settings = await call('GET', `/locations/${weatherBar}/calendar`, { token: manager });
    expect(settings.body.weatherError).toMatch(/^daily\.temperature_2m_max\.0: /m);
    expect(settings.body.weatherError).toMatch(/^daily\.precipitation_sum: /m);
    expect(settings.body.weatherError).not.toContain('test-weather-key');
    expect((await loadWeather(env.DB, weatherBar, '2026-02-28', '2026-03-05'))!.values).toHaveLength(6);
  });
});
