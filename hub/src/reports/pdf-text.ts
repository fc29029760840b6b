import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream } from 'pdf-lib';

/** WinAnsi bytes 0x80-0x9f (the standard fonts' encoding); the rest of a byte is its Latin-1 character. */
const WIN_ANSI_HIGH = '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd\ufffd‘’“”•–—˜™š›œ\ufffdžŸ';
const winAnsi = (byte: number) =>
  byte >= 0x80 && byte <= 0x9f ? WIN_ANSI_HIGH[byte - 0x80]! : String.fromCharCode(byte);

/** A PDF text string in UTF-16BE hex (with its byte-order mark, FEFF). */
const utf16 = (hex: string) =>
  String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16))).replace(/^\ufeff/, '');

export interface PdfText {
  /** Each page's lines (top first): the text shown at one height, left to right. */
  pages: string[][];
  /** The fonts the pages use (BaseFont names). */
  fonts: string[];
  /** Glyphs drawn as .notdef (glyph 0) in an embedded font: text the font could not draw. */
  notdef: number;
}

/**
 * The text of a PDF as drawn by pdf-lib's drawText (tests read exports with it): hex strings shown
 * with Tj, decoded through WinAnsi for the standard fonts and through the ToUnicode map for an
 * embedded (Type0) font, or read from the ActualText of the span they are drawn in, as PDF readers copy
 * them, so a Devanagari title reads back as the characters it came from.
 */
export async function pdfText(bytes: Uint8Array): Promise<PdfText> {
  const pdf = await PDFDocument.load(bytes);
  const fonts = new Set<string>();
  let notdef = 0;
  const pages = pdf.getPages().map((page) => {
    const decoders = new Map<string, (hex: string) => string>();
    const fontDict = page.node.Resources()!.lookup(PDFName.of('Font'), PDFDict);
    for (const [key, ref] of fontDict.entries()) {
      const font = pdf.context.lookup(ref, PDFDict);
      fonts.add(font.lookup(PDFName.of('BaseFont'), PDFName).decodeText());
      const toUnicode = font.lookup(PDFName.of('ToUnicode'));
      if (toUnicode instanceof PDFRawStream) {
        const cmap = new TextDecoder().decode(decodePDFRawStream(toUnicode).decode());
        const map = new Map<string, string>();
        for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
          for (const [, glyph, utf16] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
            const units = utf16!.match(/.{4}/g)!.map((unit) => parseInt(unit, 16));
            map.set(glyph!.toLowerCase(), String.fromCharCode(...units));
          }
        decoders.set(key.decodeText(), (hex) =>
          (hex.toLowerCase().match(/.{4}/g) ?? [])
            .map((glyph) => {
              if (glyph === '0000') notdef++;
              return map.get(glyph) ?? '\ufffd';
            })
            .join(''),
        );
      } else {
        decoders.set(key.decodeText(), (hex) =>
          (hex.match(/.{2}/g) ?? []).map((byte) => winAnsi(parseInt(byte, 16))).join(''),
        );
      }
    }
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray
        ? contents.asArray().map((ref) => pdf.context.lookup(ref) as PDFRawStream)
        : [contents as PDFRawStream];
    const program = streams.map((stream) =>
      new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode()),
    );
    const runs: { x: number; y: number; text: string }[] = [];
    let decode: ((hex: string) => string) | undefined;
    let x = 0;
    let y = 0;
    // Inside a span with ActualText, that text is what a reader copies: it stands for the span's glyphs.
    let actual: string | undefined;
    const ops =
      /\/(\S+)\s+[\d.]+\s+Tf|(-?[\d.]+)\s+(-?[\d.]+)\s+Tm|<([0-9a-fA-F]*)>\s*Tj|\/ActualText\s*<([0-9a-fA-F]*)>\s*>>\s*BDC|(EMC)/g;
    for (const op of program.join('\n').matchAll(ops)) {
      if (op[1] !== undefined) decode = decoders.get(op[1]);
      else if (op[2] !== undefined) [x, y] = [Number(op[2]), Number(op[3])];
      else if (op[5] !== undefined) actual = utf16(op[5]);
      else if (op[6] !== undefined) actual = undefined;
      else if (actual !== undefined) {
        decode?.(op[4]!); // still counts .notdef glyphs
        runs.push({ x, y, text: actual });
        actual = '';
      } else if (decode) runs.push({ x, y, text: decode(op[4]!) });
    }
    const lines = new Map<number, typeof runs>();
    for (const run of runs) lines.set(run.y, [...(lines.get(run.y) ?? []), run]);
    return [...lines.entries()]
      .sort(([a], [b]) => b - a)
      .map(([, line]) =>
        line
          .sort((a, b) => a.x - b.x)
          .map((run) => run.text)
          .join(''),
      );
  });
  return { pages, fonts: [...fonts], notdef };
}
