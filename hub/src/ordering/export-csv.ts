import type { PurchaseOrder } from './order-schemas.ts';

/**
 * RFC 4180: quote a field holding a comma, quote or line break, doubling the quotes. A text cell starting
 * with = + - @, a tab or a carriage return is prefixed with a single quote (OWASP's CSV-injection advice),
 * so a spreadsheet shows an item or supplier name such as `=HYPERLINK(…)` as text instead of running it.
 */
export function csvField(value: string | number | null): string {
  const raw = value === null ? '' : String(value);
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The purchase order as CSV (CRLF lines, a header row, one row per line, then the totals). */
export function orderCsv(order: PurchaseOrder, barName: string): string {
  const rows: (string | number | null)[][] = [
    ['order', 'bar', 'supplier', 'item', 'cases', 'case_size', 'quantity', 'unit_price', 'line_total'],
    ...order.lines.map((l) => [
      order.id,
      barName,
      order.supplierName,
      l.itemName,
      l.cases,
      l.caseSize,
      l.quantity,
      l.unitPrice.toFixed(2),
      l.lineTotal.toFixed(2),
    ]),
    [
      order.id,
      barName,
      order.supplierName,
      'delivery fee',
      null,
      null,
      null,
      null,
      order.deliveryFee.toFixed(2),
    ],
    [order.id, barName, order.supplierName, 'total', null, null, null, null, order.total.toFixed(2)],
  ];
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
