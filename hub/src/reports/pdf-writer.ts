/// <reference path="./regenerator-runtime.d.ts" />
import {
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  StandardFonts,
  beginText,
  endMarkedContent,
  endText,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 50;

/**
 * The standard fonts speak WinAnsi only (Latin-1 plus the euro sign, quotes, dashes and a few more):
 * thin spaces (Intl puts them in some numbers) become spaces, anything else is replaced rather than
 * failing the export.
 */
export const printable = (text: string) =>
  text
    .replace(/[\u2009\u202f]/g, ' ')
    .replace(
      /[^\x20-\x7e\u00a0-\u00ff\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]/g,
      '?',
    );

/** What the embedded Noto Sans Devanagari draws (its subset's unicode-range): Hindi text, ₹ and ₨. */
export const DEVANAGARI =
  /[\u0900-\u097f\u1cd0-\u1cf9\u200c\u200d\u20a8\u20b9\u20f0\u25cc\ua830-\ua839\ua8e0-\ua8ff]+/g;

const base64Bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export interface PdfWriter {
  pdf: PDFDocument;
  font: PDFFont;
  bold: PDFFont;
  /** Noto Sans Devanagari, when asked for: Devanagari runs of any text are drawn in it. */
  devanagari: PDFFont | undefined;
  /** Left-aligned text at x on the current line. */
  text(value: string, x: number, size?: number, face?: PDFFont): void;
  /** How wide the text draws (each run in its own font). */
  width(value: string, size?: number, face?: PDFFont): number;
  /** The text cut to draw within `room` points, a whole grapheme at a time, a full stop marking the cut. */
  fit(value: string, room: number, size?: number, face?: PDFFont): string;
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
export async function pdfWriter(
  title: string,
  options: { devanagari?: boolean; language?: string } = {},
): Promise<PdfWriter> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Pourcast hub');
  if (options.language) pdf.setLanguage(options.language);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let devanagari: PDFFont | undefined;
  if (options.devanagari) {
    // Only the glyphs drawn go into the file; fontkit shapes the Devanagari (conjuncts, vowel signs).
    // Both are read only by the exports that need them (fontkit and the font are most of their weight).
    const [{ default: fontkit }, { DEVANAGARI_FONT_BASE64 }, { default: regenerator }] = await Promise.all([
      import('@pdf-lib/fontkit'),
      import('../i18n/devanagari-font.ts'),
      import('regenerator-runtime'),
    ]);
    // fontkit's Indic shaper is Babel-compiled generators that look up a global regeneratorRuntime
    // (pdf-lib issue 1419, "regeneratorRuntime is not defined" on the first Devanagari text).
    (globalThis as { regeneratorRuntime?: unknown }).regeneratorRuntime ??= regenerator;
    pdf.registerFontkit(fontkit);
    devanagari = await pdf.embedFont(base64Bytes(DEVANAGARI_FONT_BASE64), { subset: true });
  }
  /** The text cut into runs, each with the font that can draw it. */
  const runs = (value: string, face: PDFFont) => {
    if (!devanagari) return [{ text: printable(value), face }];
    const out: { text: string; face: PDFFont }[] = [];
    let at = 0;
    for (const match of value.matchAll(DEVANAGARI)) {
      if (match.index > at) out.push({ text: printable(value.slice(at, match.index)), face });
      out.push({ text: match[0], face: devanagari });
      at = match.index + match[0].length;
    }
    if (at < value.length) out.push({ text: printable(value.slice(at)), face });
    return out;
  };
  const width = (value: string, size: number, face: PDFFont) =>
    runs(value, face).reduce((total, run) => total + run.face.widthOfTextAtSize(run.text, size), 0);
  // A Devanagari syllable is one grapheme: cut between graphemes, it keeps its vowel sign.
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const fit = (value: string, room: number, size: number, face: PDFFont) => {
    if (width(value, size, face) <= room) return value;
    const parts = [...graphemes.segment(value)].map((part) => part.segment);
    while (parts.length > 1 && width(`${parts.join('')}.`, size, face) > room) parts.pop();
    return `${parts.join('')}.`;
  };
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  let shapedFont: PDFName | undefined;
  /**
   * A Devanagari run, drawn as drawText draws it but inside a span whose ActualText is the run's own
   * characters (ISO 32000-1, 14.9.4): the shaped glyphs are in visual order (ि before its consonant) and
   * some map to no character (ई is drawn as इ and a mark), so read alone they copy and search as other
   * text. The span sits inside the text object, where readers still know the font and size.
   */
  const shaped = (text: string, x: number, size: number) => {
    shapedFont ??= page.node.newFontDictionary(devanagari!.name, devanagari!.ref);
    page.pushOperators(
      pushGraphicsState(),
      beginText(),
      setFillingColor(rgb(0, 0, 0)),
      setFontAndSize(shapedFont, size),
      setTextMatrix(1, 0, 0, 1, x, y),
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
        PDFName.of('Span'),
        // An inline property list: pdf-lib writes a dictionary operand as one, though its operand
        // type leaves dictionaries out.
        pdf.context.obj({ ActualText: PDFHexString.fromText(text) }) as unknown as PDFName,
      ]),
      showText(devanagari!.encodeText(text)),
      endMarkedContent(),
      endText(),
      popGraphicsState(),
    );
  };
  let header: (() => void) | undefined;
  const writer: PdfWriter = {
    pdf,
    font,
    bold,
    devanagari,
    width: (value, size = 10, face = font) => width(value, size, face),
    fit: (value, room, size = 10, face = font) => fit(value, room, size, face),
    text: (value, x, size = 10, face = font) => {
      let left = x;
      for (const run of runs(value, face)) {
        if (run.face === devanagari) shaped(run.text, left, size);
        else page.drawText(run.text, { x: left, y, size, font: run.face, color: rgb(0, 0, 0) });
        left += run.face.widthOfTextAtSize(run.text, size);
      }
    },
    right: (value, x, size = 10, face = font) => writer.text(value, x - width(value, size, face), size, face),
    newline: (dy = 14) => {
      y -= dy;
      if (y < MARGIN) {
        page = pdf.addPage(A4);
        shapedFont = undefined;
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
