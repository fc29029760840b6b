import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub, staff } from '../../test/helpers.ts';

const BOTTLE = 700;
let owner: LoginResponse;
let manager: LoginResponse;
let bartender: LoginResponse;
let locationId: string;
let gin: string;

beforeAll(async () => {
  owner = await freshHub();
  manager = await staff(owner.token, 'manager');
  bartender = await staff(owner.token, 'bartender');
  locationId = await createLocation(owner.token);
  gin = (await createItem(owner.token, { name: 'Gin', containerMl: BOTTLE, parLevelMl: 6 * BOTTLE })).id;
});

const parPath = () => `/locations/${locationId}/pars/${gin}`;

const pin = (token: string, parMl: number | null) => call('PATCH', parPath(), { token, json: { parMl } });

/** The audit log's entries for this item's par at this bar, newest first. */
async function parEntries() {
  const answer = await call('GET', `/audit?path=${encodeURIComponent(parPath())}`, { token: owner.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.entries as any[];
}

describe('pinning a par is audited', () => {
  it('records who pinned, re-pinned and unpinned which item at which bar, when, with the par before and after', async () => {
    expect((await pin(manager.token, 4 * BOTTLE)).status).toBe(200);
    expect((await pin(owner.token, 5 * BOTTLE)).status).toBe(200);
    expect((await pin(manager.token, null)).status).toBe(200);

    const [unpinned, repinned, pinned] = await parEntries();
    const at = (e: { at: string }) => Date.parse(e.at);
    expect(at(unpinned)).toBeGreaterThanOrEqual(at(repinned));
    expect(at(repinned)).toBeGreaterThanOrEqual(at(pinned));
    const pinOf = (parMl: number | null, by: string | null) => ({
      locationId,
      itemId: gin,
      itemName: 'Gin',
      pinnedParMl: parMl,
      pinnedBy: by,
      catalogParMl: 6 * BOTTLE,
    });
    expect(pinned).toMatchObject({
      action: 'PATCH /locations/:id/pars/:itemId',
      path: parPath(),
      actorKind: 'user',
      actorId: manager.user.id,
      actorRole: 'manager',
      status: 200,
      before: pinOf(null, null),
      after: pinOf(4 * BOTTLE, manager.user.id),
    });
    expect(Date.parse(pinned.after.pinnedAt)).toBeLessThanOrEqual(at(pinned));
    expect(repinned).toMatchObject({
      actorId: owner.user.id,
      actorRole: 'owner',
      before: pinOf(4 * BOTTLE, manager.user.id),
      after: pinOf(5 * BOTTLE, owner.user.id),
    });
    // Unpinned: null, the forecast decides again.
    expect(unpinned).toMatchObject({
      actorId: manager.user.id,
      before: pinOf(5 * BOTTLE, owner.user.id),
      after: { ...pinOf(null, null), pinnedAt: null },
    });
  });

  it('still refuses staff a pin, changing and recording nothing', async () => {
    expect((await pin(manager.token, 3 * BOTTLE)).status).toBe(200);
    const before = await parEntries();
    for (const parMl of [BOTTLE, null]) {
      const refused = await pin(bartender.token, parMl);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    expect(await parEntries()).toEqual(before);
    const now = await call('GET', parPath(), { token: bartender.token });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ pinnedParMl: 3 * BOTTLE, pinnedBy: manager.user.id });
  });

  it('answers 404 for an item the organization does not have', async () => {
    const unknown = await call('GET', `/locations/${locationId}/pars/01UNKNOWNITEM0000000000000`, {
      token: manager.token,
    });
    expect(unknown.status).toBe(404);
  });
});
