import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { PurchaseOrder } from './order-schemas.ts';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;

/** The standard fonts speak WinAnsi only: anything else is replaced rather than failing the export. */
const printable = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');

/** A one-or-more page A4 purchase order (pdf-lib, pure JS, runs in the Worker). */
export async function orderPdf(
  order: PurchaseOrder,
  parties: { organization: string; bar: string; currency: string },
): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Purchase order ${order.id}`);
  pdf.setProducer('Pourcast hub');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const text = (value: string, x: number, size = 10, face: PDFFont = font) =>
    page.drawText(printable(value), { x, y, size, font: face, color: rgb(0, 0, 0) });
  const right = (value: string, x: number, size = 10) =>
    text(value, x - font.widthOfTextAtSize(printable(value), size), size);
  const newline = (dy = 14) => {
    y -= dy;
    if (y < MARGIN) ((page = pdf.addPage(A4)), (y = A4[1] - MARGIN));
  };

  text('Purchase order', MARGIN, 18, bold);
  newline(24);
  text(`${parties.organization} - ${parties.bar}`, MARGIN);
  newline();
  text(`To: ${order.supplierName}${order.supplierEmail ? ` <${order.supplierEmail}>` : ''}`, MARGIN);
  newline();
  text(
    `Order ${order.id}   status ${order.status}   ${(order.approvedAt ?? order.createdAt).slice(0, 10)}`,
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
    text(line.itemName.slice(0, 48), columns.item);
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
  page.drawText(printable(`Total ${order.total.toFixed(2)} ${parties.currency}`), {
    x:
      columns.total -
      bold.widthOfTextAtSize(printable(`Total ${order.total.toFixed(2)} ${parties.currency}`), 11),
    y,
    size: 11,
    font: bold,
  });
  return pdf.save();
}
