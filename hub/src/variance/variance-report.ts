import type { BarSettings, VarianceLine, VarianceReport } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { runBatch } from '../db/client.ts';
import type { StockLineSource } from '../db/types.ts';
import { itemVariance, type ItemPeriod } from './variance-math.ts';

export interface PeriodScope {
  organizationId: string;
  locationId: string;
  from: string;
  to: string;
}

export interface ItemRow {
  id: string;
  name: string;
  cost: number;
  container_ml: number;
}

export interface MeasuredRow {
  item_id: string;
  kind: string;
  source: StockLineSource;
  delta_ml: number;
}

/** Per item: sales and measured events gathered into periods, then each item's variance, by name. */
export class PeriodLines {
  readonly #periods = new Map<string, ItemPeriod>();
  readonly #itemById: Map<string, ItemRow>;

  constructor(items: readonly ItemRow[]) {
    this.#itemById = new Map(items.map((row) => [row.id, row]));
  }

  #period(itemId: string): ItemPeriod {
    let found = this.#periods.get(itemId);
    if (!found) {
      const item = this.#itemById.get(itemId);
      found = { soldMl: 0, wasteMl: 0, events: [], costPerMl: item ? item.cost / item.container_ml : 0 };
      this.#periods.set(itemId, found);
    }
    return found;
  }

  addSold(itemId: string, ml: number): void {
    this.#period(itemId).soldMl += ml;
  }

  addMeasured(row: MeasuredRow): void {
    const target = this.#period(row.item_id);
    target.events.push({ kind: row.kind, source: row.source, deltaMl: row.delta_ml });
    if (row.kind === 'waste') target.wasteMl -= row.delta_ml;
  }

  lines(settings: BarSettings): VarianceLine[] {
    return [...this.#periods.entries()]
      .filter(([itemId]) => this.#itemById.has(itemId))
      .map(([itemId, data]) => ({
        itemId,
        itemName: this.#itemById.get(itemId)!.name,
        ...itemVariance(data, settings),
      }))
      .sort((a, b) => a.itemName.localeCompare(b.itemName));
  }
}

/** Variance per item for one period (lines with any sale, waste or measurement). */
export async function varianceLines(
  d1: D1Database,
  scope: PeriodScope,
  settings: BarSettings,
): Promise<VarianceLine[]> {
  const from = new Date(scope.from).toISOString();
  const to = new Date(scope.to).toISOString();
  const [items, sold, events] = await runBatch(d1, [
    sql`SELECT id, name, cost, container_ml FROM items WHERE organization_id = ${scope.organizationId}`,
    sql`SELECT item_id, SUM(ml) AS ml FROM sale_usages WHERE location_id = ${scope.locationId} AND sold_at >= ${from} AND sold_at < ${to} GROUP BY item_id`,
    sql`SELECT item_id, kind, source, delta_ml FROM stock_events
           WHERE organization_id = ${scope.organizationId} AND location_id = ${scope.locationId}
             AND observed_at >= ${from} AND observed_at < ${to}
             AND kind IN ('pour', 'count', 'waste')`,
  ]);
  const lines = new PeriodLines(items!.results as unknown as ItemRow[]);
  for (const row of sold!.results as { item_id: string; ml: number }[]) lines.addSold(row.item_id, row.ml);
  for (const row of events!.results as unknown as MeasuredRow[]) lines.addMeasured(row);
  return lines.lines(settings);
}

const WEEK_MS = 7 * 86_400_000;

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): Date {
  const day = (at.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() - day));
}

/**
 * The report: every line, the flagged ones costliest first, and the weekly trend of the 8 weeks ending
 * with the period's own. `withMoney` false strips money figures (bartenders).
 */
export async function varianceReport(
  d1: D1Database,
  scope: PeriodScope,
  settings: BarSettings,
  withMoney: boolean,
): Promise<VarianceReport> {
  const strip = (line: VarianceLine): VarianceLine => {
    if (withMoney) return line;
    const { varianceCost: _cost, ...rest } = line;
    return rest;
  };
  const lines = await varianceLines(d1, scope, settings);
  const ranked = lines
    .filter((line) => line.flagged)
    .sort((a, b) =>
      withMoney
        ? Math.abs(b.varianceCost ?? 0) - Math.abs(a.varianceCost ?? 0)
        : Math.abs(b.varianceMl) - Math.abs(a.varianceMl),
    );
  const end = new Date(scope.to);
  const first = weekStart(end).getTime() - 7 * WEEK_MS;
  const weeks: VarianceReport['weeks'] = [];
  for (let start = first; start < end.getTime(); start += WEEK_MS) {
    const week = await varianceLines(
      d1,
      { ...scope, from: new Date(start).toISOString(), to: new Date(start + WEEK_MS).toISOString() },
      settings,
    );
    const cost = Math.round(week.reduce((sum, l) => sum + (l.varianceCost ?? 0), 0) * 100) / 100;
    weeks.push({
      weekStart: new Date(start).toISOString(),
      varianceMl: week.reduce((sum, l) => sum + l.varianceMl, 0),
      flaggedItems: week.filter((l) => l.flagged).length,
      ...(withMoney ? { varianceCost: cost } : {}),
    });
  }
  return {
    locationId: scope.locationId,
    from: new Date(scope.from).toISOString(),
    to: new Date(scope.to).toISOString(),
    lines: lines.map(strip),
    ranked: ranked.map(strip),
    weeks,
  };
}
