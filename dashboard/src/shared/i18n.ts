import { computed, signal } from '@preact/signals';
import type { UserLocale } from '@pourcast/protocol';

/**
 * One i18n layer for both apps: every string a person reads goes through `t()`.
 * A language picks the catalog; a locale (language + region) picks how numbers, money and dates look,
 * so `en-IN` reads English with lakh/crore grouping and `hi` reads Hindi with the same grouping.
 */
export const LANGUAGES = ['en', 'es', 'hi'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The locales a user can choose (the hub keeps each user's: protocol's USER_LOCALES); each names its catalog language. */
export const LOCALES = {
  'en-US': { language: 'en', label: 'English (US)' },
  'en-GB': { language: 'en', label: 'English (UK)' },
  'en-IN': { language: 'en', label: 'English (India)' },
  es: { language: 'es', label: 'Español' },
  hi: { language: 'hi', label: 'हिन्दी' },
} as const satisfies Record<UserLocale, { language: Language; label: string }>;
export type Locale = keyof typeof LOCALES;

/** A catalog: message key → text with `{name}` placeholders; plural forms as `key.one` / `key.other`. */
export type Catalog = Readonly<Record<string, string>>;
export type Catalogs = Readonly<Record<Language, Catalog>>;

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && Object.hasOwn(LOCALES, value);

/** The locale a browser asks for, narrowed to one we speak. */
export function preferredLocale(requested: readonly string[]): Locale {
  for (const tag of requested) {
    if (isLocale(tag)) return tag;
    const language = tag.split('-')[0];
    if (language === 'hi') return 'hi';
    if (language === 'es') return 'es';
    if (language === 'en') return tag.endsWith('-IN') ? 'en-IN' : 'en-US';
  }
  return 'en-US';
}

export const locale = signal<Locale>('en-US');
export const language = computed<Language>(() => LOCALES[locale.value].language);

let catalogs: Catalogs = { en: {}, es: {}, hi: {} };

/** Each app registers its catalogs once at start-up. */
export function useCatalogs(app: Catalogs) {
  catalogs = app;
}

/** Keys present in English but missing (or empty) in another language: a test holds this to zero. */
export function missingTranslations(app: Catalogs): Record<Language, string[]> {
  const keys = Object.keys(app.en);
  const missing = (lang: Language) => keys.filter((key) => !app[lang][key]);
  return { en: [], es: missing('es'), hi: missing('hi') };
}

type Params = Readonly<Record<string, string | number>>;

/** The text for `key` in the current language (English when missing), placeholders filled in. */
export function t(key: string, params: Params = {}): string {
  const lang = language.value;
  const count = params.count;
  const pluralKey =
    typeof count === 'number' ? `${key}.${new Intl.PluralRules(locale.value).select(count)}` : undefined;
  const text =
    (pluralKey && (catalogs[lang][pluralKey] ?? catalogs.en[pluralKey])) ??
    catalogs[lang][key] ??
    catalogs.en[key] ??
    (pluralKey ? (catalogs[lang][`${key}.other`] ?? catalogs.en[`${key}.other`]) : undefined) ??
    key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

export const formatNumber = (value: number, options: Intl.NumberFormatOptions = {}) =>
  new Intl.NumberFormat(locale.value, options).format(value);

export const formatMoney = (value: number, currency: string) =>
  new Intl.NumberFormat(locale.value, { style: 'currency', currency }).format(value);

export const formatPercent = (share: number, digits = 1) =>
  new Intl.NumberFormat(locale.value, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(share);

export const formatDate = (
  value: Date | string,
  options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' },
) =>
  new Intl.DateTimeFormat(locale.value, options).format(typeof value === 'string' ? new Date(value) : value);

export const formatDateTime = (value: Date | string) =>
  formatDate(value, { dateStyle: 'medium', timeStyle: 'short' });

/** Millilitres as a person reads them: "750 ml", "1.5 L". */
export function formatVolume(ml: number): string {
  if (Math.abs(ml) >= 1000) return `${formatNumber(ml / 1000, { maximumFractionDigits: 2 })} L`;
  return `${formatNumber(Math.round(ml))} ml`;
}
