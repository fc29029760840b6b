import * as XLSX from '@e965/xlsx';
import { csvField } from '../ordering/export-csv.ts';
import { A4, MARGIN, pdfWriter } from './pdf-writer.ts';
import type { Report } from './report-schemas.ts';

const day = (iso: string) => iso.slice(0, 10);
/** The last day a [from, to) period covers. */
const lastDay = (to: string) => day(new Date(Date.parse(to) - 1).toISOString());
const cell = (value: string | number | null, type: string) =>
  value === null ? '' : type === 'date' && typeof value === 'string' ? day(value) : value;

/** A file name for the download: kind, bars, period. */
export function reportFileName(report: Report, extension: string): string {
  const bars = report.bars.length === 1 ? report.bars[0]!.replace(/[^\w-]+/g, '-').toLowerCase() : 'all-bars';
  return `${report.kind}-${bars}-${day(report.from)}-to-${lastDay(report.to)}.${extension}`;
}

function headerLines(report: Report): (string | number)[][] {
  return [
    [report.title],
    [report.organization, report.bars.join(', ')],
    [
      `${day(report.from)} to ${lastDay(report.to)}`,
      `compared with ${day(report.previous.from)} to ${lastDay(report.previous.to)}`,
    ],
    [`currency ${report.currency}`],
  ];
}

function totalLines(report: Report): (string | number | null)[][] {
  return [
    ['Total', 'This period', 'Previous period'],
    ...report.totals.map((t) => [t.label, t.value, t.previous]),
  ];
}

/** CSV (RFC 4180, CRLF): a header block, the table with its column row, then the totals compared. */
export function reportCsv(report: Report): string {
  const rows: (string | number | null)[][] = [
    ...headerLines(report),
    [],
    report.columns.map((c) => c.label),
    ...report.rows.map((row) => report.columns.map((c) => cell(row[c.key] ?? null, c.type))),
    [],
    ...totalLines(report),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** XLSX (SheetJS): the table on the first sheet with real numbers, the totals on a second. */
export function reportXlsx(report: Report): Uint8Array {
  const table = [
    report.columns.map((c) => c.label),
    ...report.rows.map((row) => report.columns.map((c) => cell(row[c.key] ?? null, c.type))),
  ];
  const book = XLSX.utils.book_new();
  const sheet = XLSX.utils.aoa_to_sheet(table);
  sheet['!cols'] = report.columns.map((c) => ({ wch: c.type === 'text' ? 28 : 16 }));
  XLSX.utils.book_append_sheet(book, sheet, report.title.slice(0, 31));
  XLSX.utils.book_append_sheet(
    book,
    XLSX.utils.aoa_to_sheet([...headerLines(report), [], ...totalLines(report)]),
    'Totals',
  );
  book.Props = { Title: report.title, Author: 'Pourcast hub' };
  return new Uint8Array(
    XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer,
  );
}

const money = (n: number) => n.toFixed(2);
const show = (value: string | number | null, type: string) =>
  value === null
    ? ''
    : typeof value === 'number'
      ? type === 'money'
        ? money(value)
        : String(Math.round(value * 100) / 100)
      : type === 'date'
        ? day(value)
        : value;

/** PDF (pdf-lib through the shared A4 writer): title, period, the table (header repeated per page), totals. */
export async function reportPdf(report: Report): Promise<Uint8Array> {
  const w = await pdfWriter(`${report.title} ${day(report.from)} to ${lastDay(report.to)}`);
  w.text(report.title, MARGIN, 18, w.bold);
  w.newline(24);
  for (const line of headerLines(report).slice(1)) {
    w.text(line.join('   '), MARGIN);
    w.newline();
  }
  w.newline(10);
  const width = A4[0] - 2 * MARGIN;
  const weights = report.columns.map((c) => (c.type === 'text' ? 2 : 1));
  const unit = width / weights.reduce((a, b) => a + b, 0);
  let x = MARGIN;
  const edges = report.columns.map((c, i) => {
    const left = x;
    x += weights[i]! * unit;
    return { left, right: x - 4, numeric: c.type !== 'text' && c.type !== 'date' };
  });
  const fit = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars - 1)}.` : text);
  const row = (values: string[], face = w.font) =>
    values.forEach((value, i) => {
      const edge = edges[i]!;
      const chars = Math.floor((edge.right - edge.left) / 5);
      if (edge.numeric) w.right(fit(value, chars), edge.right, 9, face);
      else w.text(fit(value, chars), edge.left, 9, face);
    });
  const header = () => {
    row(
      report.columns.map((c) => c.label),
      w.bold,
    );
    w.newline(14);
  };
  header();
  w.onNewPage(header);
  for (const data of report.rows) {
    row(report.columns.map((c) => show(data[c.key] ?? null, c.type)));
    w.newline(13);
  }
  w.onNewPage(() => undefined);
  w.newline(10);
  w.text('Totals', MARGIN, 11, w.bold);
  w.right('This period', MARGIN + 380, 10, w.bold);
  w.right('Previous period', MARGIN + width, 10, w.bold);
  w.newline();
  for (const total of report.totals) {
    w.text(total.label, MARGIN);
    w.right(show(total.value, total.type), MARGIN + 380);
    w.right(total.previous === null ? '-' : show(total.previous, total.type), MARGIN + width);
    w.newline();
  }
  return w.pdf.save();
}
