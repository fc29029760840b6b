import { weekdayOf } from '../forecasting/calendar.ts';

/**
 * RFC 5545 §3.3.10 recurrence rules, the part a bar's calendar uses: FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with
 * INTERVAL, COUNT or UNTIL, BYDAY (with an ordinal such as 1FR or -1SA for MONTHLY and YEARLY), BYMONTHDAY,
 * BYMONTH and WKST. Anything else (BYSETPOS, BYWEEKNO, BYYEARDAY, BYHOUR..., FREQ=HOURLY...) is refused
 * with a reason rather than expanded wrongly. Times are "frame" milliseconds: the wall clock for floating,
 * zone-local and all-day starts, the UTC instant for starts ending in Z; either way a day is 86,400,000 ms,
 * so a weekly 19:30 stays 19:30 across a daylight-saving change in the frame it was written in.
 */
export const DAY_MS = 86_400_000;

type Freq = 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const FREQS: readonly string[] = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const UNSUPPORTED = ['BYSETPOS', 'BYWEEKNO', 'BYYEARDAY', 'BYHOUR', 'BYMINUTE', 'BYSECOND'];
/** 9999-12-31: no rule is followed past the calendar's last year. */
const LAST_DAY = 2_932_896;

export interface RecurrenceRule {
  freq: Freq;
  interval: number;
  count: number | null;
  /** The raw UNTIL value (DATE or DATE-TIME); the caller places it in the event's frame. */
  until: string | null;
  /** Weekday 0 = Monday; ordinal 0 = every such weekday in the period. */
  byDay: { ordinal: number; weekday: number }[];
  byMonthDay: number[];
  byMonth: number[];
  wkst: number;
}

/** Parses an RRULE value; throws `RRULE: ...` for what is invalid or not supported. */
export function parseRrule(value: string): RecurrenceRule {
  const parts = new Map<string, string>();
  for (const part of value.trim().toUpperCase().split(';')) {
    if (!part) continue;
    const [name, val] = part.split('=', 2) as [string, string | undefined];
    if (val === undefined || parts.has(name)) throw new Error(`RRULE: not a valid rule part: ${part}`);
    parts.set(name, val);
  }
  for (const name of parts.keys()) {
    if (UNSUPPORTED.includes(name)) throw new Error(`RRULE: ${name} is not supported`);
    if (!['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'WKST'].includes(name)) {
      throw new Error(`RRULE: ${name} is not supported`);
    }
  }
  const freq = parts.get('FREQ');
  if (!freq) throw new Error('RRULE: FREQ is missing');
  if (!FREQS.includes(freq)) throw new Error(`RRULE: FREQ=${freq} is not supported`);
  const int = (name: string, text: string, min: number, max: number) => {
    const n = /^[+-]?\d{1,4}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(n) || n < min || n > max || n === 0) {
      throw new Error(`RRULE: ${name}=${text} is not valid`);
    }
    return n;
  };
  const list = (name: string, min: number, max: number) =>
    (parts.get(name)?.split(',') ?? []).map((text) => int(name, text, min, max));
  const byDay = (parts.get('BYDAY')?.split(',') ?? []).map((text) => {
    const match = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(text);
    if (!match) throw new Error(`RRULE: BYDAY=${text} is not valid`);
    const ordinal = match[1] ? int('BYDAY', match[1], -53, 53) : 0;
    return { ordinal, weekday: WEEKDAYS.indexOf(match[2]!) };
  });
  const rule: RecurrenceRule = {
    freq: freq as Freq,
    interval: parts.has('INTERVAL') ? int('INTERVAL', parts.get('INTERVAL')!, 1, 9999) : 1,
    count: parts.has('COUNT') ? int('COUNT', parts.get('COUNT')!, 1, 9999) : null,
    until: parts.get('UNTIL') ?? null,
    byDay,
    byMonthDay: list('BYMONTHDAY', -31, 31),
    byMonth: list('BYMONTH', 1, 12),
    wkst: 0,
  };
  if (parts.has('WKST')) {
    rule.wkst = WEEKDAYS.indexOf(parts.get('WKST')!);
    if (rule.wkst < 0) throw new Error(`RRULE: WKST=${parts.get('WKST')} is not valid`);
  }
  // §3.3.10: COUNT and UNTIL MUST NOT both occur; BYDAY ordinals only in MONTHLY and YEARLY rules;
  // BYMONTHDAY MUST NOT be given with FREQ=WEEKLY.
  if (rule.count !== null && rule.until !== null) throw new Error('RRULE: COUNT and UNTIL together');
  if ((rule.freq === 'DAILY' || rule.freq === 'WEEKLY') && byDay.some((d) => d.ordinal !== 0)) {
    throw new Error(`RRULE: BYDAY with an ordinal is not valid with FREQ=${rule.freq}`);
  }
  if (rule.freq === 'WEEKLY' && rule.byMonthDay.length) {
    throw new Error('RRULE: BYMONTHDAY is not valid with FREQ=WEEKLY');
  }
  return rule;
}

export interface ExpandOptions {
  /** DTSTART in the frame: always the first occurrence (§3.8.5.3), counted by COUNT. */
  startMs: number;
  /** UNTIL in the frame, inclusive; null for none. */
  untilMs: number | null;
  /** Occurrences before this are generated (for COUNT) but not returned. */
  fromMs: number;
  /** Nothing after this is generated. */
  toMs: number;
  /** At most this many occurrences are returned; `capped` says there were more. */
  max: number;
}

/** The rule's occurrences in [fromMs, toMs], ascending, as frame milliseconds. */
export function expandRule(rule: RecurrenceRule, options: ExpandOptions) {
  const { startMs, untilMs, fromMs, toMs, max } = options;
  const starts: number[] = [];
  const timeOfDay = ((startMs % DAY_MS) + DAY_MS) % DAY_MS;
  const startDay = (startMs - timeOfDay) / DAY_MS;
  const first = new Date(startDay * DAY_MS);
  const year0 = first.getUTCFullYear();
  const month0 = first.getUTCMonth() + 1;
  const date0 = first.getUTCDate();
  const weekStart0 = startDay - ((weekdayOf(startDay) - rule.wkst + 7) % 7);
  const end = Math.min(toMs, untilMs ?? Infinity);
  let generated = 1; // DTSTART
  if (startMs >= fromMs && startMs <= end) starts.push(startMs);
  // Without COUNT, periods wholly before the window need not be walked.
  let period = 0;
  if (rule.count === null && fromMs > startMs) {
    const from = new Date(fromMs);
    const units = {
      DAILY: Math.floor(fromMs / DAY_MS) - startDay,
      WEEKLY: Math.floor((Math.floor(fromMs / DAY_MS) - weekStart0) / 7),
      MONTHLY: (from.getUTCFullYear() - year0) * 12 + from.getUTCMonth() + 1 - month0,
      YEARLY: from.getUTCFullYear() - year0,
    }[rule.freq];
    period = Math.max(0, Math.floor(units / rule.interval) - 1);
  }
  for (; ; period++) {
    const step = period * rule.interval;
    let periodStart: number;
    let candidates: number[];
    if (rule.freq === 'DAILY') {
      periodStart = startDay + step;
      candidates = dailyMatches(rule, periodStart) ? [periodStart] : [];
    } else if (rule.freq === 'WEEKLY') {
      periodStart = weekStart0 + 7 * step;
      const weekdays = rule.byDay.length ? rule.byDay.map((d) => d.weekday) : [weekdayOf(startDay)];
      candidates = weekdays
        .map((weekday) => periodStart + ((weekday - rule.wkst + 7) % 7))
        .filter((day) => !rule.byMonth.length || rule.byMonth.includes(monthOf(day)));
    } else if (rule.freq === 'MONTHLY') {
      const index = year0 * 12 + month0 - 1 + step;
      const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
      periodStart = dayOf(year, month, 1);
      candidates =
        !rule.byMonth.length || rule.byMonth.includes(month) ? monthDays(rule, year, month, date0) : [];
    } else {
      const year = year0 + step;
      periodStart = dayOf(year, 1, 1);
      candidates = yearDays(rule, year, month0, date0);
    }
    if (periodStart > LAST_DAY || periodStart * DAY_MS > end) break;
    for (const day of [...new Set(candidates)].sort((a, b) => a - b)) {
      const at = day * DAY_MS + timeOfDay;
      if (at <= startMs) continue;
      if (at > end) return { starts, capped: false };
      if (rule.count !== null && ++generated > rule.count) return { starts, capped: false };
      if (at < fromMs) continue;
      if (starts.length === max) return { starts, capped: true };
      starts.push(at);
    }
  }
  return { starts, capped: false };
}

function dailyMatches(rule: RecurrenceRule, day: number): boolean {
  if (rule.byMonth.length && !rule.byMonth.includes(monthOf(day))) return false;
  if (rule.byDay.length && !rule.byDay.some((d) => d.weekday === weekdayOf(day))) return false;
  if (rule.byMonthDay.length) {
    const date = new Date(day * DAY_MS);
    const length = daysInMonth(date.getUTCFullYear(), date.getUTCMonth() + 1);
    const d = date.getUTCDate();
    if (!rule.byMonthDay.some((md) => md === d || length + md + 1 === d)) return false;
  }
  return true;
}

/** The days of one month a MONTHLY rule (or a YEARLY rule's BYMONTH month) picks. */
function monthDays(rule: RecurrenceRule, year: number, month: number, date0: number): number[] {
  const first = dayOf(year, month, 1);
  const length = daysInMonth(year, month);
  const last = first + length - 1;
  if (rule.byMonthDay.length) {
    // BYMONTHDAY expands; an invalid date (the 31st of April) is skipped (§3.3.10); BYDAY then limits.
    const days = rule.byMonthDay
      .map((md) => (md > 0 ? md : length + md + 1))
      .filter((d) => d >= 1 && d <= length)
      .map((d) => first + d - 1);
    if (!rule.byDay.length) return days;
    const allowed = new Set(rule.byDay.flatMap((entry) => weekdaysIn(first, last, entry)));
    return days.filter((day) => allowed.has(day));
  }
  if (rule.byDay.length) return rule.byDay.flatMap((entry) => weekdaysIn(first, last, entry));
  return date0 <= length ? [first + date0 - 1] : [];
}

function yearDays(rule: RecurrenceRule, year: number, month0: number, date0: number): number[] {
  if (rule.byMonth.length) return rule.byMonth.flatMap((month) => monthDays(rule, year, month, date0));
  if (rule.byMonthDay.length) {
    return [...Array(12).keys()].flatMap((m) => monthDays(rule, year, m + 1, date0));
  }
  // BYDAY alone in a YEARLY rule counts within the year (20MO: the 20th Monday of the year).
  if (rule.byDay.length) {
    const first = dayOf(year, 1, 1);
    const last = dayOf(year, 12, 31);
    return rule.byDay.flatMap((entry) => weekdaysIn(first, last, entry));
  }
  return date0 <= daysInMonth(year, month0) ? [dayOf(year, month0, date0)] : [];
}

/** The days in [first, last] that are the weekday, or only its nth (negative: from the end). */
function weekdaysIn(first: number, last: number, entry: { ordinal: number; weekday: number }): number[] {
  const firstMatch = first + ((entry.weekday - weekdayOf(first) + 7) % 7);
  if (entry.ordinal > 0) {
    const day = firstMatch + 7 * (entry.ordinal - 1);
    return day <= last ? [day] : [];
  }
  if (entry.ordinal < 0) {
    const day = last - ((weekdayOf(last) - entry.weekday + 7) % 7) - 7 * (-entry.ordinal - 1);
    return day >= first ? [day] : [];
  }
  const days: number[] = [];
  for (let day = firstMatch; day <= last; day += 7) days.push(day);
  return days;
}

function dayOf(year: number, month: number, date: number): number {
  return Math.round(Date.UTC(year, month - 1, date) / DAY_MS);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthOf(day: number): number {
  return new Date(day * DAY_MS).getUTCMonth() + 1;
}
