import { beforeEach, describe, expect, it } from 'vitest';
import { itemSchema, supplierOfferSchema, supplierSchema, type LoginResponse } from '@pourcast/protocol';
import { call, createItem, freshHub, otherOrganization } from '../../test/helpers.ts';

let owner: LoginResponse;
beforeEach(async () => {
  owner = await freshHub();
});

describe('items', () => {
  it('are created with protocol defaults, listed by name, read, patched field by field and archived', async () => {
    const created = await call('POST', '/items', {
      token: owner.token,
      json: {
        name: 'Rye Whiskey',
        category: 'spirit',
        containerMl: 750,
        barcodes: ['0080432400432'],
        emptyWeightG: 560,
        densityGPerMl: 0.95,
        cost: 31.5,
        parLevelMl: 3000,
      },
    });
    expect(created.status).toBe(201);
    const rye = itemSchema.parse(created.body);
    const ale = await createItem(owner.token, { name: 'Amber Ale', category: 'beer', containerMl: 330 });
    expect(ale).toMatchObject({
      unit: 'ml',
      barcodes: [],
      emptyWeightG: null,
      densityGPerMl: 1,
      parLevelMl: null,
    });

    const list = await call('GET', '/items', { token: owner.token });
    expect(list.body.map((i: { name: string }) => i.name)).toEqual(['Amber Ale', 'Rye Whiskey']);

    const patched = await call('PATCH', `/items/${rye.id}`, { token: owner.token, json: { cost: 29 } });
    expect(patched.status).toBe(200);
    // Only the field sent changes: the patch schema's defaults must not reset the others.
    expect(patched.body).toEqual({ ...rye, cost: 29 });
    expect((await call('GET', `/items/${rye.id}`, { token: owner.token })).body).toEqual({
      ...rye,
      cost: 29,
    });

    const badPatch = await call('PATCH', `/items/${rye.id}`, {
      token: owner.token,
      json: { containerMl: -1 },
    });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.error.details).toEqual(['body.containerMl: Too small: expected number to be >0']);

    expect((await call('DELETE', `/items/${rye.id}`, { token: owner.token })).status).toBe(204);
    expect((await call('GET', `/items/${rye.id}`, { token: owner.token })).status).toBe(404);
    expect((await call('GET', '/items', { token: owner.token })).body).toHaveLength(1);
  });

  it('reject an unknown category with a path line', async () => {
    const answer = await call('POST', '/items', {
      token: owner.token,
      json: { name: 'X', category: 'cider', containerMl: 500, cost: 1 },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details[0]).toMatch(/^body\.category: /);
  });
});

describe('suppliers and offers', () => {
  it('are created, listed, patched and deleted with their offers', async () => {
    const gin = await createItem(owner.token, { name: 'Gin' });
    const created = await call('POST', '/suppliers', {
      token: owner.token,
      json: { name: 'Harbour Wines', email: 'orders@harbour.example', deliveryFee: 15 },
    });
    expect(created.status).toBe(201);
    const supplier = supplierSchema.parse(created.body);
    expect(supplier.phone).toBeNull();

    const offer = await call('POST', `/suppliers/${supplier.id}/offers`, {
      token: owner.token,
      json: { itemId: gin.id, price: 18.4, caseSize: 6, leadTimeDays: 3, minimumOrder: 150 },
    });
    expect(offer.status).toBe(201);
    const parsed = supplierOfferSchema.parse(offer.body);
    expect((await call('GET', `/suppliers/${supplier.id}/offers`, { token: owner.token })).body).toEqual([
      parsed,
    ]);

    const patched = await call('PATCH', `/suppliers/${supplier.id}/offers/${parsed.id}`, {
      token: owner.token,
      json: { price: 17.9 },
    });
    expect(patched.body).toEqual({ ...parsed, price: 17.9 });
    const renamed = await call('PATCH', `/suppliers/${supplier.id}`, {
      token: owner.token,
      json: { phone: '+1 555 0100' },
    });
    expect(renamed.body).toEqual({ ...supplier, phone: '+1 555 0100' });

    expect(
      (await call('DELETE', `/suppliers/${supplier.id}/offers/${parsed.id}`, { token: owner.token })).status,
    ).toBe(204);
    expect((await call('GET', `/suppliers/${supplier.id}/offers`, { token: owner.token })).body).toEqual([]);
    expect((await call('DELETE', `/suppliers/${supplier.id}`, { token: owner.token })).status).toBe(204);
    expect((await call('GET', '/suppliers', { token: owner.token })).body).toEqual([]);
  });

  it("refuse an offer of another organization's item with 422", async () => {
    const stranger = await otherOrganization();
    const theirItem = await createItem(stranger.token);
    const supplier = await call('POST', '/suppliers', {
      token: owner.token,
      json: { name: 'Harbour Wines' },
    });
    const answer = await call('POST', `/suppliers/${supplier.body.id}/offers`, {
      token: owner.token,
      json: { itemId: theirItem.id, price: 10 },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details).toEqual(['body.itemId: not an item of this organization']);
  });
});
