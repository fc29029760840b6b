import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub, otherOrganization } from './helpers.ts';

let first: LoginResponse;
let second: LoginResponse;
const ids = { location: '', item: '', supplier: '', offer: '' };

beforeAll(async () => {
  first = await freshHub('First Bar Group');
  second = await otherOrganization('Second Bar Group');
  ids.location = await createLocation(first.token, 'First Bar');
  ids.item = (await createItem(first.token, { name: 'First Gin' })).id;
  ids.supplier = (
    await call('POST', '/suppliers', { token: first.token, json: { name: 'First Supplier' } })
  ).body.id;
  ids.offer = (
    await call('POST', `/suppliers/${ids.supplier}/offers`, {
      token: first.token,
      json: { itemId: ids.item, price: 9 },
    })
  ).body.id;
  await createLocation(second.token, 'Second Bar');
  await createItem(second.token, { name: 'Second Gin' });
});

describe("a second organization cannot reach the first one's records", () => {
  it.each([
    ['GET', () => `/locations/${ids.location}`],
    ['PATCH', () => `/locations/${ids.location}`],
    ['GET', () => `/locations/${ids.location}/stock`],
    ['POST', () => `/locations/${ids.location}/claim-codes`],
    ['GET', () => `/items/${ids.item}`],
    ['PATCH', () => `/items/${ids.item}`],
    ['DELETE', () => `/items/${ids.item}`],
    ['GET', () => `/suppliers/${ids.supplier}`],
    ['PATCH', () => `/suppliers/${ids.supplier}`],
    ['DELETE', () => `/suppliers/${ids.supplier}`],
    ['GET', () => `/suppliers/${ids.supplier}/offers`],
    ['PATCH', () => `/suppliers/${ids.supplier}/offers/${ids.offer}`],
    ['DELETE', () => `/suppliers/${ids.supplier}/offers/${ids.offer}`],
  ])('%s %s answers 404', async (method, path) => {
    const answer = await call(method, path(), {
      token: second.token,
      ...(method === 'PATCH' ? { json: {} } : {}),
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });

  it('adjusting stock at their location with the first organization’s item is refused', async () => {
    const theirLocation = (await call('GET', '/locations', { token: second.token })).body[0].id;
    const answer = await call('POST', `/locations/${theirLocation}/adjustments`, {
      token: second.token,
      json: { itemId: ids.item, sealedContainers: 1, openMl: 0, reason: 'x' },
    });
    expect(answer.status).toBe(422);
  });

  it('lists show only their own records, and the first organization still has everything', async () => {
    const names = async (token: string, path: string) =>
      (await call('GET', path, { token })).body.map(
        (r: { name?: string; email?: string }) => r.name ?? r.email,
      );
    expect(await names(second.token, '/locations')).toEqual(['Second Bar']);
    expect(await names(second.token, '/items')).toEqual(['Second Gin']);
    expect(await names(second.token, '/suppliers')).toEqual([]);
    expect(await names(second.token, '/users')).toEqual([second.user.name]);
    expect(await names(first.token, '/items')).toEqual(['First Gin']);
    expect(
      (await call('GET', `/suppliers/${ids.supplier}/offers`, { token: first.token })).body,
    ).toHaveLength(1);
  });
});
