import * as XLSX from '@e965/xlsx';
import type { CsvColumnMapping } from '@pourcast/protocol';
import { recordsToSaleLines, type CsvRowsResult } from './csv-import.ts';
import type { CsvRecord } from './csv-parse.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** A spreadsheet date cell as the bar's wall time "YYYY-MM-DD HH:MM:SS" (SheetJS dates carry it in UTC fields). */
function wallTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

function cellText(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : wallTime(value);
  if (value === null || value === undefined) return '';
  return String(value);
}

/**
 * The first sheet of an XLSX sales export as rows numbered like the spreadsheet (row 1 the header), read
 * with SheetJS (the maintained @e965/xlsx build the hub already uses for reports), then the same column
 * mapping, row checks and idempotent line keys as a CSV export.
 */
export async function xlsxToSaleLines(
  bytes: Uint8Array,
  mapping: CsvColumnMapping,
  timeZone: string,
): Promise<CsvRowsResult> {
  let sheet: XLSX.WorkSheet | undefined;
  try {
    const book = XLSX.read(bytes, { type: 'array', cellDates: true, UTC: true, dense: true });
    sheet = book.Sheets[book.SheetNames[0] ?? ''];
  } catch (error) {
    return {
      rows: 0,
      lines: [],
      errors: [{ line: 1, reason: `not an XLSX workbook: ${(error as Error).message}` }],
    };
  }
  if (!sheet) return { rows: 0, lines: [], errors: [{ line: 1, reason: 'the workbook has no sheet' }] };
  const range = XLSX.utils.decode_range(sheet['!ref'] ?? 'A1:A1');
  const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, {
    header: 1,
    raw: true,
    blankrows: true,
    defval: '',
  });
  const records: CsvRecord[] = [];
  rows.forEach((row, index) => {
    const cells = row.map(cellText);
    if (cells.every((c) => c.trim() === '')) return;
    records.push({ line: range.s.r + index + 1, cells });
  });
  // Spreadsheets drop trailing empty cells: pad each row to the header's width.
  const width = records[0]?.cells.length ?? 0;
  for (const record of records.slice(1)) while (record.cells.length < width) record.cells.push('');
  return recordsToSaleLines(records, mapping, timeZone);
}
