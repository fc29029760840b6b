import { DAY_START_HOUR, tradingDayOf } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';

/** One day an iCalendar event touches, as the forecast sees it. */
export interface IcalEventDay {
  uid: string;
  date: string;
  name: string;
  kind: 'holiday' | 'event';
}

export interface IcalParseOptions {
  /** The bar's time zone: UTC times (`...Z`) are placed on its trading days. */
  timeZone: string;
  /** A longer event is read as a season, not an event, and skipped. Default 14 days. */
  maxDays?: number;
}

export interface IcalParseResult {
  days: IcalEventDay[];
  /** `VEVENT n: message` lines for events that could not be read (skipped, not fatal). */
  problems: string[];
}

/**
 * A small RFC 5545 reader for what the forecast needs: each VEVENT's DTSTART, DTEND (or DURATION-less
 * one-day default), SUMMARY, UID and CATEGORIES. Lines are unfolded first (RFC 5545 §3.1: a CRLF followed
 * by a space or tab continues the line). All-day events (`VALUE=DATE`) cover DTSTART up to, not including,
 * DTEND (§3.6.1); timed events count on the bar's trading day they start in (06:00-06:00, like demand).
 * Recurrence rules (RRULE) are not expanded: feeds of public holidays list each occurrence.
 */
export function parseIcal(text: string, options: IcalParseOptions): IcalParseResult {
  const lines = text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const days: IcalEventDay[] = [];
  const problems: string[] = [];
  let current: Map<string, { params: string; value: string }> | null = null;
  let count = 0;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') {
      current = new Map();
      count++;
      continue;
    }
    if (line === 'END:VEVENT' && current) {
      try {
        days.push(...eventDays(current, count, options));
      } catch (error) {
        problems.push(`VEVENT ${count}: ${(error as Error).message}`);
      }
      current = null;
      continue;
    }
    if (!current) continue;
    const property = /^([A-Za-z-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (property && !current.has(property[1]!.toUpperCase())) {
      current.set(property[1]!.toUpperCase(), { params: property[2]!.toUpperCase(), value: property[3]! });
    }
  }
  return { days, problems };
}

function eventDays(
  props: Map<string, { params: string; value: string }>,
  index: number,
  options: IcalParseOptions,
): IcalEventDay[] {
  if (props.get('STATUS')?.value.toUpperCase() === 'CANCELLED') return [];
  const start = props.get('DTSTART');
  if (!start) throw new Error('DTSTART: missing');
  const name = unescapeText(props.get('SUMMARY')?.value ?? '').trim() || 'event';
  const uid = props.get('UID')?.value ?? `event-${index}`;
  const categories = unescapeText(props.get('CATEGORIES')?.value ?? '').toLowerCase();
  const kind = /holiday/.test(categories) ? 'holiday' : 'event';
  const first = localDay(start, options.timeZone, 'DTSTART');
  const end = props.get('DTEND');
  let last = first.day;
  if (end) {
    const stop = localDay(end, options.timeZone, 'DTEND');
    // An all-day DTEND is exclusive; a timed event ending before 06:00 next day stays on its trading day.
    last = stop.allDay ? stop.day - 1 : stop.day;
    if (last < first.day) last = first.day;
  }
  if (last - first.day + 1 > (options.maxDays ?? 14)) return [];
  const out: IcalEventDay[] = [];
  for (let day = first.day; day <= last; day++) out.push({ uid, date: dateOf(day), name, kind });
  return out;
}

/** A DATE or DATE-TIME value as the bar's trading day number. */
function localDay(prop: { params: string; value: string }, timeZone: string, field: string) {
  const value = prop.value.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) return { day: dayNumber(`${date[1]}-${date[2]}-${date[3]}`), allDay: true };
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!time) throw new Error(`${field}: not an iCalendar date or date-time: ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s, utc] = time;
  if (utc) {
    const at = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!));
    return { day: dayNumber(tradingDayOf(timeZone, at)), allDay: false };
  }
  // Floating or TZID-local time: its own wall clock, on the trading day it falls in.
  const day = dayNumber(`${y}-${mo}-${d}`);
  return { day: Number(h) < DAY_START_HOUR ? day - 1 : day, allDay: false };
}

/** RFC 5545 §3.3.11 TEXT escapes. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}
