import type { CsvColumnMapping, CsvImportResult } from '@pourcast/protocol';
import { sha256Base64Url } from '@pourcast/protocol';
import { zonedToUtcIso } from './local-time.ts';
import { parseCsv, type CsvRecord } from './csv-parse.ts';
import type { PosSaleLine, SaleKind } from './sale-line.ts';

const KINDS: Record<string, SaleKind> = {
  sale: 'sale',
  sold: 'sale',
  void: 'void',
  voided: 'void',
  refund: 'refund',
  refunded: 'refund',
  return: 'refund',
  comp: 'comp',
  comped: 'comp',
};

export interface CsvRowsResult {
  rows: number;
  lines: PosSaleLine[];
  errors: CsvImportResult['errors'];
}

/**
 * Turns a sales export into sale lines with the saved column mapping. Each bad row is reported with its line
 * number and reason and the rest still import. Without a line-id column a line is keyed by its content plus
 * its occurrence among identical rows, so re-importing the same file records nothing twice.
 */
export async function csvToSaleLines(
  text: string,
  mapping: CsvColumnMapping,
  timeZone: string,
): Promise<CsvRowsResult> {
  const { records, error } = parseCsv(text, mapping.delimiter);
  return recordsToSaleLines(records, mapping, timeZone, error ? [error] : []);
}

/** The rows of a sales export (CSV records or spreadsheet rows, header first) as sale lines. */
export async function recordsToSaleLines(
  records: CsvRecord[],
  mapping: CsvColumnMapping,
  timeZone: string,
  parseErrors: CsvImportResult['errors'] = [],
): Promise<CsvRowsResult> {
  const errors: CsvImportResult['errors'] = [...parseErrors];
  const [header, ...rows] = records;
  if (!header) return { rows: 0, lines: [], errors: [...errors, { line: 1, reason: 'the file is empty' }] };
  const index = new Map(header.cells.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = Object.entries(mapping.columns).filter(
    ([, column]) => !index.has(column.trim().toLowerCase()),
  );
  if (missing.length) {
    const reason = `header lacks ${missing.map(([field, column]) => `"${column}" (${field})`).join(', ')}`;
    return { rows: rows.length, lines: [], errors: [{ line: header.line, reason }] };
  }
  const cell = (cells: string[], field: keyof CsvColumnMapping['columns']) => {
    const column = mapping.columns[field];
    return column === undefined ? undefined : (cells[index.get(column.trim().toLowerCase())!] ?? '').trim();
  };
  const occurrences = new Map<string, number>();
  const lines: PosSaleLine[] = [];
  for (const { line, cells } of rows) {
    if (cells.length !== header.cells.length) {
      errors.push({ line, reason: `has ${cells.length} cells, the header has ${header.cells.length}` });
      continue;
    }
    const itemId = cell(cells, 'itemId')!;
    if (!itemId) {
      errors.push({ line, reason: `empty ${mapping.columns.itemId}` });
      continue;
    }
    const rawWhen = cell(cells, 'soldAt')!;
    const soldAt = /[zZ]|[+-]\d{2}:?\d{2}$/.test(rawWhen)
      ? Number.isNaN(Date.parse(rawWhen))
        ? null
        : new Date(rawWhen).toISOString()
      : zonedToUtcIso(rawWhen, timeZone);
    if (!soldAt) {
      errors.push({
        line,
        reason: `${mapping.columns.soldAt} "${rawWhen}" is not a date-time (YYYY-MM-DD HH:MM)`,
      });
      continue;
    }
    const quantity = Number(cell(cells, 'quantity'));
    if (!Number.isFinite(quantity) || quantity <= 0 || quantity > 1000) {
      errors.push({
        line,
        reason: `${mapping.columns.quantity} "${cell(cells, 'quantity')}" is not a quantity above 0`,
      });
      continue;
    }
    const rawAmount = cell(cells, 'amount');
    const amount = rawAmount === undefined || rawAmount === '' ? null : Number(rawAmount.replace(',', '.'));
    if (amount !== null && !Number.isFinite(amount)) {
      errors.push({ line, reason: `${mapping.columns.amount} "${rawAmount}" is not a number` });
      continue;
    }
    const rawKind = (cell(cells, 'kind') ?? 'sale').toLowerCase() || 'sale';
    const kind = KINDS[rawKind];
    if (!kind) {
      errors.push({ line, reason: `${mapping.columns.kind} "${rawKind}" is not sale, void, refund or comp` });
      continue;
    }
    const modifiers = (cell(cells, 'modifiers') ?? '')
      .split(mapping.modifierSeparator)
      .map((m) => m.trim())
      .filter(Boolean);
    const checkRef = cell(cells, 'checkId') || null;
    let lineRef = cell(cells, 'lineId');
    if (!lineRef) {
      const content = JSON.stringify([checkRef, itemId, soldAt, quantity, amount, kind, modifiers]);
      const seen = (occurrences.get(content) ?? 0) + 1;
      occurrences.set(content, seen);
      lineRef = `row:${await sha256Base64Url(`${content}#${seen}`)}`;
    }
    const revenue =
      amount === null
        ? null
        : kind === 'refund' || kind === 'void'
          ? -Math.abs(amount)
          : kind === 'comp'
            ? 0
            : amount;
    lines.push({
      lineRef,
      checkRef,
      kind,
      externalItemId: itemId,
      externalName: cell(cells, 'itemName') || itemId,
      quantity,
      modifiers,
      revenue,
      soldAt,
    });
  }
  return { rows: rows.length, lines, errors };
}
