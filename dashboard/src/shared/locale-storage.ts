import { isLocale, locale, LOCALES, preferredLocale, type Locale } from './i18n.ts';

const KEY = 'pourcast.locale';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function applyDocumentLanguage(next: Locale) {
  if (typeof document !== 'undefined') document.documentElement.lang = LOCALES[next].language;
}

/** The language this device last chose, else what the browser asks for. */
export function restoreLocale(): Locale {
  const stored = storage()?.getItem(KEY);
  const next = isLocale(stored) ? stored : preferredLocale(globalThis.navigator?.languages ?? []);
  locale.value = next;
  applyDocumentLanguage(next);
  return next;
}

/** Switches language and remembers it on this device. */
export function chooseLocale(next: Locale) {
  locale.value = next;
  storage()?.setItem(KEY, next);
  applyDocumentLanguage(next);
}
