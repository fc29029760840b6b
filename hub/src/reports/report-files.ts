import * as XLSX from '@e965/xlsx';
import { itemUnitSchema, type UserLocale } from '@pourcast/protocol';
import { CATALOGS, codeWord, languageOf, translator, type Translate } from '../i18n/catalog.ts';
import { csvField } from '../ordering/export-csv.ts';
import { unitWord } from './build-report.ts';
import { A4, MARGIN, pdfWriter } from './pdf-writer.ts';
import type { ColumnType, Report } from './report-schemas.ts';

const day = (iso: string) => iso.slice(0, 10);
/** The last day a [from, to) period covers. */
const lastDay = (to: string) => day(new Date(Date.parse(to) - 1).toISOString());
const cell = (value: string | number | null, type: string) =>
  value === null ? '' : type === 'date' && typeof value === 'string' ? day(value) : value;

/** Columns holding a stored code (an order's status, a waste reason), written as the reader's word. */
const CODE_COLUMNS = { status: 'status', reason: 'reason' } as const;

/**
 * The report with its codes in words (every format), the figures untouched: an order's status, a waste
 * reason, and the unit of a row's amounts (ml, or units for a countable), so each amount reads beside its
 * unit in every format.
 */
function inWords(report: Report, t: Translate): Report {
  const coded = report.columns.filter((c) => c.key in CODE_COLUMNS || c.type === 'unit');
  if (coded.length === 0) return report;
  return {
    ...report,
    rows: report.rows.map((row) => {
      const out = { ...row };
      for (const { key, type } of coded) {
        const value = row[key];
        if (typeof value !== 'string') continue;
        if (type === 'unit') {
          const unit = itemUnitSchema.safeParse(value);
          if (unit.success) out[key] = unitWord(t, unit.data);
        } else out[key] = codeWord(t, CODE_COLUMNS[key as keyof typeof CODE_COLUMNS], value);
      }
      return out;
    }),
  };
}

/** A file name for the download: kind, bars, period. */
export function reportFileName(report: Report, extension: string): string {
  const bars = report.bars.length === 1 ? report.bars[0]!.replace(/[^\w-]+/g, '-').toLowerCase() : 'all-bars';
  return `${report.kind}-${bars}-${day(report.from)}-to-${lastDay(report.to)}.${extension}`;
}

/** Dates as written in the header block: ISO days in CSV/XLSX (machine-readable), the locale's in the PDF. */
type DayFormat = (iso: string) => string;

function headerLines(report: Report, t: Translate, date: DayFormat = day): (string | number)[][] {
  return [
    [report.title],
    [report.organization, report.bars.join(', ')],
    [
      t('header.period', { from: date(report.from), to: date(lastDay(report.to)) }),
      t('header.compared', { from: date(report.previous.from), to: date(lastDay(report.previous.to)) }),
    ],
    [t('header.currency', { currency: report.currency })],
  ];
}

function totalLines(report: Report, t: Translate): (string | number | null)[][] {
  return [
    [t('totals.figure'), t('totals.thisPeriod'), t('totals.previousPeriod')],
    ...report.totals.map((total) => [total.label, total.value, total.previous]),
  ];
}

/**
 * CSV (RFC 4180, CRLF): a header block, the table with its column row, then the totals compared. Words
 * in the reader's language (`locale`); numbers stay plain (a dot, no grouping) for a machine to read.
 */
export function reportCsv(raw: Report, locale: UserLocale): string {
  const t = translator(locale);
  const report = inWords(raw, t);
  const rows: (string | number | null)[][] = [
    ...headerLines(report, t),
    [],
    report.columns.map((c) => c.label),
    ...report.rows.map((row) => report.columns.map((c) => cell(row[c.key] ?? null, c.type))),
    [],
    ...totalLines(report, t),
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]. */
const sheetName = (name: string) => name.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31);

/** XLSX (SheetJS): the table on the first sheet with real numbers, the totals on a second; words in `locale`. */
export function reportXlsx(raw: Report, locale: UserLocale): Uint8Array {
  const t = translator(locale);
  const report = inWords(raw, t);
  const table = [
    report.columns.map((c) => c.label),
    ...report.rows.map((row) => report.columns.map((c) => cell(row[c.key] ?? null, c.type))),
  ];
  const book = XLSX.utils.book_new();
  const sheet = XLSX.utils.aoa_to_sheet(table);
  sheet['!cols'] = report.columns.map((c) => ({ wch: c.type === 'text' ? 28 : c.type === 'unit' ? 10 : 16 }));
  XLSX.utils.book_append_sheet(book, sheet, sheetName(report.title));
  XLSX.utils.book_append_sheet(
    book,
    XLSX.utils.aoa_to_sheet([...headerLines(report, t), [], ...totalLines(report, t)]),
    sheetName(t('totals.title')),
  );
  book.Props = { Title: report.title, Author: 'Pourcast hub' };
  return new Uint8Array(
    XLSX.write(book, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer,
  );
}

/** How the PDF shows values in a locale (Intl: `en-IN` and `hi` group lakh and crore, 1,00,000). */
export function pdfFormats(locale: UserLocale, currency: string) {
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const show = (value: string | number | null, type: ColumnType) =>
    value === null
      ? ''
      : typeof value === 'number'
        ? type === 'money'
          ? money.format(value)
          : number.format(value)
        : type === 'date'
          ? date.format(new Date(value))
          : value;
  return { show, day: (iso: string) => date.format(new Date(day(iso))) };
}

/**
 * PDF (pdf-lib through the shared A4 writer): title, period, the table (header repeated per page),
 * totals; words, numbers, money and dates in the reader's locale. Text outside the standard fonts
 * (Hindi, a ₹, a Polish or Greek name in any language) draws in the Noto Sans it needs.
 */
export async function reportPdf(raw: Report, locale: UserLocale): Promise<Uint8Array> {
  const t = translator(locale);
  const report = inWords(raw, t);
  const { show, day: date } = pdfFormats(locale, report.currency);
  const header = headerLines(report, t, date);
  const w = await pdfWriter(`${report.title} ${header[2]![0]}`, {
    language: locale,
    // What is drawn comes from the report, the header, the language's words and the money format.
    text: [
      JSON.stringify(report),
      ...header.flat(),
      ...Object.values(CATALOGS[languageOf(locale)]),
      show(0, 'money'),
    ].join(' '),
  });
  w.text(report.title, MARGIN, 18, w.bold);
  w.newline(24);
  for (const line of header.slice(1)) {
    w.text(line.join('   '), MARGIN);
    w.newline();
  }
  w.newline(10);
  const width = A4[0] - 2 * MARGIN;
  // A unit column is as wide as its widest word (ml, units) and the gap; the others share the rest, text twice.
  const fixed = report.columns.map((c) =>
    c.type === 'unit'
      ? Math.max(
          w.width(c.label, 9, w.bold),
          ...report.rows.map((data) => w.width(show(data[c.key] ?? null, c.type), 9)),
        ) + 6
      : 0,
  );
  const weights = report.columns.map((c): number => (c.type === 'unit' ? 0 : c.type === 'text' ? 2 : 1));
  const share = (width - fixed.reduce((a, b) => a + b, 0)) / weights.reduce((a, b) => a + b, 0);
  let x = MARGIN;
  const edges = report.columns.map((c, i) => {
    const left = x;
    x += fixed[i]! + weights[i]! * share;
    return { left, right: x - 4, numeric: c.type !== 'text' && c.type !== 'date' && c.type !== 'unit' };
  });
  const row = (values: string[], face = w.font) =>
    values.forEach((value, i) => {
      const edge = edges[i]!;
      const room = edge.right - edge.left;
      if (edge.numeric) w.right(w.fit(value, room, 9, face), edge.right, 9, face);
      else w.text(w.fit(value, room, 9, face), edge.left, 9, face);
    });
  /** A heading over at most four lines of its column, broken between words, the rest cut to fit. */
  const wrap = (text: string, room: number) => {
    const lines: string[] = [];
    for (const word of text.split(' ')) {
      const last = lines.at(-1);
      if (last !== undefined && (lines.length === 4 || w.width(`${last} ${word}`, 9, w.bold) <= room))
        lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines;
  };
  const tableHeader = () => {
    const headings = report.columns.map((c, i) => wrap(c.label, edges[i]!.right - edges[i]!.left));
    const depth = Math.max(...headings.map((lines) => lines.length));
    for (let line = 0; line < depth; line++) {
      if (line > 0) w.newline(11);
      row(
        headings.map((lines) => lines[line] ?? ''),
        w.bold,
      );
    }
    w.newline(14);
  };
  tableHeader();
  w.onNewPage(tableHeader);
  for (const data of report.rows) {
    row(report.columns.map((c) => show(data[c.key] ?? null, c.type)));
    w.newline(13);
  }
  w.onNewPage(() => undefined);
  w.newline(10);
  w.text(t('totals.title'), MARGIN, 11, w.bold);
  w.right(t('totals.thisPeriod'), MARGIN + 380, 10, w.bold);
  w.right(t('totals.previousPeriod'), MARGIN + width, 10, w.bold);
  w.newline();
  for (const total of report.totals) {
    w.text(total.label, MARGIN);
    w.right(show(total.value, total.type), MARGIN + 380);
    w.right(total.previous === null ? '-' : show(total.previous, total.type), MARGIN + width);
    w.newline();
  }
  return w.pdf.save();
}
