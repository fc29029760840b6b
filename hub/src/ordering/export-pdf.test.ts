import { describe, expect, it } from 'vitest';
import { pdfText } from '../reports/pdf-text.ts';
import { orderPdf } from './export-pdf.ts';
import type { PurchaseOrder } from './order-schemas.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function order(items: { name: string; cases: number; caseSize: number; price: number }[]): PurchaseOrder {
  const lines = items.map((item, i) => ({
    id: id(100 + i),
    itemId: id(200 + i),
    itemName: item.name,
    cases: item.cases,
    caseSize: item.caseSize,
    quantity: item.cases * item.caseSize,
    unitPrice: item.price,
    lineTotal: item.cases * item.caseSize * item.price,
    reason: '',
    why: null,
    receivedQuantity: 0,
    receivedUnitPrice: null,
    flags: [],
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  return {
    id: id(1),
    locationId: id(2),
    supplierId: id(3),
    supplierName: 'Harbour Wines',
    supplierEmail: 'orders@harbour.example',
    status: 'approved',
    lines,
    substitutions: [],
    subtotal,
    deliveryFee: 15,
    total: subtotal + 15,
    minimumOrder: 0,
    leadTimeDays: 2,
    createdAt: '2026-12-07T08:00:00.000Z',
    approvedBy: id(4),
    approvedAt: '2026-12-07T09:00:00.000Z',
    sentAt: null,
    sentVia: null,
    history: [],
  };
}

const parties = {
  organization: 'Pourcast Bars',
  bar: 'The Reading Room',
  deliveryAddress: '12 Harbour Road\nDublin D02 XY45',
  currency: 'EUR',
};

describe('the purchase order PDF', () => {
  it('writes the order, where it goes and when it is expected, in the standard fonts when every name is in them', async () => {
    const bytes = await orderPdf(order([{ name: 'Gin', cases: 1, caseSize: 12, price: 19 }]), parties);
    const { pages, fonts } = await pdfText(bytes);
    expect(fonts.sort()).toEqual(['Helvetica', 'Helvetica-Bold']);
    expect(pages[0]).toEqual([
      'Purchase order',
      'Pourcast Bars - The Reading Room',
      'To: Harbour Wines <orders@harbour.example>',
      'Deliver to:The Reading Room',
      '12 Harbour Road',
      'Dublin D02 XY45',
      `Order ${id(1)}   status approved   2026-12-07   expected 2026-12-09`,
      'ItemCasesQtyUnitTotal',
      'Gin1 x 121219.00228.00',
      'Subtotal 228.00 EUR',
      'Delivery 15.00 EUR',
      'Total 243.00 EUR',
    ]);
  });

  it('embeds Noto Sans for names outside the standard fonts, which copy back as written', async () => {
    const bytes = await orderPdf(
      order([
        { name: 'रॉयल स्टैग व्हिस्की', cases: 2, caseSize: 12, price: 9.5 },
        { name: 'Żubrówka Bison Grass', cases: 1, caseSize: 6, price: 14 },
        { name: 'Ούζο Πλωμαρίου', cases: 1, caseSize: 12, price: 11 },
        { name: 'Горілка з перцем', cases: 1, caseSize: 12, price: 8 },
        { name: 'Yeni Rakı', cases: 1, caseSize: 6, price: 18 },
      ]),
      { ...parties, bar: 'Bar Łąka' },
    );
    const { pages, fonts, notdef } = await pdfText(bytes);
    expect(fonts.map((font) => font.replace(/^[A-Z]{6}\+|-\d+$/g, '')).sort()).toEqual([
      'Helvetica',
      'Helvetica-Bold',
      'NotoSans-Regular',
      'NotoSans-Regular',
      'NotoSans-Regular',
      'NotoSans-Regular',
      'NotoSansDevanagari-Regular',
    ]);
    expect(notdef).toBe(0);
    expect(pages[0]).toEqual(
      expect.arrayContaining([
        'Pourcast Bars - Bar Łąka',
        'रॉयल स्टैग व्हिस्की2 x 12249.50228.00',
        'Żubrówka Bison Grass1 x 6614.0084.00',
        'Ούζο Πλωμαρίου1 x 121211.00132.00',
        'Горілка з перцем1 x 12128.0096.00',
        'Yeni Rakı1 x 6618.00108.00',
      ]),
    );
  });

  it('cuts a long item name to its column', async () => {
    const long = 'Very Old Highland Single Malt Scotch Whisky, Cask Strength, Distilled 1998, Bottled 2024';
    const { pages } = await pdfText(
      await orderPdf(order([{ name: long, cases: 1, caseSize: 6, price: 120 }]), parties),
    );
    // Cut where Helvetica at 10 pt leaves the item column (230 pt), a full stop marking the cut.
    expect(pages[0]).toContain('Very Old Highland Single Malt Scotch Whisky, Cas.1 x 66120.00720.00');
  });

  it('names the bar alone without an address, and a draft by its lead time', async () => {
    const draft = {
      ...order([{ name: 'Gin', cases: 1, caseSize: 12, price: 19 }]),
      status: 'draft' as const,
    };
    const { pages } = await pdfText(
      await orderPdf({ ...draft, approvedAt: null, approvedBy: null }, { ...parties, deliveryAddress: null }),
    );
    expect(pages[0]!.slice(3, 5)).toEqual([
      'Deliver to:The Reading Room',
      `Order ${id(1)}   status draft   2026-12-07   lead time 2 days`,
    ]);
  });
});
