import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { emptyDatabase, login, call, viaWorker } from '../../test/helpers.ts';
import { loadDemand } from '../demand/demand-history.ts';
import { seedDemo } from './seed-demo.ts';
import { demoSalesHistory, seedSalesHistory } from './seed-history.ts';
import { DEMO_POUR_ML } from './seed-menu.ts';

const HUB = 'http://hub.test';
const NOW = new Date('2026-11-20T18:00:00Z'); // 10:00 in Los Angeles: the 19th is the last complete trading day, the file ends on the 18th

/** Park and Miller's minimal standard generator: uniform draws in (0, 1) from a seed. */
const seeded = (seed: number) => () => (seed = (seed * 16807) % 2147483647) / 2147483647;

describe('demoSalesHistory', () => {
  const menu = [
    { externalId: 'gin', name: 'Gin', parLevelMl: 2800, containerMl: 700, servingMl: 30 },
    { externalId: 'amaro', name: 'Amaro', parLevelMl: null, containerMl: 700, servingMl: 30 },
  ];

  it('is the same file for the same draws, busiest on Fridays and Saturdays, at about the par’s level', () => {
    const lines = demoSalesHistory(menu, '2026-11-18', 364, seeded(7));
    expect(demoSalesHistory(menu, '2026-11-18', 364, seeded(7))).toEqual(lines);
    expect(demoSalesHistory(menu, '2026-11-18', 364, seeded(8))).not.toEqual(lines);
    const gin = lines.filter((l) => l.externalId === 'gin');
    expect(gin.every((l) => l.date > '2025-11-19' && l.date <= '2026-11-18' && l.quantity > 0)).toBe(true);
    const byWeekday = [0, 0, 0, 0, 0, 0, 0];
    for (const l of gin) byWeekday[(new Date(`${l.date}T12:00:00Z`).getUTCDay() + 6) % 7]! += l.quantity;
    const [monday, , , , friday, saturday] = byWeekday.map((q) => q / 52);
    expect(friday! / monday!).toBeGreaterThan(1.8);
    expect(saturday! / monday!).toBeGreaterThan(2);
    // A par of 2,800 ml is about ten days of 30 ml pours: 9.3 a day on average.
    const perDay = gin.reduce((sum, l) => sum + l.quantity, 0) / 364;
    expect(perDay).toBeGreaterThan(7);
    expect(perDay).toBeLessThan(12);
  });
});

describe('seedSalesHistory', () => {
  it('imports the demo bar’s POS history through the API once, so the forecasts learn from real days', async () => {
    await emptyDatabase();
    const seed = await seedDemo(HUB, undefined, { fetch: viaWorker });
    const progress: number[] = [];
    const lines = await seedSalesHistory(HUB, seed, {
      days: 42,
      now: NOW,
      fetch: viaWorker,
      onProgress: (processed) => progress.push(processed),
    });
    expect(lines).toBeGreaterThan(400); // several export files of whole days, each recorded in its request
    expect(progress.at(-1)).toBe(lines);
    const recorded = await env.DB.prepare(
      "SELECT COUNT(*) AS n, SUM(quantity) AS q FROM sale_lines WHERE provider = 'csv'",
    ).first<{
      n: number;
      q: number;
    }>();
    expect(recorded!.n).toBe(lines);

    // Each item's demand history is what its menu item sold, day by day from the file's first day, in ml:
    // pours of spirits, and wine by the glass, beer by the bottle and draught by the pint too.
    const soldOf = async (menuItemName: string) =>
      (await env.DB.prepare(
        `SELECT SUM(l.quantity) AS q FROM sale_lines l JOIN pos_item_mappings m ON m.external_id = l.external_item_id
          JOIN menu_items mi ON mi.id = m.menu_item_id WHERE mi.name = ?`,
      )
        .bind(menuItemName)
        .first<{ q: number }>())!.q;
    const demandOf = async (itemId: string) =>
      (
        await loadDemand(env.DB, {
          locationId: seed.locationId,
          timezone: 'America/Los_Angeles',
          itemIds: [itemId],
          endDate: '2026-11-18',
          days: 42,
          now: NOW,
        })
      ).get(itemId)!;
    const total = (values: readonly (number | null)[]) =>
      values.reduce((sum: number, v) => sum + (v ?? 0), 0);
    const absolut = seed.items.find((item) => item.name.startsWith('Absolut'))!;
    const demand = await demandOf(absolut.id);
    expect(demand.observedDays).toBe(42);
    expect(total(demand.values)).toBe((await soldOf(absolut.name)) * DEMO_POUR_ML);
    const keg = seed.items.find((item) => item.category === 'keg')!;
    const pints = await soldOf(`${keg.name} (pint)`);
    expect(pints).toBeGreaterThan(0);
    expect(total((await demandOf(keg.id)).values)).toBe(pints * 473);
    const menuItems = await env.DB.prepare('SELECT COUNT(*) AS n FROM menu_items').first<{ n: number }>();
    expect(menuItems!.n).toBe(seed.items.length);

    // Imported once: a second run records nothing.
    expect(await seedSalesHistory(HUB, seed, { days: 42, now: NOW, fetch: viaWorker })).toBe(0);
    const again = await env.DB.prepare("SELECT COUNT(*) AS n FROM sale_lines WHERE provider = 'csv'").first<{
      n: number;
    }>();
    expect(again!.n).toBe(lines);

    // The nightly job now forecasts the poured items from their history, not as new items.
    const manager = await login(seed.credentials.manager.email, seed.credentials.manager.password);
    expect((await call('POST', '/forecasts/run', { token: manager.token, json: {} })).status).toBeLessThan(
      300,
    );
    const forecasts = await call('GET', `/forecasts?locationId=${seed.locationId}&itemId=${absolut.id}`, {
      token: manager.token,
    });
    const [forecast] = forecasts.body.forecasts;
    expect(forecast).toMatchObject({ observedDays: 42, coldStart: false });
    expect(forecast.totals[0].mean).toBeGreaterThan(0);
  });
});
