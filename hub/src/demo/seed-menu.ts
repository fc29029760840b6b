import type { z } from 'zod';
import type { Item, MenuItem, Modifier, posConnectionSchema, Station, User } from '@pourcast/protocol';
import type { HubClient } from './hub-client.ts';

/** The demo bar's two wells: the scales standing at each (as scripts/lib/demo-bar.ts names them) and who works it. */
export const DEMO_STATIONS = [
  { name: 'well-1', staff: 'Alex', deviceIds: ['scale-01', 'scale-02', 'scale-03', 'scale-04'] },
  { name: 'well-2', staff: 'Bea', deviceIds: ['scale-05', 'scale-06', 'scale-07', 'scale-08'] },
] as const;

/** The standard pour the menu prices; other measures are POS modifiers scaling it. */
export const DEMO_POUR_ML = 30;
/** POS modifier name for each measure other than the standard pour. */
export const DEMO_MEASURE_MODIFIERS: Record<number, string> = { 25: '25 ml', 45: '45 ml', 60: 'double' };
/** The Tabit menu-item id the simulated POS sends for a catalog item. */
export const demoPosItemId = (itemId: string) => `tabit-${itemId}`;

export interface DemoPos {
  provider: 'tabit';
  connectionId: string;
  webhookPath: string;
  /** The HMAC key the simulated Tabit signs with (shown once by the hub, kept in the 0600 seed file). */
  signingSecret: string;
}

type PosConnectionOut = z.infer<typeof posConnectionSchema>;

/** The menu price of the standard pour: about a 20 % pour cost, at least 4. */
export const demoMenuPrice = (item: Pick<Item, 'cost' | 'containerMl'>) =>
  Math.max(4, Math.round(((item.cost / item.containerMl) * DEMO_POUR_ML) / 0.2));

const posItems = (items: readonly Item[]) =>
  items.filter((i) => (i.category === 'spirit' || i.category === 'liqueur') && i.containerMl > 0);

/**
 * The demo menu for every spirit and liqueur: "<name>" is a 30 ml pour priced at about a 20 % pour cost,
 * the other measures are modifiers; each Tabit item id mapped to its menu item.
 */
async function ensureMenu(hub: HubClient, items: readonly Item[]) {
  const modifiers = new Set((await hub.request<Modifier[]>('GET', '/modifiers')).map((m) => m.name));
  for (const [ml, name] of Object.entries(DEMO_MEASURE_MODIFIERS)) {
    if (!modifiers.has(name))
      await hub.request('POST', '/modifiers', { name, multiplier: Number(ml) / DEMO_POUR_ML });
  }
  const menu = new Map((await hub.request<MenuItem[]>('GET', '/menu-items')).map((m) => [m.name, m.id]));
  for (const item of posItems(items)) {
    let id = menu.get(item.name);
    if (!id) {
      const price = demoMenuPrice(item);
      const created = await hub.request<MenuItem>('POST', '/menu-items', {
        name: item.name,
        category: item.category === 'spirit' ? 'spirits' : 'liqueurs',
        price,
        recipe: [{ itemId: item.id, ml: DEMO_POUR_ML }],
      });
      id = created.id;
    }
    await hub.request('POST', '/pos/mappings', {
      provider: 'tabit',
      externalId: demoPosItemId(item.id),
      menuItemId: id,
    });
  }
}

/** The wells, with the demo bartender working well-2 (she sees its variance, without money). */
async function ensureStations(hub: HubClient, locationId: string) {
  const bartender = (await hub.request<User[]>('GET', '/users')).find((u) => u.role === 'bartender');
  await hub.request<{ stations: Station[] }>('POST', `/locations/${locationId}/stations`, {
    stations: DEMO_STATIONS.map((s) => ({
      name: s.name,
      deviceIds: [...s.deviceIds],
      userIds: s.name === 'well-2' && bartender ? [bartender.id] : [],
    })),
  });
}

/** Menu, measures, stations and a Tabit connection for the simulated POS (kept from an earlier run). */
export async function seedDemoPos(
  hub: HubClient,
  locationId: string,
  items: readonly Item[],
  previous: DemoPos | undefined,
): Promise<DemoPos> {
  await ensureMenu(hub, items);
  await ensureStations(hub, locationId);
  const connections = await hub.request<PosConnectionOut[]>('GET', '/pos/connections');
  if (previous && connections.some((c) => c.id === previous.connectionId)) return previous;
  const created = await hub.request<PosConnectionOut>('POST', '/pos/connections', {
    provider: 'tabit',
    locationId,
  });
  return {
    provider: 'tabit',
    connectionId: created.id,
    webhookPath: created.webhookPath,
    signingSecret: created.signingSecret!,
  };
}
