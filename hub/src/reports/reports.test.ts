import { exports } from 'cloudflare:workers';
import * as XLSX from '@e965/xlsx';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createItem, createLocation, freshHub, staff } from '../../test/helpers.ts';

let owner: string;
let bartender: string;
let barId: string;
let itemId: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  owner = (await freshHub('Reports Group')).token;
  bartender = (await staff(owner, 'bartender')).token;
  barId = await createLocation(owner, 'The Reading Room');
  // 2 sealed 700 ml bottles + 350 ml open at 28.00 a bottle = 2.5 bottles = 70.00
  itemId = (await createItem(owner, { name: 'Rye, "Old" Style', containerMl: 700, cost: 28 })).id;
  const adjusted = await call('POST', `/locations/${barId}/adjustments`, {
    token: owner,
    json: { itemId, sealedContainers: 2, openMl: 350, reason: 'opening stock' },
  });
  expect(adjusted.status).toBe(201);
});

const download = (path: string, token: string) =>
  exports.default.fetch(
    new Request(`http://hub.test/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }),
  );

describe('reports', () => {
  it('values the stock at the period end beside the previous period end', async () => {
    const answer = await call('GET', `/reports/valuation?locationId=${barId}&from=${today}&to=${today}`, {
      token: owner,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.currency).toBe('EUR');
    expect(answer.body.bars).toEqual(['The Reading Room']);
    expect(answer.body.rows).toEqual([
      expect.objectContaining({ item: 'Rye, "Old" Style', onHandMl: 1750, value: 70, previousValue: 0 }),
    ]);
    expect(answer.body.totals.find((t: { key: string }) => t.key === 'value')).toMatchObject({
      value: 70,
      previous: 0,
    });
    expect(answer.body.previous.to).toBe(answer.body.from);
  });

  it.each(['variance', 'usage', 'waste', 'orders'])('runs the %s report for every bar', async (kind) => {
    const answer = await call('GET', `/reports/${kind}?from=${today}&to=${today}`, { token: owner });
    expect(answer.status).toBe(200);
    expect(answer.body.columns.length).toBeGreaterThan(3);
    expect(answer.body.totals.every((t: { previous: number | null }) => t.previous !== undefined)).toBe(true);
  });

  it('refuses a period that ends before it starts, with a path: message line', async () => {
    const answer = await call('GET', `/reports/valuation?from=2026-02-02&to=2026-02-01`, { token: owner });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual(['query.to: must not be before from']);
  });

  it('keeps reports (money) from bartenders, but shows them stock history', async () => {
    const refused = await call('GET', `/reports/valuation?from=${today}&to=${today}`, { token: bartender });
    expect(refused.status).toBe(403);
    const file = await download(`/reports/valuation/export?from=${today}&to=${today}&format=csv`, bartender);
    expect(file.status).toBe(403);
    await file.arrayBuffer();
    const history = await call('GET', `/reports/stock-history?locationId=${barId}&itemId=${itemId}&days=3`, {
      token: bartender,
    });
    expect(history.status).toBe(200);
    expect(history.body.points.map((p: { totalMl: number }) => p.totalMl)).toEqual([0, 0, 1750]);
    expect(history.body.points.at(-1).date).toBe(today);
  });

  it('exports CSV with quoted fields, the table and the compared totals', async () => {
    const file = await download(
      `/reports/valuation/export?locationId=${barId}&from=${today}&to=${today}&format=csv`,
      owner,
    );
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toBe(
      `attachment; filename="valuation-the-reading-room-${today}-to-${today}.csv"`,
    );
    const text = await file.text();
    expect(text).toContain('Bar,Item,Category,On hand (ml),Value,Value at previous period end\r\n');
    expect(text).toContain('The Reading Room,"Rye, ""Old"" Style",spirit,1750,70,0\r\n');
    expect(text).toContain('Stock value,70,0\r\n');
  });

  it('exports XLSX (a zip whose first sheet holds the table as numbers)', async () => {
    const file = await download(
      `/reports/valuation/export?locationId=${barId}&from=${today}&to=${today}&format=xlsx`,
      owner,
    );
    expect(file.status).toBe(200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // "PK"
    const book = XLSX.read(bytes, { type: 'array' });
    expect(book.SheetNames).toEqual(['Inventory valuation', 'Totals']);
    const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets['Inventory valuation']!);
    expect(rows).toEqual([expect.objectContaining({ Item: 'Rye, "Old" Style', Value: 70 })]);
  });

  it('exports a real PDF through the shared A4 writer', async () => {
    const file = await download(`/reports/orders/export?from=${today}&to=${today}&format=pdf`, owner);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await file.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toContain('Orders');
  });

  it('answers the organization context to every role', async () => {
    const answer = await call('GET', '/reports/context', { token: bartender });
    expect(answer.body).toEqual({ organization: 'Reports Group', currency: 'EUR' });
  });
});
