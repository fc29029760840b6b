import { describe, expect, it } from 'vitest';
import { pourUsage, type ModifierRule } from '../recipes/apply-modifiers.ts';
import { csvToSaleLines } from './csv-import.ts';
import { parseCsv } from './csv-parse.ts';
import { hmacBase64 } from './hmac.ts';
import { zonedToUtcIso } from './local-time.ts';
import { squareAdapter, squareOrderSchema, verifySquareSignature } from './square.ts';
import { tabitAdapter, tabitClosedCheckSchema, verifyTabitSignature } from './tabit.ts';

const rules = new Map<string, ModifierRule>([
  ['double', { nameKey: 'double', multiplier: 2, dropCategories: [] }],
  ['neat', { nameKey: 'neat', multiplier: 1, dropCategories: ['mixer'] }],
  ['rocks', { nameKey: 'rocks', multiplier: 1, dropCategories: [] }],
]);
const highball = [
  { itemId: 'gin', ml: 50, category: 'spirit' as const },
  { itemId: 'tonic', ml: 150, category: 'mixer' as const },
];

describe('modifiers', () => {
  it('double doubles every pour, neat drops the mixer, rocks changes nothing', () => {
    expect(pourUsage(highball, 1, ['Double'], rules).usage).toEqual([
      { itemId: 'gin', ml: 100 },
      { itemId: 'tonic', ml: 300 },
    ]);
    expect(pourUsage(highball, 2, ['neat', 'double'], rules).usage).toEqual([{ itemId: 'gin', ml: 200 }]);
    expect(pourUsage(highball, 1, ['rocks', 'extra lime'], rules)).toEqual({
      usage: [
        { itemId: 'gin', ml: 50 },
        { itemId: 'tonic', ml: 150 },
      ],
      unknownModifiers: ['extra lime'],
    });
  });
});

describe('CSV', () => {
  it('parses quotes, embedded delimiters, newlines and CRLF with the line each record starts on', () => {
    const { records } = parseCsv('a,b\r\n"x, y","multi\nline"\r\n"say ""hi""",2\n');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'multi\nline'] },
      { line: 4, cells: ['say "hi"', '2'] },
    ]);
    expect(parseCsv('a\n"open').error).toEqual({ line: 2, reason: 'unterminated quoted field' });
  });

  const mapping = {
    name: 'export',
    columns: {
      soldAt: 'Time',
      itemId: 'PLU',
      itemName: 'Item',
      quantity: 'Qty',
      amount: 'Total',
      kind: 'Type',
      modifiers: 'Mods',
    },
    delimiter: ',' as const,
    modifierSeparator: '|',
  };
  it('reports each bad row by line and reason and keys identical rows by occurrence', async () => {
    const csv = [
      'Time,PLU,Item,Qty,Total,Type,Mods',
      '2026-03-06 21:15,101,Margarita,1,12.00,sale,',
      '2026-03-06 21:15,101,Margarita,1,12.00,sale,',
      'yesterday,101,Margarita,1,12.00,sale,',
      '2026-03-06 21:20,102,Gin & Tonic,zero,9,sale,',
      '2026-03-06 21:25,102,Gin & Tonic,1,9,stolen,',
      '2026-03-06 21:30,,Nameless,1,9,sale,',
      '2026-03-06 21:40,102,Gin & Tonic,1,9',
      '2026-03-06 21:45,102,Gin & Tonic,1,9,refund,double|neat',
    ].join('\n');
    const result = await csvToSaleLines(csv, mapping, 'Europe/London');
    expect(result.rows).toBe(8);
    expect(result.errors).toEqual([
      { line: 4, reason: 'Time "yesterday" is not a date-time (YYYY-MM-DD HH:MM)' },
      { line: 5, reason: 'Qty "zero" is not a quantity above 0' },
      { line: 6, reason: 'Type "stolen" is not sale, void, refund or comp' },
      { line: 7, reason: 'empty PLU' },
      { line: 8, reason: 'has 5 cells, the header has 7' },
    ]);
    expect(result.lines).toHaveLength(3);
    expect(result.lines[0]!.lineRef).not.toBe(result.lines[1]!.lineRef);
    expect(result.lines[0]!.soldAt).toBe('2026-03-06T21:15:00.000Z');
    expect(result.lines[2]).toMatchObject({ kind: 'refund', revenue: -9, modifiers: ['double', 'neat'] });
    const again = await csvToSaleLines(csv, mapping, 'Europe/London');
    expect(again.lines.map((l) => l.lineRef)).toEqual(result.lines.map((l) => l.lineRef));
  });

  it('names the missing header columns', async () => {
    const result = await csvToSaleLines('Time,PLU\n2026-03-06 21:15,101\n', mapping, 'UTC');
    expect(result.errors[0]!.reason).toContain('"Item" (itemName)');
  });

  it('reads naive times in the bar timezone across DST', () => {
    expect(zonedToUtcIso('2026-07-01 22:00', 'Europe/London')).toBe('2026-07-01T21:00:00.000Z');
    expect(zonedToUtcIso('2026-01-01 22:00', 'America/New_York')).toBe('2026-01-02T03:00:00.000Z');
  });
});

// A recorded Tabit closed check (one comp, one voided line, one refund).
const tabitCheck = {
  eventId: 'evt-1001',
  eventType: 'check.closed',
  check: {
    id: 'chk-77',
    closedAt: '2026-03-06T23:10:00Z',
    items: [
      { lineId: 'l1', menuItemId: 'T-MARG', name: 'Margarita', quantity: 2, price: 24, modifiers: [] },
      {
        lineId: 'l2',
        menuItemId: 'T-GT',
        name: 'Gin Tonic',
        quantity: 1,
        price: 9,
        modifiers: [{ name: 'Double' }],
      },
      { lineId: 'l3', menuItemId: 'T-GT', name: 'Gin Tonic', quantity: 1, price: 9, comp: true },
      { lineId: 'l4', menuItemId: 'T-MARG', name: 'Margarita', quantity: 1, price: 12, voided: true },
    ],
    refunds: [{ refundId: 'r1', lineId: 'l1', quantity: 1, amount: 12 }],
  },
};

describe('Tabit', () => {
  it('maps sales, comps, voids and refunds', () => {
    const lines = tabitAdapter.toSaleLines(tabitClosedCheckSchema.parse(tabitCheck));
    expect(lines.map((l) => [l.lineRef, l.kind, l.externalItemId, l.quantity, l.revenue])).toEqual([
      ['chk-77:l1', 'sale', 'T-MARG', 2, 24],
      ['chk-77:l2', 'sale', 'T-GT', 1, 9],
      ['chk-77:l3', 'comp', 'T-GT', 1, 0],
      ['chk-77:l4', 'sale', 'T-MARG', 1, 12],
      ['chk-77:l4', 'void', 'T-MARG', 1, -12],
      ['chk-77:l1:r1', 'refund', 'T-MARG', 1, -12],
    ]);
    expect(lines[1]!.modifiers).toEqual(['Double']);
  });

  it('verifies the signature over timestamp and body within the replay window', async () => {
    const now = new Date('2026-03-06T23:10:30Z');
    const timestamp = String(Math.floor(now.getTime() / 1000) - 30);
    const body = JSON.stringify(tabitCheck);
    const { hmacHex } = await import('./hmac.ts');
    const signature = `sha256=${await hmacHex('secret-key', `${timestamp}.${body}`)}`;
    expect(await verifyTabitSignature('secret-key', body, { signature, timestamp }, now)).toEqual({
      ok: true,
    });
    expect(await verifyTabitSignature('other-key', body, { signature, timestamp }, now)).toMatchObject({
      reason: 'signature mismatch',
    });
    expect(await verifyTabitSignature('secret-key', `${body} `, { signature, timestamp }, now)).toMatchObject(
      { ok: false },
    );
    const late = new Date(now.getTime() + 10 * 60_000);
    expect(await verifyTabitSignature('secret-key', body, { signature, timestamp }, late)).toMatchObject({
      reason: 'timestamp outside the replay window',
    });
    expect(await verifyTabitSignature('secret-key', body, { timestamp }, now)).toMatchObject({
      reason: 'missing signature headers',
    });
  });
});

// A recorded Square RetrieveOrder answer, trimmed to the fields the adapter reads.
const squareOrder = {
  id: 'ORD-9',
  state: 'COMPLETED',
  closed_at: '2026-03-06T22:00:00.000Z',
  line_items: [
    {
      uid: 'a',
      name: 'Margarita',
      catalog_object_id: 'SQ-MARG',
      quantity: '2',
      base_price_money: { amount: 1200, currency: 'EUR' },
      total_money: { amount: 2400, currency: 'EUR' },
    },
    {
      uid: 'b',
      name: 'Whisky',
      variation_name: 'Neat',
      catalog_object_id: 'SQ-WHI',
      quantity: '1',
      modifiers: [{ name: 'Double' }],
      base_price_money: { amount: 900, currency: 'EUR' },
      total_money: { amount: 0, currency: 'EUR' },
    },
  ],
  returns: [
    {
      uid: 'ret1',
      return_line_items: [
        {
          uid: 'c',
          name: 'Margarita',
          catalog_object_id: 'SQ-MARG',
          quantity: '1',
          total_money: { amount: 1200, currency: 'EUR' },
        },
      ],
    },
  ],
};

describe('Square', () => {
  it('maps a completed order: sales, a zero-total comp, returns as refunds; open orders give nothing', () => {
    const lines = squareAdapter.toSaleLines(squareOrderSchema.parse(squareOrder));
    expect(
      lines.map((l) => [l.lineRef, l.kind, l.externalItemId, l.externalName, l.quantity, l.revenue]),
    ).toEqual([
      ['ORD-9:a', 'sale', 'SQ-MARG', 'Margarita', 2, 24],
      ['ORD-9:b', 'comp', 'SQ-WHI', 'Whisky Neat', 1, 0],
      ['ORD-9:return:ret1:c', 'refund', 'SQ-MARG', 'Margarita', 1, -12],
    ]);
    expect(squareAdapter.toSaleLines(squareOrderSchema.parse({ ...squareOrder, state: 'OPEN' }))).toEqual([]);
  });

  it('verifies base64 HMAC-SHA256 of notification URL + body', async () => {
    const url = 'https://hub.example/api/v1/pos/webhooks/square/abc';
    const body = '{"event_id":"e1"}';
    const signature = await hmacBase64('sig-key-123', url + body);
    expect(await verifySquareSignature('sig-key-123', url, body, signature)).toBe(true);
    expect(await verifySquareSignature('sig-key-123', 'https://other.example/', body, signature)).toBe(false);
    expect(await verifySquareSignature('sig-key-123', url, body, undefined)).toBe(false);
  });
});
