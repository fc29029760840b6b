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
