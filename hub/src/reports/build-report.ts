import type { Location } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb, runBatch } from '../db/client.ts';
import { DEFAULT_LOCALE, translator, type MessageKey, type Translate } from '../i18n/catalog.ts';
import { readOrders } from '../ordering/orders.ts';
import { readSettings } from '../variance/settings.ts';
import { varianceLines } from '../variance/variance-report.ts';
import { wasteReport } from '../waste/waste.ts';
import type { ReportPeriod } from './report-period.ts';
import type { ColumnType, Report, ReportKind } from './report-schemas.ts';

type Row = Record<string, string | number | null>;
interface Column {
  key: string;
  label: MessageKey;
  type: ColumnType;
}
interface Section {
  columns: Column[];
  rows: Row[];
  /** Keys of numeric columns summed into the totals, with each total's previous-period value. */
  totals: { key: string; value: number; previous: number | null }[];
}
export interface ReportScope {
  organizationId: string;
  organization: string;
  currency: string;
  bars: Location[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const sum = (rows: readonly object[], key: string) =>
  round2(rows.reduce((total, row) => total + Number((row as Row)[key] ?? 0), 0));
const col = (key: string, label: MessageKey, type: ColumnType): Column => ({ key, label, type });

interface ItemRow {
  id: string;
  name: string;
  category: string;
  cost: number;
  container_ml: number;
}
async function itemsOf(d1: D1Database, organizationId: string) {
  const results = await openDb(d1).all<ItemRow>(
    sql`SELECT id, name, category, cost, container_ml FROM items WHERE organization_id = ${organizationId}`,
  );
  return new Map(results.map((item) => [item.id, item]));
}

/** Stock value per item at the end of the period, beside its value at the end of the previous one. */
async function valuation(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const items = await itemsOf(d1, scope.organizationId);
  const rows: Row[] = [];
  for (const bar of scope.bars) {
    const atEnd = (until: string) =>
      sql`SELECT item_id, SUM(delta_ml) AS ml FROM stock_events
           WHERE organization_id = ${scope.organizationId} AND location_id = ${bar.id} AND observed_at < ${until}
           GROUP BY item_id`;
    const [now, before] = await runBatch<{ item_id: string; ml: number }>(d1, [
      atEnd(period.to),
      atEnd(period.previous.to),
    ]);
    const previous = new Map(before!.results.map((row) => [row.item_id, row.ml]));
    for (const row of now!.results) {
      const item = items.get(row.item_id);
      if (!item || (row.ml === 0 && !previous.get(row.item_id))) continue;
      const value = (ml: number) => round2((ml / item.container_ml) * item.cost);
      rows.push({
        bar: bar.name,
        item: item.name,
        category: item.category,
        onHandMl: Math.round(row.ml),
        value: value(row.ml),
        previousValue: value(previous.get(row.item_id) ?? 0),
      });
    }
  }
  rows.sort((a, b) => Number(b.value) - Number(a.value));
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('item', 'column.item', 'text'),
      col('category', 'column.category', 'text'),
      col('onHandMl', 'column.onHandMl', 'ml'),
      col('value', 'column.value', 'money'),
      col('previousValue', 'column.previousValue', 'money'),
    ],
    rows,
    totals: [
      { key: 'value', value: sum(rows, 'value'), previous: sum(rows, 'previousValue') },
      { key: 'onHandMl', value: sum(rows, 'onHandMl'), previous: null },
    ],
  };
}

interface VarianceRow {
  itemId: string;
  bar: string;
  item: string;
  soldMl: number;
  wasteMl: number;
  expectedMl: number;
  measuredMl: number;
  varianceMl: number;
  varianceCost: number;
}

/** Variance lines (every item with sales, waste or measurements) of each bar for a period. */
async function varianceRows(d1: D1Database, scope: ReportScope, from: string, to: string) {
  const settings = await readSettings(d1, scope.organizationId);
  const rows: VarianceRow[] = [];
  for (const bar of scope.bars) {
    const lines = await varianceLines(
      d1,
      { organizationId: scope.organizationId, locationId: bar.id, from, to },
      settings,
    );
    for (const line of lines)
      rows.push({
        itemId: line.itemId,
        bar: bar.name,
        item: line.itemName,
        soldMl: line.soldMl,
        wasteMl: line.wasteMl,
        expectedMl: line.expectedMl,
        measuredMl: line.measuredMl,
        varianceMl: line.varianceMl,
        varianceCost: round2(line.varianceCost ?? 0),
      });
  }
  return rows;
}

async function variance(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const [rows, previous] = await Promise.all([
    varianceRows(d1, scope, period.from, period.to),
    varianceRows(d1, scope, period.previous.from, period.previous.to),
  ]);
  rows.sort((a, b) => Math.abs(Number(b.varianceCost)) - Math.abs(Number(a.varianceCost)));
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('item', 'column.item', 'text'),
      col('expectedMl', 'column.expectedMl', 'ml'),
      col('measuredMl', 'column.measuredMl', 'ml'),
      col('varianceMl', 'column.varianceMl', 'ml'),
      col('varianceCost', 'column.varianceCost', 'money'),
    ],
    rows: rows.map(({ itemId: _id, soldMl: _s, wasteMl: _w, ...row }) => row),
    totals: ['varianceMl', 'varianceCost'].map((key) => ({
      key,
      value: sum(rows, key),
      previous: sum(previous, key),
    })),
  };
}

async function usage(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const items = await itemsOf(d1, scope.organizationId);
  const withCost = (rows: Awaited<ReturnType<typeof varianceRows>>) =>
    rows.map((row) => {
      const item = items.get(row.itemId);
      const cost = item ? round2((Number(row.measuredMl) / item.container_ml) * item.cost) : 0;
      return {
        bar: row.bar,
        item: row.item,
        measuredMl: row.measuredMl,
        soldMl: row.soldMl,
        usageCost: cost,
      };
    });
  const [rows, previous] = await Promise.all([
    varianceRows(d1, scope, period.from, period.to).then(withCost),
    varianceRows(d1, scope, period.previous.from, period.previous.to).then(withCost),
  ]);
  rows.sort((a, b) => b.usageCost - a.usageCost);
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('item', 'column.item', 'text'),
      col('measuredMl', 'column.usedMl', 'ml'),
      col('soldMl', 'column.soldMl', 'ml'),
      col('usageCost', 'column.usageCost', 'money'),
    ],
    rows,
    totals: ['measuredMl', 'usageCost'].map((key) => ({
      key,
      value: sum(rows, key),
      previous: sum(previous, key),
    })),
  };
}

async function wasteRows(d1: D1Database, scope: ReportScope, from: string, to: string) {
  const rows: Row[] = [];
  for (const bar of scope.bars) {
    const report = await wasteReport(
      d1,
      { organizationId: scope.organizationId, locationId: bar.id, from, to },
      true,
    );
    for (const reason of report.reasons)
      rows.push({
        bar: bar.name,
        reason: reason.reason,
        wasteMl: reason.ml,
        events: reason.events,
        wasteCost: round2('cost' in reason ? Number(reason.cost) : 0),
      });
  }
  return rows;
}

async function waste(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const [rows, previous] = await Promise.all([
    wasteRows(d1, scope, period.from, period.to),
    wasteRows(d1, scope, period.previous.from, period.previous.to),
  ]);
  rows.sort((a, b) => Number(b.wasteCost) - Number(a.wasteCost));
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('reason', 'column.reason', 'text'),
      col('wasteMl', 'column.wasteMl', 'ml'),
      col('events', 'column.events', 'number'),
      col('wasteCost', 'column.wasteCost', 'money'),
    ],
    rows,
    totals: ['wasteMl', 'wasteCost'].map((key) => ({
      key,
      value: sum(rows, key),
      previous: sum(previous, key),
    })),
  };
}

/** Purchase orders created in the period (cancelled ones listed, not counted in the totals). */
async function orders(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const within = async (from: string, to: string) => {
    const rows: Row[] = [];
    for (const bar of scope.bars) {
      for (const order of await readOrders(d1, scope.organizationId, { locationId: bar.id })) {
        if (order.createdAt < from || order.createdAt >= to) continue;
        const counted = order.status !== 'cancelled';
        rows.push({
          bar: bar.name,
          supplier: order.supplierName,
          status: order.status,
          created: order.createdAt,
          total: order.total,
          orders: counted ? 1 : 0,
          counted: counted ? order.total : 0,
        });
      }
    }
    return rows;
  };
  const [rows, previous] = await Promise.all([
    within(period.from, period.to),
    within(period.previous.from, period.previous.to),
  ]);
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('supplier', 'column.supplier', 'text'),
      col('status', 'column.status', 'text'),
      col('created', 'column.created', 'date'),
      col('total', 'column.total', 'money'),
    ],
    rows: rows.map(({ orders: _o, counted: _c, ...row }) => row),
    totals: [
      { key: 'orders', value: sum(rows, 'orders'), previous: sum(previous, 'orders') },
      { key: 'total', value: sum(rows, 'counted'), previous: sum(previous, 'counted') },
    ],
  };
}

const BUILDERS = { valuation, variance, usage, waste, orders } as const;
const TOTAL_LABELS: Record<string, { label: MessageKey; type: ColumnType }> = {
  value: { label: 'total.stockValue', type: 'money' },
  onHandMl: { label: 'column.onHandMl', type: 'ml' },
  varianceMl: { label: 'column.varianceMl', type: 'ml' },
  varianceCost: { label: 'column.varianceCost', type: 'money' },
  measuredMl: { label: 'column.usedMl', type: 'ml' },
  usageCost: { label: 'column.usageCost', type: 'money' },
  wasteMl: { label: 'column.wasteMl', type: 'ml' },
  wasteCost: { label: 'column.wasteCost', type: 'money' },
  orders: { label: 'total.orders', type: 'number' },
  total: { label: 'total.orderedValue', type: 'money' },
};

/**
 * One report for the scope's bars over a period, with totals beside the previous period's; the title
 * and the labels in the reader's language (`t`, English by default).
 */
export async function buildReport(
  d1: D1Database,
  kind: ReportKind,
  scope: ReportScope,
  period: ReportPeriod,
  t: Translate = translator(DEFAULT_LOCALE),
): Promise<Report> {
  const section = await BUILDERS[kind](d1, scope, period);
  return {
    kind,
    title: t(`report.${kind}`),
    organization: scope.organization,
    currency: scope.currency,
    bars: scope.bars.map((bar) => bar.name),
    from: period.from,
    to: period.to,
    previous: period.previous,
    columns: section.columns.map((column) => ({ ...column, label: t(column.label) })),
    rows: section.rows,
    totals: section.totals.map((total) => {
      const { label, type } = TOTAL_LABELS[total.key]!;
      return { ...total, label: t(label), type, key: total.key };
    }),
  };
}
