import { describe, expect, it } from 'vitest';
import { CATALOGS, languageOf, translator, type MessageKey } from './catalog.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('hub catalog', () => {
  const keys = Object.keys(CATALOGS.en).sort() as MessageKey[];

  it.each(['es', 'hi'] as const)('%s has every English key, no other, each translated', (language) => {
    const catalog: Record<string, string> = CATALOGS[language];
    expect(Object.keys(catalog).sort()).toEqual(keys);
    for (const key of keys) {
      expect(catalog[key]!.trim(), key).not.toBe('');
      expect(placeholders(catalog[key]!), key).toEqual(placeholders(CATALOGS.en[key]));
    }
  });

  it('writes Hindi in Devanagari and keeps words the same only where they are (Bar, Total)', () => {
    const same = keys.filter((key) => CATALOGS.es[key] === CATALOGS.en[key]);
    expect(same).toEqual(['column.bar', 'column.total']);
    expect(keys.filter((key) => !/[\u0900-\u097f]/.test(CATALOGS.hi[key]))).toEqual([]);
  });

  it('picks the catalog by locale and fills the values in', () => {
    expect(['en-US', 'en-GB', 'en-IN', 'es', 'hi'].map((l) => languageOf(l as 'es'))).toEqual([
      'en',
      'en',
      'en',
      'es',
      'hi',
    ]);
    expect(translator('es')('header.period', { from: '2026-01-01', to: '2026-01-31' })).toBe(
      'del 2026-01-01 al 2026-01-31',
    );
    expect(translator('hi')('header.currency', { currency: 'INR' })).toBe('मुद्रा INR');
    expect(translator('en-GB')('header.currency')).toBe('currency {currency}');
  });
});
