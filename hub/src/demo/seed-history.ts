import type { CsvImportResult, Item, LoginResponse, MenuItem } from '@pourcast/protocol';
import { dateOf, dayNumber, weekdayOf } from '../forecasting/calendar.ts';
import { lastCompleteTradingDay } from '../demand/business-day.ts';
import type { z } from 'zod';
import type { csvMappingSchema } from '@pourcast/protocol';
import { HubClient, type FetchLike } from './hub-client.ts';
import type { DemoSeed } from './seed-demo.ts';

type CsvMapping = z.infer<typeof csvMappingSchema>;

/**
 * Lines per export file: at most the hub's IMPORT_CHUNK (200, pos/import-job.ts), so that each file is recorded
 * within its own request.
 */
const FILE_LINES = 200;

/** The saved column mapping the demo's sales history is imported with; its presence means "imported". */
export const DEMO_HISTORY_MAPPING = 'Demo POS history export';

/** The demo bar's week, Monday first: quiet early in the week, busy Friday and Saturday. */
const WEEK_SHAPE = [0.6, 0.7, 0.8, 1.0, 1.55, 1.75, 0.85];

export interface SalesHistoryOptions {
  /** Trading days of history, ending the day before the last complete one. Default 120. */
  days?: number;
  /** The clock (the last complete trading day is yesterday's or the day before's). */
  now?: Date;
  /** Uniform draws in [0, 1) for the sales (a seeded generator gives the same file each time). Default Math.random. */
  random?: () => number;
  fetch?: FetchLike;
  /** Lines recorded of the total while the hub imports the file. */
  onProgress?: (processed: number, total: number) => void;
}

/** A menu item of the history: what the export calls it, and the catalog item and serving it pours. */
export interface HistoryMenuItem {
  externalId: string;
  name: string;
  parLevelMl: number | null;
  containerMl: number;
  /** The ml one sale pours (the recipe's). */
  servingMl: number;
}

/**
 * What the demo bar serves of an item that is not poured by the measure: a glass of wine (150 ml) or of
 * sparkling (125 ml), a bottle of beer, a pint from a keg (473 ml).
 */
function serving(item: Item): { name: string; category: string; ml: number } | null {
  switch (item.category) {
    case 'wine':
      return { name: `${item.name} (glass)`, category: 'wine', ml: 150 };
    case 'sparkling':
      return { name: `${item.name} (glass)`, category: 'sparkling', ml: 125 };
    case 'beer':
      return { name: item.name, category: 'beer', ml: item.containerMl };
    case 'keg':
      return { name: `${item.name} (pint)`, category: 'draught', ml: 473 };
    default:
      return null;
  }
}

/** A Poisson draw by inversion (the demo's daily means stay well under 100). */
function poisson(mean: number, uniform: () => number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = uniform();
  while (u > cdf && k < 1000) {
    k++;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** A gamma(shape, 1) draw for shape ≥ 1 (Marsaglia-Tsang), from two uniforms per try. */
function gamma(shape: number, uniform: () => number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - uniform()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Daily standard pours of each menu item over `days` trading days ending `endDate`: a level from the item's
 * par (about ten days of pours), the bar's week, a slow drift, and negative-binomial noise (gamma-mixed
 * Poisson, dispersion 0.15): what a POS export of a real bar's history looks like to the forecasts.
 */
export function demoSalesHistory(
  menu: readonly HistoryMenuItem[],
  endDate: string,
  days: number,
  uniform: () => number,
): { date: string; externalId: string; name: string; quantity: number }[] {
  const first = dayNumber(endDate) - days + 1;
  const lines: { date: string; externalId: string; name: string; quantity: number }[] = [];
  for (const item of menu) {
    const parMl = item.parLevelMl ?? item.containerMl;
    const level = Math.max(0.3, parMl / 10 / item.servingMl);
    const drift = 0.25 * (uniform() - 0.5);
    for (let t = 0; t < days; t++) {
      const day = first + t;
      const mean = level * WEEK_SHAPE[weekdayOf(day)]! * (1 + (drift * (t - days / 2)) / days);
      const quantity = poisson(mean * (gamma(1 / 0.15, uniform) * 0.15), uniform);
      if (quantity > 0)
        lines.push({ date: dateOf(day), externalId: item.externalId, name: item.name, quantity });
    }
  }
  return lines;
}

/**
 * Gives the demo bar a POS history, the way a bar joining Pourcast brings its own: a CSV export of its last
 * `days` trading days of sales of every menu item, imported through the hub's public API (a saved column
 * mapping, then POST /pos/imports, followed until the hub has recorded every line). The nightly forecasts
 * then have demand to learn from. Done once: a hub that has the mapping already has the history.
 * Answers the lines imported (0 when already done).
 */
export async function seedSalesHistory(
  hubUrl: string,
  seed: DemoSeed,
  options: SalesHistoryOptions = {},
): Promise<number> {
  const hub = new HubClient(hubUrl, options.fetch);
  hub.token = (await hub.request<LoginResponse>('POST', '/auth/login', seed.credentials.manager)).token;
  const mappings = await hub.request<CsvMapping[]>('GET', '/pos/csv-mappings');
  if (mappings.some((m) => m.name === DEMO_HISTORY_MAPPING)) return 0;

  // The menu: the measures of spirits and liqueurs the demo seeded, and a glass, bottle or pint of every other
  // item, created here. Each is sold under the export's own item id, mapped for the CSV provider.
  const items = new Map(seed.items.map((item): [string, Item] => [item.id, item]));
  const existing = await hub.request<MenuItem[]>('GET', '/menu-items');
  const served = new Set(existing.flatMap((m) => m.recipe.lines.map((line) => line.itemId)));
  for (const item of seed.items) {
    const glass = served.has(item.id) ? null : serving(item);
    if (!glass) continue;
    existing.push(
      await hub.request<MenuItem>('POST', '/menu-items', {
        name: glass.name,
        category: glass.category,
        price: Math.max(4, Math.round(((item.cost / item.containerMl) * glass.ml) / 0.25)),
        recipe: [{ itemId: item.id, ml: glass.ml }],
      }),
    );
  }
  const menu: HistoryMenuItem[] = [];
  for (const menuItem of existing) {
    const [line] = menuItem.recipe.lines;
    const item = line && menuItem.recipe.lines.length === 1 ? items.get(line.itemId) : undefined;
    if (!item) continue;
    const externalId = `export-${menuItem.id}`;
    await hub.request('POST', '/pos/mappings', { provider: 'csv', externalId, menuItemId: menuItem.id });
    menu.push({
      externalId,
      name: menuItem.name,
      parLevelMl: item.parLevelMl ?? null,
      containerMl: item.containerMl,
      servingMl: line!.ml,
    });
  }
  const location = seed.locationId;
  const bars = await hub.request<{ id: string; timezone: string }[]>('GET', '/locations');
  const timezone = bars.find((bar) => bar.id === location)?.timezone ?? 'UTC';
  // The export ends the day before the last complete trading day: its last sales are then more than a day
  // old, outside the variance rule's last 24 hours, which would otherwise flag every item sold and not
  // poured on the bar's scales (the demo's gateway did not exist then). That day is missing, not zero.
  const endDate = dateOf(dayNumber(lastCompleteTradingDay(timezone, options.now ?? new Date())) - 1);
  const lines = demoSalesHistory(menu, endDate, options.days ?? 120, options.random ?? Math.random);
  const mapping = await hub.request<CsvMapping>('POST', '/pos/csv-mappings', {
    name: DEMO_HISTORY_MAPPING,
    columns: {
      soldAt: 'closed_at',
      itemId: 'item_id',
      itemName: 'item_name',
      quantity: 'qty',
      lineId: 'line_id',
    },
  });
  // One export per few days, each small enough for the hub to record within its request (a bar's weekly
  // exports, rather than one file recorded in the background).
  let done = 0;
  for (const file of daysInFiles(lines, FILE_LINES)) {
    options.onProgress?.(done, lines.length);
    const csv = [
      'closed_at,item_id,item_name,qty,line_id',
      ...file.map(
        (l) =>
          `${l.date} 21:30,${l.externalId},"${l.name.replace(/"/g, '""')}",${l.quantity},${l.date}-${l.externalId}`,
      ),
    ].join('\n');
    const result = await hub.request<CsvImportResult>('POST', '/pos/imports', {
      locationId: location,
      mappingId: mapping.id,
      fileName: `demo-pos-${file[0]!.date}.csv`,
      csv,
    });
    if (result.errors.length) {
      const [first] = result.errors;
      throw new Error(
        `the demo's sales history: ${result.errors.length} lines refused (line ${first!.line}: ${first!.reason})`,
      );
    }
    done += file.length;
  }
  options.onProgress?.(lines.length, lines.length);
  return lines.length;
}

/** The lines (in date order) cut into files of whole days, each of at most `size` lines. */
function daysInFiles<T extends { date: string }>(lines: readonly T[], size: number): T[][] {
  const byDate = new Map<string, T[]>();
  for (const line of lines) {
    const day = byDate.get(line.date);
    if (day) day.push(line);
    else byDate.set(line.date, [line]);
  }
  const files: T[][] = [];
  let file: T[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const day = byDate.get(date)!;
    if (file.length > 0 && file.length + day.length > size) (files.push(file), (file = []));
    file.push(...day);
  }
  if (file.length > 0) files.push(file);
  return files;
}
