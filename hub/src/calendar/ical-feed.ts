import { type SQL, sql } from 'drizzle-orm';
import { tradingDayOf } from '../demand/business-day.ts';
import { newId, openDb, runBatch } from '../db/client.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import { HISTORY_DAYS, HORIZON_DAYS } from '../forecasting/forecast-chunk.ts';
import { parseIcal } from './ical.ts';

/** The fetch the hub reads feeds with; a test passes a recorded response here (the third-party boundary). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface FeedRefreshOptions {
  fetch?: FetchLike;
  now?: Date;
  /** Feeds read per cron tick (each is one subrequest). Default 10. */
  maxFeeds?: number;
}

/** A feed larger than this is refused (a city calendar is tens of kB). */
export const MAX_FEED_BYTES = 2_000_000;
/**
 * Days past the forecast horizon a recurring event's occurrences are stored for, so the horizon stays
 * covered while a feed cannot be read for a few weeks (yesterday's events are kept then).
 */
export const FEED_SLACK_DAYS = 31;

interface FeedRow {
  location_id: string;
  organization_id: string;
  ical_url: string;
  ical_fetched_on: string | null;
  timezone: string;
}

/**
 * Reads each bar's iCalendar feed at most once per local day: the feed's events replace the previous ones
 * in one batch. A feed that cannot be fetched or read keeps yesterday's events and records why.
 */
export async function refreshCalendarFeeds(d1: D1Database, options: FeedRefreshOptions = {}) {
  const now = options.now ?? new Date();
  const fetcher = options.fetch ?? fetch;
  const results = await openDb(d1).all<FeedRow>(
    sql`SELECT c.location_id, c.organization_id, c.ical_url, c.ical_fetched_on, l.timezone
          FROM location_calendars c JOIN locations l ON l.id = c.location_id
         WHERE c.ical_url IS NOT NULL ORDER BY c.ical_fetched_on IS NOT NULL, c.ical_fetched_on, c.location_id`,
  );
  let fetched = 0;
  const outcome: { locationId: string; events: number; error: string | null }[] = [];
  for (const row of results) {
    const today = tradingDayOf(row.timezone, now);
    if (row.ical_fetched_on === today) continue;
    if (fetched >= (options.maxFeeds ?? 10)) break;
    fetched++;
    const result = await readFeed(fetcher, row.ical_url, row.timezone, today);
    const writes: SQL[] = [];
    if (result.days) {
      writes.push(
        sql`DELETE FROM location_events WHERE location_id = ${row.location_id} AND source = 'ical'`,
      );
      for (const day of result.days) {
        writes.push(
          sql`INSERT INTO location_events (id, organization_id, location_id, date, name, kind, source, uid)
                VALUES (${newId()}, ${row.organization_id}, ${row.location_id}, ${day.date}, ${day.name}, ${day.kind}, 'ical', ${day.uid})`,
        );
      }
    }
    writes.push(
      sql`UPDATE location_calendars SET ical_fetched_on = ${today}, ical_error = ${result.error} WHERE location_id = ${row.location_id}`,
    );
    await runBatch(d1, writes);
    outcome.push({ locationId: row.location_id, events: result.days?.length ?? 0, error: result.error });
  }
  return outcome;
}

async function readFeed(fetcher: FetchLike, url: string, timeZone: string, today: string) {
  // A URL stored before feeds had to be https is not read: an http answer can be altered on the way.
  if (!url.startsWith('https://')) return { days: null, error: 'feed: not https; set an https URL' };
  try {
    const response = await fetcher(url, {
      headers: { accept: 'text/calendar' },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) return { days: null, error: `feed: HTTP ${response.status}` };
    if (response.url && !response.url.startsWith('https://')) {
      return { days: null, error: 'feed: redirected to a URL that is not https' };
    }
    const text = await response.text();
    if (text.length > MAX_FEED_BYTES)
      return { days: null, error: `feed: larger than ${MAX_FEED_BYTES} bytes` };
    if (!text.includes('BEGIN:VCALENDAR')) return { days: null, error: 'feed: not an iCalendar file' };
    // Recurring events count on the days the forecast looks at: its history (from the day before the
    // engine's first) to its horizon and a slack.
    const { days, problems } = parseIcal(text, {
      timeZone,
      from: dateOf(dayNumber(today) - HISTORY_DAYS - 1),
      to: dateOf(dayNumber(today) + HORIZON_DAYS + FEED_SLACK_DAYS),
    });
    return { days, error: problems.length ? problems.slice(0, 5).join('\n') : null };
  } catch (error) {
    return { days: null, error: `feed: ${(error as Error).message}` };
  }
}
