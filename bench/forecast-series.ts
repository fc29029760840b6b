import { dateOf, dayNumber, type CalendarEvent } from '../hub/src/forecasting/index.ts';
import type { Table } from './forecast-csv.ts';
import { NO_EVENT } from './forecast-detect.ts';

export interface BenchSeries {
  key: string;
  firstDay: number;
  /** Daily demand from firstDay; NaN where the file has no row for that day. */
  values: Float64Array;
  /** Events from the --events columns, over the whole file (a calendar is known in advance). */
  events: CalendarEvent[];
  /** The --group columns' values (e.g. store and category): series pooled for a shared weekday shape. */
  group: string;
}

export interface SeriesColumns {
  date: number;
  quantity: number;
  key: number[];
  events: number[];
  group?: number[];
}

/** Groups the table's rows into daily series; a flag-like event value (1/true) is named by its column. */
export function buildSeries(table: Table, columns: SeriesColumns, limit = Infinity): BenchSeries[] {
  const dateColumn = table.columns[columns.date]!;
  const days = dateColumn.values.map((v) => dayNumber(v.slice(0, 10)));
  const quantities = table.columns[columns.quantity]!.values.map((v) => (v === '' ? Number.NaN : Number(v)));
  const groups = new Map<string, number[]>();
  for (let r = 0; r < table.rows; r++) {
    const key = columns.key.map((c) => table.columns[c]!.values[table.columns[c]!.codes[r]!]).join('/');
    let rows = groups.get(key);
    if (!rows) {
      if (groups.size >= limit) continue;
      groups.set(key, (rows = []));
    }
    rows.push(r);
  }
  const eventName = (c: number, value: string) => (/^(1|true|yes)$/i.test(value) ? table.header[c]! : value);
  const groupOf = (r: number) =>
    (columns.group ?? []).map((c) => table.columns[c]!.values[table.columns[c]!.codes[r]!]).join('/');
  return [...groups].map(([key, rows]) => {
    let first = Infinity;
    let last = -Infinity;
    for (const r of rows) {
      const day = days[dateColumn.codes[r]!]!;
      first = Math.min(first, day);
      last = Math.max(last, day);
    }
    const values = new Float64Array(last - first + 1).fill(Number.NaN);
    const events: CalendarEvent[] = [];
    for (const r of rows) {
      const day = days[dateColumn.codes[r]!]!;
      const q = quantities[table.columns[columns.quantity]!.codes[r]!]!;
      values[day - first] = Number.isNaN(values[day - first]!) ? q : values[day - first]! + q;
      for (const c of columns.events) {
        const value = table.columns[c]!.values[table.columns[c]!.codes[r]!]!;
        if (!NO_EVENT.has(value.toLowerCase())) events.push({ date: dateOf(day), name: eventName(c, value) });
      }
    }
    return { key, firstDay: first, values, events, group: groupOf(rows[0]!) };
  });
}
