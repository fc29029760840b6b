import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { call, freshHub, staff } from '../../test/helpers.ts';

let owner: LoginResponse;

beforeAll(async () => {
  owner = await freshHub();
});

describe("a bar's delivery address", () => {
  it('is kept as clean lines, left alone by a patch of another field, and cleared by an empty one', async () => {
    const created = await call('POST', '/locations', {
      token: owner.token,
      json: { name: 'Dock Bar', deliveryAddress: ' Unit 3, Pier Road \r\n\r\n  Cork T12 \n' },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.deliveryAddress).toBe('Unit 3, Pier Road\nCork T12');
    const id = created.body.id as string;

    const renamed = await call('PATCH', `/locations/${id}`, { token: owner.token, json: { name: 'Dock' } });
    expect(renamed.body).toMatchObject({ name: 'Dock', deliveryAddress: 'Unit 3, Pier Road\nCork T12' });

    const cleared = await call('PATCH', `/locations/${id}`, {
      token: owner.token,
      json: { deliveryAddress: ' ' },
    });
    expect(cleared.body.deliveryAddress).toBeNull();
    expect((await call('GET', `/locations/${id}`, { token: owner.token })).body.deliveryAddress).toBeNull();
  });

  it('refuses more than six lines, and a manager changing it (an owner sets where the bar is)', async () => {
    const bar = await call('POST', '/locations', { token: owner.token, json: { name: 'Long Bar' } });
    expect(bar.body.deliveryAddress).toBeNull();
    const long = await call('PATCH', `/locations/${bar.body.id}`, {
      token: owner.token,
      json: { deliveryAddress: ['1', '2', '3', '4', '5', '6', '7'].join('\n') },
    });
    expect(long.status).toBe(400);
    expect(long.body.error.details).toEqual(['body.deliveryAddress: at most 6 lines']);
    const manager = await staff(owner.token, 'manager');
    const refused = await call('PATCH', `/locations/${bar.body.id}`, {
      token: manager.token,
      json: { deliveryAddress: '1 Main Street' },
    });
    expect(refused.status).toBe(403);
  });
});
