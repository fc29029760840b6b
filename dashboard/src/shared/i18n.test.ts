import { afterEach, describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatNumber,
  locale,
  missingTranslations,
  preferredLocale,
  t,
  useCatalogs,
} from './i18n.ts';

afterEach(() => {
  locale.value = 'en-US';
});

describe('i18n', () => {
  it('groups big numbers in lakh and crore for en-IN and hi, in thousands for en-US', () => {
    locale.value = 'en-IN';
    expect(formatNumber(12_345_678)).toBe('1,23,45,678');
    locale.value = 'hi';
    expect(formatNumber(1_234_567)).toBe('12,34,567');
    locale.value = 'en-US';
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatMoney(1234.5, 'USD')).toBe('$1,234.50');
  });

  it('fills placeholders, picks plural forms and falls back to English', () => {
    useCatalogs({
      en: { greeting: 'Hello {name}', 'bottles.one': '{count} bottle', 'bottles.other': '{count} bottles' },
      es: { greeting: 'Hola {name}', 'bottles.one': '{count} botella', 'bottles.other': '{count} botellas' },
      hi: { greeting: 'नमस्ते {name}' },
    });
    expect(t('bottles', { count: 1 })).toBe('1 bottle');
    expect(t('bottles', { count: 2500 })).toBe('2,500 bottles');
    locale.value = 'es';
    expect(t('greeting', { name: 'Ana' })).toBe('Hola Ana');
    expect(t('bottles', { count: 3 })).toBe('3 botellas');
    locale.value = 'hi';
    expect(t('bottles', { count: 3 })).toBe('3 bottles');
    expect(t('no.such.key')).toBe('no.such.key');
  });

  it('lists what a catalog has not translated', () => {
    const missing = missingTranslations({ en: { a: 'A', b: 'B' }, es: { a: 'A' }, hi: { a: 'A', b: '' } });
    expect(missing).toEqual({ en: [], es: ['b'], hi: ['b'] });
  });

  it('narrows what the browser asks for to a locale we speak', () => {
    expect(preferredLocale(['hi-IN', 'en'])).toBe('hi');
    expect(preferredLocale(['en-IN'])).toBe('en-IN');
    expect(preferredLocale(['es-MX'])).toBe('es');
    expect(preferredLocale(['fr-FR'])).toBe('en-US');
  });
});
