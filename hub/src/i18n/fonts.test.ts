import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { fontsFor } from '../reports/pdf-writer.ts';
import { CATALOGS } from './catalog.ts';
import { FALLBACK_FONTS } from './fonts/index.ts';

const bytesOf = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Drink names a bar may well stock, one language each, with the letters WinAnsi lacks. */
const NAMES = {
  Polish: 'Żubrówka, Żołądkowa Gorzka, Łącko',
  Czech: 'Becherovka, Slivovice Žufánek, Řízek',
  Turkish: 'Rakı, Şalgam, İstanbul, Ağaç',
  Romanian: 'Țuică, Vișinată',
  Hungarian: 'Pálinka, Unicum, Őszibarack, Fűszeres',
  Vietnamese: 'Rượu đế, Bia Hà Nội',
  Greek: 'Ούζο Πλωμαρίου, Τσίπουρο',
  Russian: 'Водка, Квас, Медовуха',
  Ukrainian: 'Горілка з перцем, Ґаздівська, Їжачок',
  Hindi: Object.values(CATALOGS.hi).join(' '),
};

describe('the fonts the PDF exports embed', () => {
  it.each(FALLBACK_FONTS.map((font) => [font.name, font] as const))(
    '%s is the WOFF the generator read (SHA-256 over the decoded bytes)',
    async (_, font) => {
      const { BASE64, SHA256 } = await font.load();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(BASE64)));
      expect([...digest].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(SHA256);
    },
  );

  it.each(Object.entries(NAMES))('draw every letter of %s in the font chosen for it', async (_, text) => {
    const missing: string[] = [];
    for (const character of new Set(text.normalize('NFC'))) {
      const [font] = fontsFor(character);
      if (!font) continue; // a standard font's character
      const face = fontkit.create(bytesOf((await font.load()).BASE64));
      if (!face.hasGlyphForCodePoint(character.codePointAt(0)!)) missing.push(`${character} (${font.name})`);
    }
    expect(missing).toEqual([]);
  });

  it('are chosen only for words WinAnsi cannot write, each letter by the first that covers it', () => {
    const names = (text: string) => fontsFor(text).map((font) => font.name);
    expect(names('Gin, Crème de Cassis, Jägermeister, 12,50 €')).toEqual([]);
    expect(names('Cafe\u0301 Noir')).toEqual([]); // é composed first
    // The ASCII letters of a word in Noto are drawn in Noto too (its latin subset).
    expect(names('Wyborowa Żubrówka')).toEqual(['latin', 'latin-ext']);
    expect(names('Rakı')).toEqual(['latin']); // ı is in Noto's latin subset
    expect(names('Ούζο')).toEqual(['greek']);
    expect(names('Горілка ₹')).toEqual(['devanagari', 'cyrillic']);
    expect(names('Горілка, ₹1,20,000')).toEqual(['devanagari', 'latin', 'cyrillic']);
  });
});
