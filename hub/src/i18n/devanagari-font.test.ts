import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { CATALOGS } from './catalog.ts';
import { DEVANAGARI_FONT_BASE64, DEVANAGARI_FONT_SHA256 } from './devanagari-font.ts';

const bytes = Uint8Array.from(atob(DEVANAGARI_FONT_BASE64), (c) => c.charCodeAt(0));

describe('the embedded Devanagari font', () => {
  it('is the WOFF the generator read (SHA-256 over the decoded bytes)', async () => {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    expect([...digest].map((b) => b.toString(16).padStart(2, '0')).join('')).toBe(DEVANAGARI_FONT_SHA256);
  });

  it('has a glyph for every Devanagari character of the Hindi catalog (none would print as .notdef)', () => {
    const font = fontkit.create(bytes);
    expect(font.familyName).toBe('Noto Sans Devanagari');
    const characters = new Set(
      Object.values(CATALOGS.hi)
        .join('')
        .match(/[\u0900-\u097f]/g),
    );
    expect(characters.size).toBeGreaterThan(30);
    const missing = [...characters].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));
    expect(missing).toEqual([]);
    expect(font.hasGlyphForCodePoint(0x20b9)).toBe(true); // ₹
  });
});
