import { MARGIN, pdfWriter } from '../reports/pdf-writer.ts';
import { expectedDeliveryOf } from './expected-delivery.ts';
import type { PurchaseOrder } from './order-schemas.ts';
import type { OrderParties } from './send-order.ts';

/** The lines of the bar's delivery address (none when the owner has not entered one). */
export const addressLines = (parties: Pick<OrderParties, 'deliveryAddress'>) =>
  parties.deliveryAddress?.split('\n') ?? [];

/**
 * A one-or-more page A4 purchase order (pdf-lib through the shared A4 writer, runs in the Worker).
 * Names outside the standard fonts (a Hindi item, a Polish supplier) draw in the Noto Sans they need.
 */
export async function orderPdf(order: PurchaseOrder, parties: OrderParties): Promise<Uint8Array> {
  const { pdf, bold, text, right, newline, fit } = await pdfWriter(`Purchase order ${order.id}`, {
    text: JSON.stringify({ order, parties }),
  });

  text('Purchase order', MARGIN, 18, bold);
  newline(24);
  text(`${parties.organization} - ${parties.bar}`, MARGIN);
  newline();
  text(`To: ${order.supplierName}${order.supplierEmail ? ` <${order.supplierEmail}>` : ''}`, MARGIN);
  newline();
  text('Deliver to:', MARGIN);
  for (const line of [parties.bar, ...addressLines(parties)]) {
    text(line, MARGIN + 60);
    newline();
  }
  // Placed (approved or sent): the day the supplier's lead time brings it; a draft has only the lead time.
  const expected = expectedDeliveryOf(order);
  const when = expected ? `expected ${expected.slice(0, 10)}` : `lead time ${order.leadTimeDays} days`;
  text(
    `Order ${order.id}   status ${order.status}   ${(order.approvedAt ?? order.createdAt).slice(0, 10)}   ${when}`,
    MARGIN,
  );
  newline(26);
  const columns = { item: MARGIN, cases: 330, qty: 400, price: 470, total: 545 };
  text('Item', columns.item, 10, bold);
  right('Cases', columns.cases);
  right('Qty', columns.qty);
  right('Unit', columns.price);
  right('Total', columns.total);
  newline(16);
  for (const line of order.lines) {
    text(fit(line.itemName, columns.cases - 50 - columns.item), columns.item);
    right(`${line.cases} x ${line.caseSize}`, columns.cases);
    right(String(line.quantity), columns.qty);
    right(line.unitPrice.toFixed(2), columns.price);
    right(line.lineTotal.toFixed(2), columns.total);
    newline();
  }
  newline(6);
  right(`Subtotal ${order.subtotal.toFixed(2)} ${parties.currency}`, columns.total);
  newline();
  right(`Delivery ${order.deliveryFee.toFixed(2)} ${parties.currency}`, columns.total);
  newline();
  right(`Total ${order.total.toFixed(2)} ${parties.currency}`, columns.total, 11, bold);
  return pdf.save();
}
