import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { unknownModifierSchema } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub, otherOrganization, staff } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';

let token: string;
let locationId: string;
let mappingId: string;
let tequila: string;

beforeAll(async () => {
  token = (await freshHub()).token;
  locationId = await createLocation(token);
  tequila = (await createItem(token, { name: 'Blanco Tequila', containerMl: 700, cost: 28 })).id;
  const menu = await call('POST', '/menu-items', {
    token,
    json: { name: 'Tequila', category: 'spirits', price: 6, recipe: [{ itemId: tequila, ml: 40 }] },
  });
  await call('POST', '/pos/mappings', {
    token,
    json: { provider: 'csv', externalId: 'P1', menuItemId: menu.body.id },
  });
  for (const modifier of [
    { name: 'Double', multiplier: 2 },
    { name: 'Neat', dropCategories: ['mixer'] },
  ])
    expect((await call('POST', '/modifiers', { token, json: modifier })).status).toBe(201);
  const mapping = await call('POST', '/pos/csv-mappings', {
    token,
    json: {
      name: 'Till export with modifiers',
      columns: { soldAt: 'Date', itemId: 'PLU', quantity: 'Qty', modifiers: 'Mods' },
    },
  });
  mappingId = mapping.body.id;
});

const list = async (as = token) => {
  const answer = await call('GET', '/pos/unknown-modifiers', { token: as });
  expect(answer.status).toBe(200);
  return answer.body.map((m: unknown) => unknownModifierSchema.parse(m));
};

describe('GET /pos/unknown-modifiers', () => {
  it('lists the modifier names no modifier matches, by lines, until the manager adds them', async () => {
    const csv = [
      'Date,PLU,Qty,Mods',
      '2026-03-06 21:00,P1,1,Double|Large',
      '2026-03-06 21:05,P1,1, large ',
      '2026-03-06 21:10,P1,1,NEAT',
      '2026-03-06 21:15,P1,1,',
      '2026-03-06 21:20,P1,1,Extra lime|extra LIME',
    ].join('\n');
    const imported = await call('POST', '/pos/imports', { token, json: { locationId, mappingId, csv } });
    expect(imported.status).toBe(201);
    expect(imported.body).toMatchObject({ lines: 5, recorded: 5 });

    const unknown = await list();
    expect(unknown.map((m: { name: string; lines: number }) => [m.name, m.lines])).toEqual([
      ['Large', 2],
      ['Extra lime', 1],
    ]);
    // The last line with each: 21:05 for Large, 21:20 for Extra lime (bar time, whatever its zone).
    expect(Date.parse(unknown[1].lastSoldAt) - Date.parse(unknown[0].lastSoldAt)).toBe(15 * 60_000);
    // Counted at the plain recipe meanwhile: Double ×2, the rest 40 ml each.
    const usage = await openDb(env.DB).get<{ ml: number }>(
      sql`SELECT SUM(ml) AS ml FROM sale_usages WHERE item_id = ${tequila}`,
    );
    expect(usage!.ml).toBe(80 + 4 * 40);

    expect(
      (await call('POST', '/modifiers', { token, json: { name: 'large', multiplier: 1.5 } })).status,
    ).toBe(201);
    expect((await list()).map((m: { name: string }) => m.name)).toEqual(['Extra lime']);
  });

  it('shows another organization none of them and refuses a bartender', async () => {
    const other = await otherOrganization();
    expect(await list(other.token)).toEqual([]);
    const bartender = await staff(token, 'bartender');
    expect((await call('GET', '/pos/unknown-modifiers', { token: bartender.token })).status).toBe(403);
  });
});
