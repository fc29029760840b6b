import * as XLSX from '@e965/xlsx';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  staff,
  viaWorker,
} from '../../test/helpers.ts';
import { tradingDayOf } from '../demand/business-day.ts';
import { dateOf, dayNumber } from '../forecasting/calendar.ts';
import { parseCsv } from '../pos/csv-parse.ts';
import { pdfFormats } from './report-files.ts';
import { pdfText } from './pdf-text.ts';

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
  viaWorker(new Request(`http://hub.test/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }));

describe('reports', () => {
  it('values the stock at the period end beside the previous period end', async () => {
    const answer = await call('GET', `/reports/valuation?locationId=${barId}&from=${today}&to=${today}`, {
      token: owner,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.currency).toBe('EUR');
    expect(answer.body.bars).toEqual(['The Reading Room']);
    expect(answer.body.rows).toEqual([
      expect.objectContaining({
        item: 'Rye, "Old" Style',
        unit: 'ml',
        onHandMl: 1750,
        value: 70,
        previousValue: 0,
      }),
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
    // The opening count is today's: the days before it are unmeasured, not empty.
    expect(history.body.points).toEqual([{ date: tradingDayOf('UTC', new Date()), totalMl: 1750 }]);
  });

  it("starts the stock history on the first day the ledger tracked the item, in the bar's trading days", async () => {
    const cellar = (
      await call('POST', '/locations', {
        token: owner,
        json: { name: 'Cellar NY', timezone: 'America/New_York' },
      })
    ).body.id as string;
    const gateway = await claimGateway(owner, cellar);
    const now = new Date();
    const todayThere = dayNumber(tradingDayOf('America/New_York', now));
    const day = (back: number) => dateOf(todayThere - back);
    // 23:00 in New York (UTC-5 or -4) is the next day in UTC, still the same trading day at the bar.
    const lateEvening = (back: number) =>
      new Date(Date.parse(`${day(back)}T23:00:00.000-05:00`)).toISOString();
    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 1, [
        event(gateway.gatewayId, 1, {
          locationId: cellar,
          itemId,
          kind: 'receive',
          source: 'scanner',
          deltaMl: 1400,
          containersDelta: 2,
          observedAt: lateEvening(3),
        }),
        event(gateway.gatewayId, 2, {
          locationId: cellar,
          itemId,
          deltaMl: -700,
          observedAt: lateEvening(2),
        }),
        event(gateway.gatewayId, 3, {
          locationId: cellar,
          itemId,
          deltaMl: -700,
          observedAt: lateEvening(2),
        }),
      ]),
    });
    expect(sent.status).toBe(200);
    const history = await call('GET', `/reports/stock-history?locationId=${cellar}&itemId=${itemId}&days=6`, {
      token: owner,
    });
    expect(history.status).toBe(200);
    // Unmeasured before the delivery; empty (0 ml) from the night it ran out to the day in progress.
    expect(history.body.points).toEqual([
      { date: day(3), totalMl: 1400 },
      { date: day(2), totalMl: 0 },
      { date: day(1), totalMl: 0 },
      { date: day(0), totalMl: 0 },
    ]);
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
    expect(text).toContain('Bar,Item,Category,Unit,On hand,Value,Value at previous period end\r\n');
    expect(text).toContain('The Reading Room,"Rye, ""Old"" Style",spirit,ml,1750,70,0\r\n');
    expect(text).toContain('Stock value,70,0\r\n');
    expect(text).toContain('On hand (ml),1750,\r\n');
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

describe("reports in the reader's language", () => {
  const valuation = (format: string, locale?: string) =>
    `/reports/valuation/export?locationId=${barId}&from=${today}&to=${today}&format=${format}` +
    (locale ? `&locale=${locale}` : '');

  it('writes CSV headings and words in Spanish, the numbers left plain for machines', async () => {
    const text = await (await download(valuation('csv', 'es'), owner)).text();
    expect(text.startsWith('Valoración del inventario\r\n')).toBe(true);
    expect(text).toContain(`del ${today} al ${today},comparado con el `);
    expect(text).toContain('moneda EUR\r\n');
    expect(text).toContain(
      'Bar,Artículo,Categoría,Unidad,Disponible,Valor,Valor al final del periodo anterior\r\n',
    );
    expect(text).toContain('The Reading Room,"Rye, ""Old"" Style",spirit,ml,1750,70,0\r\n');
    expect(text).toContain('Cifra,Este periodo,Periodo anterior\r\nValor del stock,70,0\r\n');
  });

  it('writes the XLSX first row and sheet names in Hindi, cells still numbers', async () => {
    const file = await download(valuation('xlsx', 'hi'), owner);
    const book = XLSX.read(new Uint8Array(await file.arrayBuffer()), { type: 'array' });
    expect(book.SheetNames).toEqual(['इन्वेंटरी मूल्यांकन', 'योग']);
    const [heading, row] = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['इन्वेंटरी मूल्यांकन']!, {
      header: 1,
    });
    expect(heading).toEqual(['बार', 'आइटम', 'श्रेणी', 'इकाई', 'उपलब्ध', 'मूल्य', 'पिछली अवधि के अंत में मूल्य']);
    expect(row).toEqual(['The Reading Room', 'Rye, "Old" Style', 'spirit', 'ml', 1750, 70, 0]);
  });

  it('writes a Spanish PDF with Spanish money and dates, in the standard fonts', async () => {
    const file = await download(valuation('pdf', 'es'), owner);
    const { pages, fonts } = await pdfText(new Uint8Array(await file.arrayBuffer()));
    expect(fonts.sort()).toEqual(['Helvetica', 'Helvetica-Bold']);
    // Intl puts a no-break space before the euro sign; WinAnsi keeps it (0xA0).
    const lines = pages[0]!.map((line) => line.replaceAll('\u00a0', ' '));
    expect(lines[0]).toBe('Valoración del inventario');
    const date = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(today),
    );
    // Headings wider than their column break between words (at most four lines), none cut.
    expect(lines.slice(4, 8)).toEqual([
      'BarArtículoCategoríaUnidadDisponibleValorValor al',
      'final del',
      'periodo',
      'anterior',
    ]);
    expect(lines).toContain('The Reading RoomRye, "Old" Stylespiritml175070,00 €0,00 €');
    expect(lines.some((line) => line.includes(`del ${date} al ${date}`))).toBe(true);
    expect(lines).toContain('Valor del stock70,00 €0,00 €');
  });

  it('writes a Hindi PDF in an embedded Devanagari font that reads back as the Hindi it drew', async () => {
    const file = await download(valuation('pdf', 'hi'), owner);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { pages, fonts, notdef } = await pdfText(bytes);
    expect(fonts.some((font) => /^NotoSansDevanagari-Regular/.test(font))).toBe(true);
    expect(notdef).toBe(0);
    const lines = pages[0]!;
    expect(lines[0]).toBe('इन्वेंटरी मूल्यांकन');
    expect(lines).toContain('मुद्रा EUR');
    // Copied as written: ई whole (drawn as इ and a mark), ि after its consonant (drawn before it).
    expect(lines.slice(4, 6)).toEqual(['बारआइटमश्रेणीइकाईउपलब्धमूल्यपिछली अवधि', 'के अंत में मूल्य']);
    expect(lines).toContain('The Reading RoomRye, "Old" Stylespiritml1,750€70.00€0.00');
    expect(lines).toContain('स्टॉक का मूल्य€70.00€0.00');
    expect((await PDFDocument.load(bytes)).getTitle()).toContain('इन्वेंटरी मूल्यांकन');
  });

  it("uses the caller's own language unless ?locale= asks for another, and refuses an unknown one", async () => {
    const manager = (await staff(owner, 'manager')).token;
    expect((await call('PATCH', '/auth/me', { token: manager, json: { locale: 'es' } })).status).toBe(200);
    const mine = await (await download(valuation('csv'), manager)).text();
    expect(mine.startsWith('Valoración del inventario\r\n')).toBe(true);
    const asked = await (await download(valuation('csv', 'en-GB'), manager)).text();
    expect(asked.startsWith('Inventory valuation\r\n')).toBe(true);
    const refused = await call('GET', valuation('csv', 'fr'), { token: manager });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([
      'query.locale: unknown locale; choose one of en-US, en-GB, en-IN, es, hi',
    ]);
  });

  it('groups lakh and crore for en-IN and hi in the PDF (Intl in workerd), thousands elsewhere', async () => {
    expect(pdfFormats('en-IN', 'INR').show(12345678.5, 'money')).toBe('₹1,23,45,678.50');
    expect(pdfFormats('hi', 'INR').show(150000, 'number')).toBe('1,50,000');
    expect(pdfFormats('en-US', 'USD').show(12345678.5, 'money')).toBe('$12,345,678.50');
    expect(pdfFormats('en-GB', 'GBP').day('2026-03-05T00:00:00.000Z')).toBe('5 Mar 2026');
    expect(pdfFormats('es', 'EUR').show(1234.5, 'money')).toBe('1234,50\u00a0€');

    const lounge = await createLocation(owner, 'Lakh Lounge');
    const cask = (await createItem(owner, { name: 'Cask strength', containerMl: 700, cost: 60000 })).id;
    const adjusted = await call('POST', `/locations/${lounge}/adjustments`, {
      token: owner,
      json: { itemId: cask, sealedContainers: 2, openMl: 0, reason: 'opening stock' },
    });
    expect(adjusted.status).toBe(201);
    const pdf = (locale: string) =>
      download(
        `/reports/valuation/export?locationId=${lounge}&from=${today}&to=${today}&format=pdf&locale=${locale}`,
        owner,
      ).then(async (file) => (await pdfText(new Uint8Array(await file.arrayBuffer()))).pages[0]!);
    expect(await pdf('en-IN')).toContain('Stock value€1,20,000.00€0.00');
    expect(await pdf('hi')).toContain('स्टॉक का मूल्य€1,20,000.00€0.00');
    expect(await pdf('en-US')).toContain('Stock value€120,000.00€0.00');
  });

  it('writes stored codes as words: a waste reason in Spanish, one typed by hand as it came', async () => {
    const cellar = await createLocation(owner, 'Cellar');
    const gateway = await claimGateway(owner, cellar);
    const at = new Date(`${today}T00:00:01.000Z`).toISOString();
    const waste = (seq: number, deltaMl: number, wasteReason?: 'breakage') =>
      event(gateway.gatewayId, seq, {
        locationId: cellar,
        itemId,
        kind: 'waste',
        source: 'display',
        deltaMl,
        ...(wasteReason ? { wasteReason } : { note: 'found open' }),
        observedAt: at,
      });
    const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      json: batch(gateway.gatewayId, 1, [waste(1, -700, 'breakage'), waste(2, -20)]),
    });
    expect(sent.status).toBe(200);
    const text = await (
      await download(
        `/reports/waste/export?locationId=${cellar}&from=${today}&to=${today}&format=csv&locale=es`,
        owner,
      )
    ).text();
    expect(text).toContain('Bar,Motivo,Unidad,Merma,Registros,Coste de la merma\r\n');
    expect(text).toContain('Cellar,Rotura,ml,700,1,28\r\n');
    expect(text).toContain('Cellar,Sin especificar,ml,20,1,0.8\r\n');
    const json = await call('GET', `/reports/waste?locationId=${cellar}&from=${today}&to=${today}`, {
      token: owner,
    });
    expect(json.body.rows.map((row: { reason: string }) => row.reason)).toEqual(['breakage', 'unspecified']);
  });
});

/** Cells of each record of a CSV export, read by the POS import's own RFC 4180 parser. */
const csvRows = (text: string): string[][] => parseCsv(text).records.map((record) => record.cells);

describe('amounts in their unit: a bar with a liquid and a countable', () => {
  let canBar: string;
  const period = () => `locationId=${canBar}&from=${today}&to=${today}`;
  const totalsOf = async (kind: string) => {
    const answer = await call('GET', `/reports/${kind}?${period()}`, { token: owner });
    expect(answer.status).toBe(200);
    return answer.body as {
      rows: Record<string, string | number | null>[];
      totals: { key: string; label: string; unit: string | null; value: number; previous: number | null }[];
    };
  };

  beforeAll(async () => {
    canBar = await createLocation(owner, 'The Can Bar');
    // 1 sealed 700 ml bottle + 350 ml open at 14.00 a bottle; 48 cans at 0.50 each (counted in units).
    const vodka = (await createItem(owner, { name: 'House Vodka', containerMl: 700, cost: 14 })).id;
    const cola = (
      await createItem(owner, {
        name: 'Cola Can',
        category: 'mixer',
        containerMl: 1,
        unit: 'unit',
        cost: 0.5,
      })
    ).id;
    for (const [item, sealedContainers, openMl] of [
      [vodka, 1, 350],
      [cola, 48, 0],
    ] as const) {
      const adjusted = await call('POST', `/locations/${canBar}/adjustments`, {
        token: owner,
        json: { itemId: item, sealedContainers, openMl, reason: 'opening stock' },
      });
      expect(adjusted.status).toBe(201);
    }
    // Broken: 70 ml of vodka and 3 cans; spilt: 1 can.
    for (const [itemId, ml, reason] of [
      [vodka, 70, 'breakage'],
      [cola, 3, 'breakage'],
      [cola, 1, 'spill'],
    ] as const) {
      const logged = await call('POST', `/locations/${canBar}/waste`, {
        token: owner,
        json: { itemId, ml, reason },
      });
      expect(logged.status).toBe(204);
    }
  });

  const file = (kind: string, format: string, locale = 'en-US') =>
    download(`/reports/${kind}/export?${period()}&format=${format}&locale=${locale}`, owner);
  const figures = (
    totals: { label: string; unit: string | null; value: number; previous: number | null }[],
  ) => totals.map(({ label, unit, value, previous }) => [label, unit, value, previous]);

  it('totals the liquids in ml and the countables in units, never one sum of both; money adds up', async () => {
    const valuation = await totalsOf('valuation');
    expect(valuation.rows).toEqual([
      expect.objectContaining({ item: 'Cola Can', unit: 'unit', onHandMl: 44, value: 22 }),
      expect.objectContaining({ item: 'House Vodka', unit: 'ml', onHandMl: 980, value: 19.6 }),
    ]);
    expect(figures(valuation.totals)).toEqual([
      ['Stock value', null, 41.6, 0],
      ['On hand (ml)', 'ml', 980, null],
      ['On hand (units)', 'unit', 44, null],
    ]);
    const usage = await totalsOf('usage');
    expect(usage.rows.map((row) => [row.item, row.unit, row.measuredMl])).toEqual([
      ['Cola Can', 'unit', 4],
      ['House Vodka', 'ml', 70],
    ]);
    expect(figures(usage.totals)).toEqual([
      ['Used (ml)', 'ml', 70, 0],
      ['Used (units)', 'unit', 4, 0],
      ['Usage cost', null, 3.4, 0],
    ]);
    const variance = await totalsOf('variance');
    expect(variance.rows.map((row) => [row.item, row.unit, row.expectedMl])).toEqual([
      ['Cola Can', 'unit', 4],
      ['House Vodka', 'ml', 70],
    ]);
    expect(figures(variance.totals).map(([label, unit]) => [label, unit])).toEqual([
      ['Variance (ml)', 'ml'],
      ['Variance (units)', 'unit'],
      ['Variance cost', null],
    ]);
  });

  it('splits waste by reason and unit, the costliest reason first, its ml beside its units', async () => {
    const waste = await totalsOf('waste');
    expect(
      waste.rows.map(({ reason, unit, wasteMl, events, wasteCost }) => [
        reason,
        unit,
        wasteMl,
        events,
        wasteCost,
      ]),
    ).toEqual([
      ['breakage', 'ml', 70, 1, 1.4],
      ['breakage', 'unit', 3, 1, 1.5],
      ['spill', 'unit', 1, 1, 0.5],
    ]);
    expect(figures(waste.totals)).toEqual([
      ['Wasted (ml)', 'ml', 70, 0],
      ['Wasted (units)', 'unit', 4, 0],
      ['Waste cost', null, 3.4, 0],
    ]);
  });

  it('leaves out the units total where no row is in units', async () => {
    const answer = await call('GET', `/reports/valuation?locationId=${barId}&from=${today}&to=${today}`, {
      token: owner,
    });
    expect(answer.body.totals.map((t: { unit: string | null }) => t.unit)).toEqual([null, 'ml']);
  });

  it('writes each CSV row with its unit beside plain numbers, and a total per unit', async () => {
    const rows = csvRows(await (await file('valuation', 'csv')).text());
    const heading = rows.findIndex((row) => row[0] === 'Bar');
    expect(rows[heading]).toEqual([
      'Bar',
      'Item',
      'Category',
      'Unit',
      'On hand',
      'Value',
      'Value at previous period end',
    ]);
    expect(rows.slice(heading + 1, heading + 3)).toEqual([
      ['The Can Bar', 'Cola Can', 'mixer', 'units', '44', '22', '0'],
      ['The Can Bar', 'House Vodka', 'spirit', 'ml', '980', '19.6', '0'],
    ]);
    expect(rows.filter((row) => row[0]!.startsWith('On hand'))).toEqual([
      ['On hand (ml)', '980', ''],
      ['On hand (units)', '44', ''],
    ]);
    const spanish = csvRows(await (await file('waste', 'csv', 'es')).text());
    expect(spanish).toContainEqual(['The Can Bar', 'Rotura', 'unidades', '3', '1', '1.5']);
    expect(spanish).toContainEqual(['Merma (unidades)', '4', '0']);
    expect(spanish).toContainEqual(['Merma (ml)', '70', '0']);
  });

  it('writes the XLSX unit cells as words and the amounts as numbers, the totals per unit', async () => {
    const book = XLSX.read(new Uint8Array(await (await file('usage', 'xlsx')).arrayBuffer()), {
      type: 'array',
    });
    const sheet = book.Sheets['Usage']!;
    expect(['C1', 'C2', 'C3', 'D1', 'D2', 'D3'].map((cell) => sheet[cell]?.v)).toEqual([
      'Unit',
      'units',
      'ml',
      'Used',
      4,
      70,
    ]);
    expect(sheet['D2']!.t).toBe('n');
    const totals = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['Totals']!, { header: 1 });
    expect(totals).toContainEqual(['Used (ml)', 70, 0]);
    expect(totals).toContainEqual(['Used (units)', 4, 0]);
  });

  it('draws the unit beside each PDF row and a total per unit (en, hi)', async () => {
    const english = (await pdfText(new Uint8Array(await (await file('valuation', 'pdf')).arrayBuffer())))
      .pages[0]!;
    expect(english).toContain('BarItemCategoryUnitOn handValueValue at');
    expect(english).toContain('The Can BarCola Canmixerunits44€22.00€0.00');
    expect(english).toContain('The Can BarHouse Vodkaspiritml980€19.60€0.00');
    expect(english).toContain('On hand (ml)980-');
    expect(english).toContain('On hand (units)44-');
    const hindi = await pdfText(new Uint8Array(await (await file('waste', 'pdf', 'hi')).arrayBuffer()));
    expect(hindi.notdef).toBe(0);
    const lines = hindi.pages[0]!;
    expect(lines).toContain('The Can Barटूटनाml701€1.40');
    expect(lines).toContain('The Can Barटूटनाइकाइयाँ31€1.50');
    expect(lines).toContain('The Can Barछलकनाइकाइयाँ11€0.50');
    // The totals' labels end in their unit: (ml) 70 and (इकाइयाँ) 4, this period; 0 the previous one.
    expect(
      lines.filter((line) => /\((ml|इकाइयाँ)\)\d+$/.test(line)).map((line) => line.split(' ')[1]),
    ).toEqual(['(ml)700', '(इकाइयाँ)40']);
  });
});
