import { dateOf, dayNumber } from '../forecasting/calendar.ts';

/**
 * A bar's trading day runs from 06:00 to 06:00 local time, so the pours of a night out after midnight
 * belong to the evening they started (the day the manager means by "Friday").
 */
export const DAY_START_HOUR = 6;

/** The time zone's offset from UTC in minutes at `at` (e.g. -420 for Los Angeles in summer). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(at);
  } catch {
    return 0; // an unknown zone name: trade in UTC rather than fail the night's job
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((local - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The SQLite `date()` modifier that turns a UTC ISO time into its trading day at the bar, e.g.
 * `'-780 minutes'` for UTC-7. The offset is taken at `at` (the job's time): a daylight-saving change
 * moves a 06:00 boundary by an hour, when bars are closed.
 */
export function tradingDayModifier(timeZone: string, at: Date): string {
  return `${utcOffsetMinutes(timeZone, at) - DAY_START_HOUR * 60} minutes`;
}

/** The trading day in progress at the bar at `at` (YYYY-MM-DD). */
export function tradingDayOf(timeZone: string, at: Date): string {
  const minutes = utcOffsetMinutes(timeZone, at) - DAY_START_HOUR * 60;
  return new Date(at.getTime() + minutes * 60_000).toISOString().slice(0, 10);
}

/** The last complete trading day: the one before the day in progress. */
export function lastCompleteTradingDay(timeZone: string, at: Date): string {
  return dateOf(dayNumber(tradingDayOf(timeZone, at)) - 1);
}

/** UTC instant at which a trading day starts at the bar (for range filters on observed_at). */
export function tradingDayStartIso(timeZone: string, date: string, at: Date): string {
  const minutes = utcOffsetMinutes(timeZone, at) - DAY_START_HOUR * 60;
  return new Date(dayNumber(date) * 86_400_000 - minutes * 60_000).toISOString();
}
