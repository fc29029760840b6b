import type { ItemUnit, Location } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb, runBatch } from '../db/client.ts';
import { DEFAULT_LOCALE, translator, type MessageKey, type Translate } from '../i18n/catalog.ts';
import { readOrders } from '../ordering/orders.ts';
import { readSettings } from '../variance/settings.ts';
import { varianceLines } from '../variance/variance-report.ts';
import { wasteByReason, wasteEntries } from '../waste/waste.ts';
import type { ReportPeriod } from './report-period.ts';
import type { ColumnType, Report, ReportKind } from './report-schemas.ts';

type Row = Record<string, string | number | null>;
interface Column {
  key: string;
  label: MessageKey;
  type: ColumnType;
}
interface Total {
  key: string;
  /** An amount total's unit (its rows'), null for money and counts. */
  unit: ItemUnit | null;
  value: number;
  previous: number | null;
}
interface Section {
  columns: Column[];
  /** Rows with amounts carry their item's unit as `unit`. */
  rows: Row[];
  /** Keys of numeric columns summed into the totals, with each total's previous-period value. */
  totals: Total[];
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
const UNIT_COLUMN = col('unit', 'column.unit', 'unit');

/**
 * A unit as the reader writes it: `ml` (the symbol, the same in every language; the headings wrote it so
 * before) or the word for units (units, unidades, इकाइयाँ).
 */
export const unitWord = (t: Translate, unit: ItemUnit) => (unit === 'ml' ? 'ml' : t('unit.units'));

/** Liquids first, then countables: the order of the per-unit totals. */
const UNITS: readonly ItemUnit[] = ['ml', 'unit'];
/** A money or count total: these add up across items whatever they are counted in. */
const total = (key: string, rows: readonly object[], previous: readonly object[] | null): Total => ({
  key,
  unit: null,
  value: sum(rows, key),
  previous: previous && sum(previous, key),
});
/**
 * An amount column's totals: one per unit that rows of this period or the previous one are in (ml of the
 * liquids, units of the countables), never ml and units added together.
 */
function amountTotals(
  key: string,
  rows: readonly { unit: ItemUnit }[],
  previous: readonly { unit: ItemUnit }[] | null,
): Total[] {
  return UNITS.filter((unit) => [...rows, ...(previous ?? [])].some((row) => row.unit === unit)).map(
    (unit) => {
      const only = (list: readonly { unit: ItemUnit }[]) => list.filter((row) => row.unit === unit);
      return { ...total(key, only(rows), previous && only(previous)), unit };
    },
  );
}

interface ItemRow {
  id: string;
  name: string;
  category: string;
  cost: number;
  container_ml: number;
  unit: ItemUnit;
}
async function itemsOf(d1: D1Database, organizationId: string) {
  const results = await openDb(d1).all<ItemRow>(
    sql`SELECT id, name, category, cost, container_ml, unit FROM items WHERE organization_id = ${organizationId}`,
  );
  return new Map(results.map((item) => [item.id, item]));
}

/** Stock value per item at the end of the period, beside its value at the end of the previous one. */
async function valuation(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const items = await itemsOf(d1, scope.organizationId);
  const rows: (Row & { unit: ItemUnit })[] = [];
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
        unit: item.unit,
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
      UNIT_COLUMN,
      col('onHandMl', 'column.onHandMl', 'amount'),
      col('value', 'column.value', 'money'),
      col('previousValue', 'column.previousValue', 'money'),
    ],
    rows,
    totals: [
      { key: 'value', unit: null, value: sum(rows, 'value'), previous: sum(rows, 'previousValue') },
      ...amountTotals('onHandMl', rows, null),
    ],
  };
}

interface VarianceRow {
  itemId: string;
  bar: string;
  item: string;
  unit: ItemUnit;
  soldMl: number;
  wasteMl: number;
  expectedMl: number;
  measuredMl: number;
  varianceMl: number;
  varianceCost: number;
}

/** Variance lines (every item with sales, waste or measurements) of each bar for a period. */
async function varianceRows(d1: D1Database, scope: ReportScope, from: string, to: string) {
  const [settings, items] = await Promise.all([
    readSettings(d1, scope.organizationId),
    itemsOf(d1, scope.organizationId),
  ]);
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
        unit: items.get(line.itemId)?.unit ?? 'ml',
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
      UNIT_COLUMN,
      col('expectedMl', 'column.expectedMl', 'amount'),
      col('measuredMl', 'column.measuredMl', 'amount'),
      col('varianceMl', 'column.varianceMl', 'amount'),
      col('varianceCost', 'column.varianceCost', 'money'),
    ],
    rows: rows.map(({ itemId: _id, soldMl: _s, wasteMl: _w, ...row }) => row),
    totals: [...amountTotals('varianceMl', rows, previous), total('varianceCost', rows, previous)],
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
        unit: row.unit,
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
      UNIT_COLUMN,
      col('measuredMl', 'column.usedMl', 'amount'),
      col('soldMl', 'column.soldMl', 'amount'),
      col('usageCost', 'column.usageCost', 'money'),
    ],
    rows,
    totals: [...amountTotals('measuredMl', rows, previous), total('usageCost', rows, previous)],
  };
}

/**
 * Waste of each bar by reason and unit: the liquids' ml and the countables' units of a reason are two
 * rows, each with its entries and cost: the waste report's own events and grouping (waste/waste.ts
 * `wasteEntries`, `wasteByReason`).
 */
async function wasteRows(d1: D1Database, scope: ReportScope, from: string, to: string) {
  const rows: (Row & { reason: string; unit: ItemUnit; wasteCost: number })[] = [];
  for (const bar of scope.bars) {
    const entries = await wasteEntries(d1, {
      organizationId: scope.organizationId,
      locationId: bar.id,
      from,
      to,
    });
    for (const group of wasteByReason(entries))
      rows.push({
        bar: bar.name,
        reason: group.reason,
        unit: group.unit,
        wasteMl: group.amount,
        events: group.events,
        wasteCost: round2(group.cost),
      });
  }
  return rows;
}

async function waste(d1: D1Database, scope: ReportScope, period: ReportPeriod): Promise<Section> {
  const [rows, previous] = await Promise.all([
    wasteRows(d1, scope, period.from, period.to),
    wasteRows(d1, scope, period.previous.from, period.previous.to),
  ]);
  // The costliest reasons first, a reason's ml and units side by side (ml first).
  const reasonCost = new Map<string, number>();
  for (const row of rows) {
    const reason = `${row.bar}\n${row.reason}`;
    reasonCost.set(reason, (reasonCost.get(reason) ?? 0) + row.wasteCost);
  }
  const costOf = (row: (typeof rows)[number]) => reasonCost.get(`${row.bar}\n${row.reason}`)!;
  rows.sort(
    (a, b) =>
      costOf(b) - costOf(a) ||
      String(a.bar).localeCompare(String(b.bar)) ||
      a.reason.localeCompare(b.reason) ||
      UNITS.indexOf(a.unit) - UNITS.indexOf(b.unit),
  );
  return {
    columns: [
      col('bar', 'column.bar', 'text'),
      col('reason', 'column.reason', 'text'),
      UNIT_COLUMN,
      col('wasteMl', 'column.wasteMl', 'amount'),
      col('events', 'column.events', 'number'),
      col('wasteCost', 'column.wasteCost', 'money'),
    ],
    rows,
    totals: [...amountTotals('wasteMl', rows, previous), total('wasteCost', rows, previous)],
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
      total('orders', rows, previous),
      { key: 'total', unit: null, value: sum(rows, 'counted'), previous: sum(previous, 'counted') },
    ],
  };
}

const BUILDERS = { valuation, variance, usage, waste, orders } as const;
const TOTAL_LABELS: Record<string, { label: MessageKey; type: ColumnType }> = {
  value: { label: 'total.stockValue', type: 'money' },
  onHandMl: { label: 'column.onHandMl', type: 'amount' },
  varianceMl: { label: 'column.varianceMl', type: 'amount' },
  varianceCost: { label: 'column.varianceCost', type: 'money' },
  measuredMl: { label: 'column.usedMl', type: 'amount' },
  usageCost: { label: 'column.usageCost', type: 'money' },
  wasteMl: { label: 'column.wasteMl', type: 'amount' },
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
      // An amount's total names its unit: "On hand (ml)", "On hand (units)".
      const named = total.unit ? `${t(label)} (${unitWord(t, total.unit)})` : t(label);
      return {
        key: total.key,
        label: named,
        type,
        unit: total.unit,
        value: total.value,
        previous: total.previous,
      };
    }),
  };
}
