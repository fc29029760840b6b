import { DAY_START_HOUR, tradingDayOf, utcOffsetMinutes } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import { DAY_MS, expandRule, parseRrule } from './ical-rrule.ts';

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
  /**
   * The trading days (YYYY-MM-DD, inclusive) a recurring event's occurrences are kept in; events without
   * RRULE/RDATE are kept whatever their date. Default: from the event's start, without end.
   */
  from?: string;
  to?: string;
  /** Most occurrences kept per recurring event; more are dropped and reported. Default 2,000. */
  maxOccurrences?: number;
}

export interface IcalParseResult {
  days: IcalEventDay[];
  /** `VEVENT n: message` lines for events that could not be read (skipped, not fatal). */
  problems: string[];
}

export const MAX_OCCURRENCES = 2000;

interface Property {
  params: string;
  value: string;
}
type Props = Map<string, Property[]>;
/** A date or time in the event's frame: wall-clock ms for all-day and local times, the instant for `Z`. */
type Frame = 'date' | 'local' | 'utc';
interface Moment {
  frame: Frame;
  ms: number;
  zone: string | null;
}

/**
 * A small RFC 5545 reader for what the forecast needs: each VEVENT's DTSTART, DTEND (or DURATION-less
 * one-day default), SUMMARY, UID and CATEGORIES. Lines are unfolded first (RFC 5545 §3.1: a CRLF followed
 * by a space or tab continues the line). All-day events (`VALUE=DATE`) cover DTSTART up to, not including,
 * DTEND (§3.6.1); timed events count on the bar's trading day they start in (06:00-06:00, like demand).
 * Recurring events (§3.8.5: RRULE, RDATE, EXDATE; a VEVENT with the same UID and a RECURRENCE-ID moves or
 * cancels one occurrence) count on each occurrence between `from` and `to`, expanded in the wall time of
 * DTSTART's zone (or in UTC when it ends in Z). A rule this reader does not support (see ical-rrule.ts) is
 * reported in `problems` and the event counts on its first date only.
 */
export function parseIcal(text: string, options: IcalParseOptions): IcalParseResult {
  const lines = text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]/g, '')
    .split('\n');
  const events: { index: number; props: Props }[] = [];
  let current: Props | null = null;
  let count = 0;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') {
      current = new Map();
      count++;
      continue;
    }
    if (line === 'END:VEVENT' && current) {
      events.push({ index: count, props: current });
      current = null;
      continue;
    }
    if (!current) continue;
    const property = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!property) continue;
    const name = property[1]!.toUpperCase();
    const list = current.get(name) ?? [];
    list.push({ params: property[2]!, value: property[3]! });
    current.set(name, list);
  }
  // Overrides (RECURRENCE-ID) by UID, for the recurring event they belong to.
  const recurring = new Set(
    events.filter((e) => !e.props.has('RECURRENCE-ID') && isRecurring(e.props)).map((e) => uidOf(e)),
  );
  const overrides = new Map<string, Property[]>();
  for (const event of events) {
    const id = one(event.props, 'RECURRENCE-ID');
    if (!id || !recurring.has(uidOf(event))) continue;
    overrides.set(uidOf(event), [...(overrides.get(uidOf(event)) ?? []), id]);
  }
  const days: IcalEventDay[] = [];
  const problems: string[] = [];
  for (const event of events) {
    try {
      const read = eventDays(event.props, event.index, options, overrides.get(uidOf(event)) ?? []);
      days.push(...read.days);
      problems.push(...read.problems.map((p) => `VEVENT ${event.index}: ${p}`));
    } catch (error) {
      problems.push(`VEVENT ${event.index}: ${(error as Error).message}`);
    }
  }
  return { days, problems };
}

const one = (props: Props, name: string) => props.get(name)?.[0];
const uidOf = (event: { index: number; props: Props }) =>
  one(event.props, 'UID')?.value ?? `event-${event.index}`;
const isRecurring = (props: Props) => props.has('RRULE') || props.has('RDATE');

function eventDays(props: Props, index: number, options: IcalParseOptions, overrides: Property[]) {
  const problems: string[] = [];
  if (one(props, 'STATUS')?.value.toUpperCase() === 'CANCELLED') return { days: [], problems };
  const start = one(props, 'DTSTART');
  if (!start) throw new Error('DTSTART: missing');
  const name = unescapeText(one(props, 'SUMMARY')?.value ?? '').trim() || 'event';
  const uid = one(props, 'UID')?.value ?? `event-${index}`;
  const categories = unescapeText(one(props, 'CATEGORIES')?.value ?? '').toLowerCase();
  const kind = /holiday/.test(categories) ? 'holiday' : 'event';
  const tz = options.timeZone;
  const first = moment(start, tz, 'DTSTART');
  const firstDay = tradingDay(first, tz);
  const end = one(props, 'DTEND');
  let span = 0;
  if (end) {
    const stop = moment(end, tz, 'DTEND');
    // An all-day DTEND is exclusive; a timed event ending before 06:00 next day stays on its trading day.
    const last = stop.frame === 'date' ? tradingDay(stop, tz) - 1 : tradingDay(stop, tz);
    span = Math.max(0, last - firstDay);
  }
  if (span + 1 > (options.maxDays ?? 14)) return { days: [], problems };
  const out = (dayNumbers: number[]) =>
    dayNumbers.flatMap((day) =>
      Array.from({ length: span + 1 }, (_, k) => ({ uid, date: dateOf(day + k), name, kind }) as const),
    );
  if (props.has('RECURRENCE-ID') || !isRecurring(props)) return { days: out([firstDay]), problems };
  try {
    const starts = occurrences(props, first, overrides, options, span);
    if (starts.capped) {
      problems.push(
        `more than ${options.maxOccurrences ?? MAX_OCCURRENCES} occurrences; the first ones kept`,
      );
    }
    const from = options.from ? dayNumber(options.from) : -Infinity;
    const to = options.to ? dayNumber(options.to) : Infinity;
    const inWindow = out(starts.starts.map((ms) => tradingDay({ ...first, ms }, tz))).filter((d) => {
      const day = dayNumber(d.date);
      return day >= from && day <= to;
    });
    return { days: inWindow, problems };
  } catch (error) {
    // Never a wrong expansion: the event counts on its first date only, as a single event.
    problems.push(`${(error as Error).message}; counted on its first date only`);
    return { days: out([firstDay]), problems };
  }
}

/** The recurrence set (§3.8.5): DTSTART, RRULE and RDATE occurrences, less EXDATE and overridden ones. */
function occurrences(
  props: Props,
  first: Moment,
  overrides: Property[],
  options: IcalParseOptions,
  span: number,
) {
  const tz = options.timeZone;
  const rules = props.get('RRULE') ?? [];
  if (rules.length > 1) throw new Error('RRULE: more than one rule is not supported');
  if (props.has('EXRULE')) throw new Error('EXRULE is not supported');
  // Frame bounds a little wider than the window: a trading day starts at 06:00 and an event may span days.
  const fromMs = options.from ? (dayNumber(options.from) - span - 2) * DAY_MS : -Infinity;
  const toMs = options.to ? (dayNumber(options.to) + 2) * DAY_MS : Infinity;
  const max = options.maxOccurrences ?? MAX_OCCURRENCES;
  let starts: number[] = [first.ms];
  let capped = false;
  if (rules[0]) {
    const rule = parseRrule(rules[0].value);
    let untilMs: number | null = null;
    if (rule.until !== null) {
      const read = moment({ params: '', value: rule.until }, tz, 'RRULE: UNTIL');
      // A floating UNTIL is read on DTSTART's own clock.
      const until = read.frame === 'local' ? { ...read, zone: first.zone } : read;
      // A DATE UNTIL includes its whole day (§3.3.10: "the last instance").
      untilMs = until.frame === 'date' ? inFrame(until, first, tz) + DAY_MS - 1 : inFrame(until, first, tz);
    }
    ({ starts, capped } = expandRule(rule, { startMs: first.ms, untilMs, fromMs, toMs, max }));
  } else if (first.ms < fromMs || first.ms > toMs) {
    starts = [];
  }
  const extra = (props.get('RDATE') ?? []).flatMap((p) => values(p, tz, 'RDATE'));
  const removed = [
    ...(props.get('EXDATE') ?? []).flatMap((p) => values(p, tz, 'EXDATE')),
    ...overrides.flatMap((p) => values(p, tz, 'RECURRENCE-ID')),
  ];
  if (overrides.some((p) => /;RANGE=THISANDFUTURE/i.test(p.params))) {
    throw new Error('RECURRENCE-ID: RANGE=THISANDFUTURE is not supported');
  }
  const timeOfDay = ((first.ms % DAY_MS) + DAY_MS) % DAY_MS;
  const set = new Set(starts);
  for (const rdate of extra) {
    const at = rdate.frame === 'date' ? rdate.ms + timeOfDay : inFrame(rdate, first, tz);
    if (at >= fromMs && at <= toMs) set.add(at);
  }
  // Removed days (a DATE value, or any value against an all-day event) and removed instants, in the frame.
  const removedDays = new Set<number>();
  const removedAt = new Set<number>();
  for (const r of removed) {
    const at = inFrame(r, first, tz);
    if (r.frame === 'date' || first.frame === 'date') removedDays.add(Math.floor(at / DAY_MS));
    else removedAt.add(at);
  }
  const kept = [...set]
    .filter((at) => !removedAt.has(at) && !removedDays.has(Math.floor(at / DAY_MS)))
    .sort((a, b) => a - b);
  if (kept.length > max) return { starts: kept.slice(0, max), capped: true };
  return { starts: kept, capped };
}

/** The comma-separated DATE / DATE-TIME values of an RDATE, EXDATE or RECURRENCE-ID (a PERIOD's start). */
function values(prop: Property, timeZone: string, field: string): Moment[] {
  return prop.value
    .split(',')
    .map((value) => moment({ params: prop.params, value: value.split('/')[0]! }, timeZone, field));
}

/** A DATE or DATE-TIME value in its own frame; a TZID the runtime does not know reads as the bar's zone. */
function moment(prop: Property, timeZone: string, field: string): Moment {
  const value = prop.value.trim();
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) return { frame: 'date', ms: Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!), zone: null };
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(value);
  if (!time) throw new Error(`${field}: not an iCalendar date or date-time: ${JSON.stringify(value)}`);
  const [, y, mo, d, h, mi, s, utc] = time;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (utc) return { frame: 'utc', ms, zone: null };
  const tzid = /;TZID="?([^;":]+)"?/i.exec(prop.params)?.[1];
  return { frame: 'local', ms, zone: tzid && knownZone(tzid) ? tzid : timeZone };
}

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `value` as milliseconds in `event`'s frame (a UTC instant in a local frame becomes its wall time). */
function inFrame(value: Moment, event: Moment, timeZone: string): number {
  if (value.frame === 'date' || value.frame === event.frame) {
    if (value.frame !== 'local' || event.frame !== 'local' || value.zone === event.zone) return value.ms;
  }
  const instant = value.frame === 'utc' ? value.ms : toInstant(value.ms, value.zone ?? timeZone);
  if (event.frame === 'utc') return instant;
  const zone = event.zone ?? timeZone;
  return instant + utcOffsetMinutes(zone, new Date(instant)) * 60_000;
}

/** The UTC instant of a wall-clock time in a zone (the offset looked up twice, for DST). */
function toInstant(wall: number, zone: string): number {
  const guess = wall - utcOffsetMinutes(zone, new Date(wall)) * 60_000;
  return wall - utcOffsetMinutes(zone, new Date(guess)) * 60_000;
}

/** The bar's trading day number a moment falls in. */
function tradingDay(at: Moment, timeZone: string): number {
  if (at.frame === 'date') return Math.floor(at.ms / DAY_MS);
  if (at.frame === 'utc') return dayNumber(tradingDayOf(timeZone, new Date(at.ms)));
  // Floating or TZID-local time: its own wall clock, on the trading day it falls in.
  return Math.floor((at.ms - DAY_START_HOUR * 3_600_000) / DAY_MS);
}

/** RFC 5545 §3.3.11 TEXT escapes. */
function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));
}
