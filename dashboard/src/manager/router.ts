import { signal } from '@preact/signals';

/** The manager app's screens; the URL hash names one, so a reload or a re-login returns to it. */
export type Screen =
  | { name: 'overview' }
  | { name: 'stock' }
  | { name: 'item'; itemId: string }
  | { name: 'variance' }
  | { name: 'waste' }
  | { name: 'orders' }
  | { name: 'alerts' }
  | { name: 'gateways' }
  | { name: 'reports' }
  | { name: 'sales-import' };

export const SCREENS = [
  'overview',
  'stock',
  'variance',
  'waste',
  'orders',
  'alerts',
  'gateways',
  'reports',
  'sales-import',
] as const;

export function parseHash(hash: string): Screen {
  const [name, id] = hash.replace(/^#\/?/, '').split('/');
  if (name === 'item' && id) return { name: 'item', itemId: decodeURIComponent(id) };
  const found = SCREENS.find((screen) => screen === name);
  return found ? ({ name: found } as Screen) : { name: 'overview' };
}

export const hrefOf = (screen: Screen) =>
  screen.name === 'item' ? `#/item/${encodeURIComponent(screen.itemId)}` : `#/${screen.name}`;

export const screen = signal<Screen>(parseHash(globalThis.location?.hash ?? ''));

globalThis.addEventListener?.('hashchange', () => {
  screen.value = parseHash(globalThis.location.hash);
});
