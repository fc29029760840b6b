import type { BarSettings, StationVarianceReport } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { runBatch } from '../db/client.ts';
import { stationKey, listStations } from './stations.ts';
import { PeriodLines, type ItemRow, type MeasuredRow, type PeriodScope } from './variance-report.ts';

/**
 * Variance per station and item: the sales rung up at a station (the POS line's station, matched by name)
 * against what the devices standing at that station measured. Waste logged without a device (the display)
 * and sales without a station stay in the bar's report only. `onlyStationIds` limits the answer (a
 * bartender sees the stations they work); `withMoney` false strips money figures.
 */
export async function stationVarianceReport(
  d1: D1Database,
  scope: PeriodScope,
  settings: BarSettings,
  options: { withMoney: boolean; onlyStationIds?: ReadonlySet<string> },
): Promise<StationVarianceReport> {
  const from = new Date(scope.from).toISOString();
  const to = new Date(scope.to).toISOString();
  const stations = (await listStations(d1, scope.organizationId, scope.locationId)).filter(
    (s) => !options.onlyStationIds || options.onlyStationIds.has(s.id),
  );
  const [items, sold, events] = await runBatch(d1, [
    sql`SELECT id, name, cost, container_ml FROM items WHERE organization_id = ${scope.organizationId}`,
    sql`SELECT u.item_id, l.station, SUM(u.ml) AS ml FROM sale_usages u JOIN sale_lines l ON l.id = u.sale_line_id
           WHERE u.location_id = ${scope.locationId} AND u.sold_at >= ${from} AND u.sold_at < ${to} AND l.station IS NOT NULL
           GROUP BY u.item_id, l.station`,
    sql`SELECT e.item_id, e.kind, e.source, e.delta_ml, d.station_id FROM stock_events e
            JOIN station_devices d ON d.location_id = e.location_id AND d.device_id = e.device_id
           WHERE e.organization_id = ${scope.organizationId} AND e.location_id = ${scope.locationId}
             AND e.observed_at >= ${from} AND e.observed_at < ${to}
             AND e.kind IN ('pour', 'count', 'waste')`,
  ]);
  const itemRows = items!.results as unknown as ItemRow[];
  const byId = new Map(stations.map((s) => [s.id, new PeriodLines(itemRows)]));
  const idByKey = new Map(stations.map((s) => [stationKey(s.name), s.id]));
  for (const row of sold!.results as { item_id: string; station: string; ml: number }[]) {
    const id = idByKey.get(stationKey(row.station));
    if (id) byId.get(id)!.addSold(row.item_id, row.ml);
  }
  for (const row of events!.results as unknown as (MeasuredRow & { station_id: string })[]) {
    byId.get(row.station_id)?.addMeasured(row);
  }
  const strip = <T extends { varianceCost?: number }>(line: T): T => {
    if (options.withMoney) return line;
    const { varianceCost: _cost, ...rest } = line;
    return rest as T;
  };
  const report = stations.map((s) => ({
    stationId: s.id,
    name: s.name,
    lines: byId.get(s.id)!.lines(settings),
  }));
  const ranked = report
    .flatMap((s) =>
      s.lines.filter((l) => l.flagged).map((l) => ({ ...l, stationId: s.stationId, stationName: s.name })),
    )
    .sort((a, b) =>
      options.withMoney
        ? Math.abs(b.varianceCost ?? 0) - Math.abs(a.varianceCost ?? 0)
        : Math.abs(b.varianceMl) - Math.abs(a.varianceMl),
    );
  return {
    locationId: scope.locationId,
    from,
    to,
    stations: report.map((s) => ({ ...s, lines: s.lines.map(strip) })),
    ranked: ranked.map(strip),
  };
}
