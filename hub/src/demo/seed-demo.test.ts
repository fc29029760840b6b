import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ITEM_CATEGORIES, itemSchema } from '@pourcast/protocol';
import { emptyDatabase, login, viaWorker } from '../../test/helpers.ts';
import { seedDemo, type DemoSeed } from './seed-demo.ts';

const HUB = 'http://hub.test';

/** An independent EAN-13 check: the weighted sum of all 13 digits is a multiple of 10. */
const validEan13 = (code: string) =>
  /^\d{13}$/.test(code) &&
  [...code].reduce((sum, d, i) => sum + Number(d) * (i % 2 === 0 ? 1 : 3), 0) % 10 === 0;

const count = async (table: string) =>
  (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;

describe('seedDemo', () => {
  let seed: DemoSeed;

  it('seeds an empty hub through the API: staff, ~40 items, suppliers with offers, opening stock', async () => {
    await emptyDatabase();
    seed = await seedDemo(HUB, undefined, { fetch: viaWorker });
    expect(seed.items.length).toBeGreaterThanOrEqual(40);
    for (const item of seed.items) {
      itemSchema.parse(item);
      expect(item.barcodes.every(validEan13), item.name).toBe(true);
    }
    const categories = new Set(seed.items.map((item) => item.category));
    for (const category of ['spirit', 'liqueur', 'wine', 'sparkling', 'beer', 'keg'] as const) {
      expect(ITEM_CATEGORIES).toContain(category);
      expect(categories.has(category), category).toBe(true);
    }
    const sizes = new Set(seed.items.map((item) => item.containerMl));
    for (const size of [700, 750, 1000, 1750, 20000, 30000, 50000])
      expect(sizes.has(size), String(size)).toBe(true);

    for (const role of ['owner', 'manager', 'bartender', 'technician'] as const) {
      const session = await login(seed.credentials[role].email, seed.credentials[role].password);
      expect(session.user).toMatchObject({ role, organizationId: seed.organizationId });
    }
    const passwords = Object.values(seed.credentials).map((c) => c.password);
    expect(new Set(passwords).size).toBe(4);

    expect(await count('suppliers')).toBeGreaterThanOrEqual(3);
    expect(await count('supplier_offers')).toBeGreaterThanOrEqual(40);
    const kegOffers = await env.DB.prepare(
      "SELECT DISTINCT o.case_size FROM supplier_offers o JOIN items i ON i.id = o.item_id WHERE i.category = 'keg'",
    ).all();
    expect(kegOffers.results).toEqual([{ case_size: 1 }]);
    expect(await count('stock_events')).toBe(seed.items.length);
    const stocked = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM stock_levels WHERE location_id = ? AND (sealed_containers > 0 OR open_ml > 0)',
    )
      .bind(seed.locationId)
      .first<{ n: number }>();
    expect(stocked!.n).toBe(seed.items.length);
    // The simulated POS: a Tabit connection, a mapped menu item per spirit and liqueur, two wells.
    expect(seed.pos).toMatchObject({
      provider: 'tabit',
      webhookPath: `/api/v1/pos/webhooks/tabit/${seed.pos!.connectionId}`,
    });
    const poured = seed.items.filter((i) => i.category === 'spirit' || i.category === 'liqueur').length;
    expect(await count('menu_items')).toBe(poured);
    const mapped = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM pos_item_mappings WHERE menu_item_id IS NOT NULL',
    ).first<{ n: number }>();
    expect(mapped!.n).toBe(poured);
    expect(await count('station_devices')).toBe(8);
  });

  it('runs again with the saved seed without duplicating anything or touching counted stock', async () => {
    const before = {
      items: await count('items'),
      offers: await count('supplier_offers'),
      events: await count('stock_events'),
    };
    const again = await seedDemo(HUB, seed, { fetch: viaWorker });
    expect(again.organizationId).toBe(seed.organizationId);
    expect(again.locationId).toBe(seed.locationId);
    expect(again.credentials).toEqual(seed.credentials);
    expect(again.items.map((i) => i.id).sort()).toEqual(seed.items.map((i) => i.id).sort());
    expect({
      items: await count('items'),
      offers: await count('supplier_offers'),
      events: await count('stock_events'),
    }).toEqual(before);
    expect(again.pos).toEqual(seed.pos);
    expect(await count('pos_connections')).toBe(1);
    expect(await count('stations')).toBe(2);
  });

  it('refuses a seeded hub without the saved seed, with a message that says what to do', async () => {
    await expect(seedDemo(HUB, undefined, { fetch: viaWorker })).rejects.toThrow(/pass the DemoSeed saved/);
  });
});
