import { computed, signal } from '@preact/signals';
import { hasRight, type Right } from '@pourcast/hub/rights';
import { role } from './session.ts';

/** Every bar (location) the user's organization runs, and the one on screen (remembered per device). */
export const bars = signal<readonly { id: string; name: string; timezone?: string }[]>([]);
const BAR_KEY = 'pourcast.manager.bar';
export const chosenBarId = signal<string | null>(globalThis.localStorage?.getItem(BAR_KEY) ?? null);
export const barId = computed(() => {
  const list = bars.value;
  return list.find((bar) => bar.id === chosenBarId.value)?.id ?? list[0]?.id ?? null;
});
export function chooseBar(id: string) {
  chosenBarId.value = id;
  globalThis.localStorage?.setItem(BAR_KEY, id);
}

/** The organization's currency, from the hub's report context (money roles only). */
export const currency = signal('USD');

/** The hub's own rights table decides what the app shows; the hub refuses the rest anyway. */
export const can = (right: Right) => role.value !== null && hasRight(role.value, right);
/** Money figures (costs, order totals, valuation) are for owners and managers only. */
export const seesMoney = computed(() => role.value !== null && hasRight(role.value, 'costs:read'));

const THEME_KEY = 'pourcast.manager.theme';
export const theme = signal<'light' | 'dark'>(
  globalThis.localStorage?.getItem(THEME_KEY) === 'dark' ||
    (globalThis.localStorage?.getItem(THEME_KEY) === null &&
      globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches)
    ? 'dark'
    : 'light',
);
export function applyTheme(next: 'light' | 'dark') {
  theme.value = next;
  globalThis.localStorage?.setItem(THEME_KEY, next);
  if (typeof document !== 'undefined') document.documentElement.dataset.theme = next;
}
