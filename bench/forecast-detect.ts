import type { Table } from './forecast-csv.ts';

/**
 * Column auto-detection for the forecast benchmark, used when --date/--qty/--key are not given:
 * - date: the column whose every distinct value is an ISO date (YYYY-MM-DD, optionally followed
 *   by a time); a column named like "date" wins a tie.
 * - quantity: among the other all-numeric columns, one named sales/qty/quantity/units/demand/sold
 *   (or containing those words); failing that, the numeric column with the most distinct values.
 * - key: among the remaining columns that vary within a date and hold no decimal numbers (prices),
 *   the smallest set (1-3 columns) under which every (key, date) appears at most once; among
 *   equally small sets, the one with the fewest distinct keys (the coarsest series that is unique).
 * - events: every other column that reads as a sparse label or flag: empty, 0, false, na or none on
 *   at least half of the rows, at most 400 other values, none of them a decimal number (a price). Each
 *   non-empty value is an event the engine learns an uplift for (a flag column's 1/true is named by the
 *   column): holidays, local events, promotion or benefit-payment days. A column that only relabels
 *   another one more coarsely (an event type beside the event name: non-empty on the same rows and
 *   determined by it) is left out, so one day's effect is not counted twice. `--events none` turns
 *   this off.
 */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T].*)?$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const QTY_NAME = /sales|qty|quantity|units|demand|sold|volume/i;

function column(table: Table, name: string): number {
  const index = table.header.indexOf(name);
  if (index < 0) throw new Error(`no column "${name}" (columns: ${table.header.join(', ')})`);
  return index;
}

export function detectDate(table: Table, given?: string): number {
  if (given) return column(table, given);
  const candidates = table.header
    .map((_, c) => c)
    .filter((c) => table.columns[c]!.values.every((v) => ISO_DATE.test(v)));
  const named = candidates.find((c) => /date|day/i.test(table.header[c]!));
  const found = named ?? candidates[0];
  if (found === undefined) throw new Error('no ISO-date column found; pass --date <column>');
  return found;
}

export function detectQuantity(table: Table, date: number, given?: string): number {
  if (given) return column(table, given);
  const numeric = table.header
    .map((_, c) => c)
    .filter((c) => c !== date && table.columns[c]!.values.every((v) => v === '' || NUMBER.test(v)));
  const named = numeric.filter((c) => QTY_NAME.test(table.header[c]!));
  const exact = named.find((c) => /^(sales|qty|quantity|units|demand|sold)$/i.test(table.header[c]!));
  const pool = named.length ? named : numeric;
  const found =
    exact ?? pool.sort((a, b) => table.columns[b]!.values.length - table.columns[a]!.values.length)[0];
  if (found === undefined) throw new Error('no numeric quantity column found; pass --qty <column>');
  return found;
}

function variesWithinDate(table: Table, date: number, c: number): boolean {
  const seen = new Map<number, number>();
  const dates = table.columns[date]!.codes;
  const codes = table.columns[c]!.codes;
  for (let r = 0; r < table.rows; r++) {
    const previous = seen.get(dates[r]!);
    if (previous === undefined) seen.set(dates[r]!, codes[r]!);
    else if (previous !== codes[r]) return true;
  }
  return false;
}

/** Number of distinct keys when (key, date) is unique; -1 when some pair repeats. */
function distinctKeys(table: Table, date: number, key: number[]): number {
  const keys = new Map<string, number>();
  const seen = new Set<string>();
  const dates = table.columns[date]!.codes;
  for (let r = 0; r < table.rows; r++) {
    const k = key.map((c) => table.columns[c]!.codes[r]).join('|');
    let id = keys.get(k);
    if (id === undefined) keys.set(k, (id = keys.size));
    const pair = `${id}:${dates[r]}`;
    if (seen.has(pair)) return -1;
    seen.add(pair);
  }
  return keys.size;
}

export function detectKey(table: Table, date: number, quantity: number, given?: string[]): number[] {
  if (given?.length) return given.map((name) => column(table, name));
  const candidates = table.header
    .map((_, c) => c)
    .filter((c) => c !== date && c !== quantity)
    .filter((c) => !table.columns[c]!.values.some((v) => NUMBER.test(v) && v.includes('.')))
    .filter((c) => variesWithinDate(table, date, c));
  if (distinctKeys(table, date, []) > 0) return [];
  for (let size = 1; size <= Math.min(3, candidates.length); size++) {
    let best: { key: number[]; count: number } | undefined;
    for (const key of combinations(candidates, size)) {
      const count = distinctKeys(table, date, key);
      if (count > 0 && (!best || count < best.count)) best = { key, count };
    }
    if (best) return best.key;
  }
  throw new Error('no column set makes (key, date) unique; pass --key col1,col2');
}

function* combinations(items: number[], size: number, start = 0): Generator<number[]> {
  if (size === 0) return yield [];
  for (let i = start; i <= items.length - size; i++) {
    for (const rest of combinations(items, size - 1, i + 1)) yield [items[i]!, ...rest];
  }
}

/** Values a sparse event column holds on a day without an event (also used by forecast-series.ts). */
export const NO_EVENT = new Set(['', '0', 'false', 'na', 'nan', 'none', 'null']);

function isEmptyValue(value: string): boolean {
  return NO_EVENT.has(value.toLowerCase());
}

export function detectEvents(table: Table, taken: readonly number[], given?: string[]): number[] {
  if (given?.length) return given[0] === 'none' ? [] : given.map((name) => column(table, name));
  const sparse = table.header
    .map((_, c) => c)
    .filter((c) => !taken.includes(c))
    .filter((c) => {
      const { values, codes } = table.columns[c]!;
      const labels = values.filter((v) => !isEmptyValue(v));
      if (labels.length === 0 || labels.length > 400) return false;
      if (labels.some((v) => NUMBER.test(v) && v.includes('.'))) return false;
      let empty = 0;
      for (let r = 0; r < table.rows; r++) if (isEmptyValue(values[codes[r]!]!)) empty++;
      return empty * 2 >= table.rows;
    });
  return sparse.filter((b) => !sparse.some((a) => a !== b && relabels(table, a, b)));
}

/**
 * True when column b only relabels column a more coarsely: non-empty on exactly a's rows, each of a's
 * values always paired with one b value, and b with fewer distinct labels (or as many, a first).
 */
function relabels(table: Table, a: number, b: number): boolean {
  const A = table.columns[a]!;
  const B = table.columns[b]!;
  const pair = new Map<number, number>();
  for (let r = 0; r < table.rows; r++) {
    const va = A.codes[r]!;
    const vb = B.codes[r]!;
    const emptyA = isEmptyValue(A.values[va]!);
    if (emptyA !== isEmptyValue(B.values[vb]!)) return false;
    if (emptyA) continue;
    const seen = pair.get(va);
    if (seen === undefined) pair.set(va, vb);
    else if (seen !== vb) return false;
  }
  const labelsA = new Set(pair.keys()).size;
  const labelsB = new Set(pair.values()).size;
  return labelsB < labelsA || (labelsB === labelsA && a < b);
}
