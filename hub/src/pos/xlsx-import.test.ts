import * as XLSX from '@e965/xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createLocation, freshHub } from '../../test/helpers.ts';

let token: string;
let locationId: string;
let mappingId: string;

beforeAll(async () => {
  token = (await freshHub()).token;
  locationId = await createLocation(token);
  const mapping = await call('POST', '/pos/csv-mappings', {
    token,
    json: {
      name: 'Till export',
      columns: { soldAt: 'Date', itemId: 'PLU', itemName: 'Name', quantity: 'Qty', amount: 'Net' },
    },
  });
  expect(mapping.status).toBe(201);
  mappingId = mapping.body.id;
});

/** A workbook as a till exports it: real date cells, numbers as numbers, a title row above the header. */
function workbook(rows: unknown[][], origin = 'A1'): string {
  const sheet = XLSX.utils.sheet_add_aoa(XLSX.utils.aoa_to_sheet([]), rows, { origin, cellDates: true });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Sales');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' });
}

describe('XLSX import', () => {
  it('reads the first sheet with the saved mapping, reports bad rows by sheet row, records nothing twice', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 2, 6, 21, minute));
    const xlsxBase64 = workbook(
      [
        ['Date', 'PLU', 'Name', 'Qty', 'Net'],
        [at(0), 'P1', 'Margarita', 1, 12],
        [at(5), 'P1', 'Margarita', 'x', 12],
        [at(10), 'P2', 'House Red', 2, 14],
        ['yesterday', 'P2', 'House Red', 1, 7],
      ],
      'A3',
    );
    const json = { locationId, mappingId, fileName: 'sales.xlsx', xlsxBase64 };
    const first = await call('POST', '/pos/imports', { token, json });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ rows: 4, lines: 2, recorded: 2, duplicates: 0, needsMapping: 2 });
    expect(first.body.errors).toEqual([
      { line: 5, reason: 'Qty "x" is not a quantity above 0' },
      { line: 7, reason: 'Date "yesterday" is not a date-time (YYYY-MM-DD HH:MM)' },
    ]);
    const again = await call('POST', '/pos/imports', { token, json });
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 2 });
  });

  it('refuses a body with both or neither file, and reports a file that is no workbook', async () => {
    const both = await call('POST', '/pos/imports', {
      token,
      json: { locationId, mappingId, csv: 'a', xlsxBase64: 'YQ==' },
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toContain('body.csv: give either csv or xlsxBase64');
    const junk = await call('POST', '/pos/imports', {
      token,
      json: { locationId, mappingId, xlsxBase64: btoa('not a zip at all') },
    });
    expect(junk.status).toBe(201);
    expect(junk.body.lines).toBe(0);
    expect(junk.body.errors.length).toBeGreaterThan(0);
  });
});
