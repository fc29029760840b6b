import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 50;

/** The standard fonts speak WinAnsi only: anything else is replaced rather than failing the export. */
export const printable = (text: string) => text.replace(/[^\x20-\x7e\u00a0-\u00ff]/g, '?');

export interface PdfWriter {
  pdf: PDFDocument;
  font: PDFFont;
  bold: PDFFont;
  /** Left-aligned text at x on the current line. */
  text(value: string, x: number, size?: number, face?: PDFFont): void;
  /** Right-aligned text ending at x on the current line. */
  right(value: string, x: number, size?: number, face?: PDFFont): void;
  /** Down one line; a new A4 page when the margin is reached. */
  newline(dy?: number): void;
  /** Called on each new page (a table repeats its header). */
  onNewPage(draw: () => void): void;
}

/**
 * The line-by-line A4 writer both the purchase-order PDF (ordering/export-pdf.ts) and the reports use
 * (pdf-lib, pure JS, runs in the Worker).
 */
export async function pdfWriter(title: string): Promise<PdfWriter> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Pourcast hub');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  let header: (() => void) | undefined;
  const writer: PdfWriter = {
    pdf,
    font,
    bold,
    text: (value, x, size = 10, face = font) =>
      void page.drawText(printable(value), { x, y, size, font: face, color: rgb(0, 0, 0) }),
    right: (value, x, size = 10, face = font) =>
      writer.text(value, x - face.widthOfTextAtSize(printable(value), size), size, face),
    newline: (dy = 14) => {
      y -= dy;
      if (y < MARGIN) {
        page = pdf.addPage(A4);
        y = A4[1] - MARGIN;
        header?.();
      }
    },
    onNewPage: (draw) => {
      header = draw;
    },
  };
  return writer;
}
