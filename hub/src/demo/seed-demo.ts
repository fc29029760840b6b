import type {
  Item,
  LocationStock,
  LoginResponse,
  Location,
  Supplier,
  SupplierOffer,
  User,
} from '@pourcast/protocol';
import { DEMO_ITEMS } from '../../seed/items.ts';
import { DEMO_SUPPLIERS } from '../../seed/suppliers.ts';
import { HubClient, HubRequestError, type FetchLike } from './hub-client.ts';
import { seedDemoPos, type DemoPos } from './seed-menu.ts';

export {
  DEMO_MEASURE_MODIFIERS,
  DEMO_POUR_ML,
  DEMO_STATIONS,
  demoMenuPrice,
  demoPosItemId,
  type DemoPos,
} from './seed-menu.ts';
export { DEMO_HISTORY_MAPPING, demoSalesHistory, seedSalesHistory } from './seed-history.ts';

export const DEMO_ORGANIZATION = 'Demo Bar Group';
export const DEMO_LOCATION = 'The Copper Still';
const STAFF_ROLES = ['manager', 'bartender', 'technician'] as const;
type DemoRole = 'owner' | (typeof STAFF_ROLES)[number];

export interface DemoCredentials {
  email: string;
  password: string;
}

/** What the start script saves (e.g. data/demo-seed.json) and passes back on the next run. */
export interface DemoSeed {
  organizationId: string;
  locationId: string;
  credentials: Record<DemoRole, DemoCredentials>;
  items: Item[];
  /** The simulated POS's Tabit connection (menu, measures and stations seeded with it). */
  pos?: DemoPos;
}

export interface SeedDemoOptions {
  /** Defaults to the global fetch (Node 20+). */
  fetch?: FetchLike;
}

const NAMES: Record<DemoRole, string> = {
  owner: 'Olivia Hart',
  manager: 'Marco Reyes',
  bartender: 'Bea Lindqvist',
  technician: 'Tomás Okafor',
};
const emailFor = (role: DemoRole) => `${role}@copperstill.example`;

/** 18 random bytes, base64url: 24 characters. */
function randomPassword(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

async function ownerSession(hub: HubClient, previous: DemoSeed | undefined) {
  const owner = { email: emailFor('owner'), password: randomPassword() };
  try {
    const session = await hub.request<LoginResponse>('POST', '/setup', {
      organization: { name: DEMO_ORGANIZATION, currency: 'USD' },
      owner: { ...owner, name: NAMES.owner },
    });
    return { session, owner, fresh: true };
  } catch (error) {
    if (!(error instanceof HubRequestError && error.status === 409)) throw error;
    if (!previous) {
      throw new Error(
        'the hub already has an organization: pass the DemoSeed saved by the first seedDemo run ' +
          '(or start from an empty hub database)',
      );
    }
    const session = await hub.request<LoginResponse>('POST', '/auth/login', previous.credentials.owner);
    return { session, owner: previous.credentials.owner, fresh: false };
  }
}

async function ensureLocation(hub: HubClient): Promise<Location> {
  const existing = (await hub.request<Location[]>('GET', '/locations')).find((l) => l.name === DEMO_LOCATION);
  if (existing) return existing;
  return hub.request<Location>('POST', '/locations', {
    name: DEMO_LOCATION,
    timezone: 'America/Los_Angeles',
    // A made-up street (example data), printed on the demo bar's purchase orders.
    deliveryAddress: '200 Copper Lane (side door)\nSan Francisco, CA 94103',
    areas: ['back bar', 'well', 'beer fridge', 'keg room', 'storeroom'],
  });
}

async function ensureStaff(hub: HubClient, previous: DemoSeed | undefined) {
  const members = await hub.request<User[]>('GET', '/users');
  const credentials = {} as Record<(typeof STAFF_ROLES)[number], DemoCredentials>;
  for (const role of STAFF_ROLES) {
    const email = emailFor(role);
    if (members.some((member) => member.email === email)) {
      const saved = previous?.credentials[role];
      if (!saved) throw new Error(`${email} exists but its password is not in the saved DemoSeed`);
      credentials[role] = saved;
      continue;
    }
    const password = randomPassword();
    await hub.request('POST', '/users', { email, name: NAMES[role], password, role });
    credentials[role] = { email, password };
  }
  return credentials;
}

async function ensureItems(hub: HubClient): Promise<Item[]> {
  const existing = new Set((await hub.request<Item[]>('GET', '/items')).map((item) => item.name));
  for (const item of DEMO_ITEMS) {
    if (!existing.has(item.name)) await hub.request('POST', '/items', item);
  }
  return hub.request<Item[]>('GET', '/items');
}

async function ensureSuppliers(hub: HubClient, items: Item[]) {
  const suppliers = await hub.request<Supplier[]>('GET', '/suppliers');
  for (const demo of DEMO_SUPPLIERS) {
    const { terms, ...input } = demo;
    const supplier =
      suppliers.find((s) => s.name === demo.name) ??
      (await hub.request<Supplier>('POST', '/suppliers', input));
    const offered = new Set(
      (await hub.request<SupplierOffer[]>('GET', `/suppliers/${supplier.id}/offers`)).map((o) => o.itemId),
    );
    for (const item of items.filter((i) => terms.categories.includes(i.category))) {
      if (offered.has(item.id)) continue;
      await hub.request('POST', `/suppliers/${supplier.id}/offers`, {
        itemId: item.id,
        price: Math.round(item.cost * terms.priceFactor * 100) / 100,
        caseSize: item.category === 'keg' ? 1 : terms.caseSize,
        leadTimeDays: terms.leadTimeDays,
        minimumOrder: terms.minimumOrder,
      });
    }
  }
}

/** A number fixed by the item's name (FNV-1a), so an item's opening stock does not move when others are added. */
function nameHash(name: string): number {
  let hash = 0x811c9dc5;
  for (const char of name) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  return hash;
}

/**
 * Opening stock for items the bar has never counted: about the par level in sealed containers (one under to
 * one over), plus one part-used container (15-94 % full) for items poured by the measure; where in those
 * ranges is fixed by the item's name. Items already counted keep their stock.
 */
async function ensureOpeningStock(hub: HubClient, locationId: string) {
  const stock = await hub.request<LocationStock>('GET', `/locations/${locationId}/stock`);
  for (const line of stock.items.filter((l) => l.lastObservedAt === null)) {
    const spread = nameHash(line.itemName);
    const parContainers = Math.max(1, Math.round((line.parLevelMl ?? line.containerMl) / line.containerMl));
    const sealedContainers = Math.max(0, parContainers - 1 + (spread % 3));
    const poured = line.category !== 'beer';
    const openMl = poured ? Math.round((line.containerMl * (15 + ((spread >>> 2) % 80))) / 100) : 0;
    await hub.request('POST', `/locations/${locationId}/adjustments`, {
      itemId: line.itemId,
      sealedContainers,
      openMl,
      reason: 'opening stock (demo)',
    });
  }
}

/**
 * Seeds the demo bar through the hub's public HTTP API only. On a hub without an organization it runs
 * POST /setup with random passwords; on a seeded hub it needs the DemoSeed saved from the first run, logs in
 * with it and fills in only what is missing. Safe to run on every start.
 */
export async function seedDemo(
  hubUrl: string,
  previous?: DemoSeed,
  options: SeedDemoOptions = {},
): Promise<DemoSeed> {
  const hub = new HubClient(hubUrl, options.fetch);
  const { session, owner, fresh } = await ownerSession(hub, previous);
  hub.token = session.token;
  const location = await ensureLocation(hub);
  const staff = await ensureStaff(hub, fresh ? undefined : previous);
  const items = await ensureItems(hub);
  await ensureSuppliers(hub, items);
  await ensureOpeningStock(hub, location.id);
  const pos = await seedDemoPos(hub, location.id, items, previous?.pos);
  return {
    organizationId: session.user.organizationId,
    locationId: location.id,
    credentials: { owner, ...staff },
    items,
    pos,
  };
}
