import { describe, expect, it } from 'vitest';
import { STOCK_EVENT_KINDS, STOCK_EVENT_SOURCES, WASTE_ENTRY_REASONS } from '@pourcast/protocol';
import { keysUsedIn } from '../shared/catalog-keys.ts';
import { missingTranslations } from '../shared/i18n.ts';
import { catalogs } from './catalogs/index.ts';

describe('staff display catalogs', () => {
  it('translate every English string into Spanish and Hindi', () => {
    expect(missingTranslations(catalogs)).toEqual({ en: [], es: [], hi: [] });
  });

  it('hold every key the code asks for (plain or as plural forms)', () => {
    const missing = keysUsedIn(import.meta.dirname).filter(
      (key) => !(key in catalogs.en) && !(`${key}.other` in catalogs.en),
    );
    expect(missing).toEqual([]);
  });

  it('name every event kind, source, waste reason and screen the display shows', () => {
    const dynamic = [
      ...STOCK_EVENT_KINDS.map((kind) => `kind.${kind}`),
      ...STOCK_EVENT_SOURCES.map((source) => `source.${source}`),
      ...WASTE_ENTRY_REASONS.map((reason) => `reason.${reason}`),
      ...['stock', 'waste', 'weigh', 'settings'].map((view) => `nav.${view}`),
    ];
    expect(dynamic.filter((key) => !(key in catalogs.en))).toEqual([]);
  });

  it('keep placeholders the same in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(catalogs.en))
      for (const lang of ['es', 'hi'] as const)
        expect({ key, lang, found: placeholders(catalogs[lang][key]!) }).toEqual({
          key,
          lang,
          found: placeholders(text),
        });
  });
});
