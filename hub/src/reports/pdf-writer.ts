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
import { FALLBACK_FONTS, type FallbackFont } from '../i18n/fonts/index.ts';

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 50;

/** The standard fonts' characters: WinAnsi, Latin-1 plus the euro sign, quotes, dashes and a few more. */
const WIN_ANSI =
  /^[\x20-\x7e\u00a0-\u00ff\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]*$/;

/** Composed where Unicode can (e + ◌́ is é), thin spaces (Intl puts them in some numbers) as spaces. */
const normalized = (text: string) => text.normalize('NFC').replace(/[\u2009\u202f]/g, ' ');

const covers = (font: FallbackFont, codePoint: number) =>
  font.ranges.some(([from, to]) => codePoint >= from && codePoint <= to);

/** The words of a text and the spaces between them. */
const words = (text: string) => normalized(text).split(/(\s+)/).filter(Boolean);

/**
 * The fallback fonts a text needs. A word with any character outside WinAnsi is drawn all in Noto Sans,
 * each character in the first subset that covers it (the ASCII of "Żubrówka" too, in Noto's latin), so
 * no word mixes Helvetica's design with Noto's.
 */
export function fontsFor(text: string): FallbackFont[] {
  const needed = new Set<FallbackFont>();
  for (const word of words(text)) {
    if (WIN_ANSI.test(word)) continue;
    for (const character of word) {
      const font = FALLBACK_FONTS.find((f) => covers(f, character.codePointAt(0)!));
      if (font) needed.add(font);
    }
  }
  return FALLBACK_FONTS.filter((font) => needed.has(font));
}

const base64Bytes = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

export interface PdfWriter {
  pdf: PDFDocument;
  font: PDFFont;
  bold: PDFFont;
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
 * (pdf-lib, pure JS, runs in the Worker). Text is drawn in Helvetica where WinAnsi has its characters;
 * the rest in the Noto Sans subsets `options.text` (everything the document will draw, or more) needs:
 * Devanagari, Latin Extended (ł, ş, ő, ț, ı...), Vietnamese, Greek, Cyrillic. A character none of them
 * has prints as ?, rather than failing the export.
 */
export async function pdfWriter(
  title: string,
  options: { text?: string; language?: string } = {},
): Promise<PdfWriter> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Pourcast hub');
  if (options.language) pdf.setLanguage(options.language);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const wanted = fontsFor(options.text ?? '');
  const embedded: { font: PDFFont; covers: (codePoint: number) => boolean }[] = [];
  if (wanted.length) {
    // Only the glyphs drawn go into the file; fontkit shapes them (Devanagari conjuncts, vowel signs).
    // All are read only by the exports that need them (fontkit and the fonts are most of their weight).
    const [{ default: fontkit }, { default: regenerator }, ...modules] = await Promise.all([
      import('@pdf-lib/fontkit'),
      import('regenerator-runtime'),
      ...wanted.map((f) => f.load()),
    ]);
    // fontkit's Indic shaper is Babel-compiled generators that look up a global regeneratorRuntime
    // (pdf-lib issue 1419, "regeneratorRuntime is not defined" on the first Devanagari text).
    (globalThis as { regeneratorRuntime?: unknown }).regeneratorRuntime ??= regenerator;
    pdf.registerFontkit(fontkit);
    for (const [i, fallback] of wanted.entries()) {
      embedded.push({
        font: await pdf.embedFont(base64Bytes(modules[i]!.BASE64), { subset: true }),
        covers: (codePoint) => covers(fallback, codePoint),
      });
    }
  }
  // Graphemes keep a letter with its marks (a Devanagari syllable with its vowel sign), in one font.
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const fallbackOf = (grapheme: string) => {
    const codePoints = [...grapheme].map((c) => c.codePointAt(0)!);
    return embedded.find((e) => codePoints.every(e.covers))?.font;
  };
  /** The text cut into runs, each with the font that draws it (see fontsFor). */
  const runs = (value: string, face: PDFFont) => {
    const out: { text: string; face: PDFFont }[] = [];
    for (const word of words(value)) {
      const standard = WIN_ANSI.test(word);
      for (const { segment } of graphemes.segment(word)) {
        const drawn = standard ? face : (fallbackOf(segment) ?? (WIN_ANSI.test(segment) ? face : undefined));
        const [text, runFace] = drawn ? [segment, drawn] : ['?', face];
        const last = out.at(-1);
        if (last?.face === runFace) last.text += text;
        else out.push({ text, face: runFace });
      }
    }
    return out;
  };
  const width = (value: string, size: number, face: PDFFont) =>
    runs(value, face).reduce((total, run) => total + run.face.widthOfTextAtSize(run.text, size), 0);
  const fit = (value: string, room: number, size: number, face: PDFFont) => {
    if (width(value, size, face) <= room) return value;
    const parts = [...graphemes.segment(value)].map((part) => part.segment);
    while (parts.length > 1 && width(`${parts.join('')}.`, size, face) > room) parts.pop();
    return `${parts.join('')}.`;
  };
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  /** This page's resource name of each embedded font drawn on it. */
  let fontKeys = new Map<PDFFont, PDFName>();
  /**
   * A run in an embedded font, drawn as drawText draws it but inside a span whose ActualText is the
   * run's own characters (ISO 32000-1, 14.9.4): shaped glyphs are in visual order (ि before its
   * consonant) and some map to no character (ई is drawn as इ and a mark), so read alone they copy and
   * search as other text. The span sits inside the text object, where readers still know the font and size.
   */
  const shaped = (text: string, face: PDFFont, x: number, size: number) => {
    const key = fontKeys.get(face) ?? page.node.newFontDictionary(face.name, face.ref);
    fontKeys.set(face, key);
    page.pushOperators(
      pushGraphicsState(),
      beginText(),
      setFillingColor(rgb(0, 0, 0)),
      setFontAndSize(key, size),
      setTextMatrix(1, 0, 0, 1, x, y),
      PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
        PDFName.of('Span'),
        // An inline property list: pdf-lib writes a dictionary operand as one, though its operand
        // type leaves dictionaries out.
        pdf.context.obj({ ActualText: PDFHexString.fromText(text) }) as unknown as PDFName,
      ]),
      showText(face.encodeText(text)),
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
    width: (value, size = 10, face = font) => width(value, size, face),
    fit: (value, room, size = 10, face = font) => fit(value, room, size, face),
    text: (value, x, size = 10, face = font) => {
      let left = x;
      for (const run of runs(value, face)) {
        if (run.face !== font && run.face !== bold) shaped(run.text, run.face, left, size);
        else page.drawText(run.text, { x: left, y, size, font: run.face, color: rgb(0, 0, 0) });
        left += run.face.widthOfTextAtSize(run.text, size);
      }
    },
    right: (value, x, size = 10, face = font) => writer.text(value, x - width(value, size, face), size, face),
    newline: (dy = 14) => {
      y -= dy;
      if (y < MARGIN) {
        page = pdf.addPage(A4);
        fontKeys = new Map();
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
