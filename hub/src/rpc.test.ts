import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from './index.ts';
import { freshHub, viaWorker } from '../test/helpers.ts';

// The dashboard reaches the hub through Hono RPC; this checks the types and the wiring end to end.
const client = hc<AppType>('http://hub.test', {
  fetch: viaWorker,
});

describe('hc<AppType>()', () => {
  it('calls typed routes', async () => {
    const owner = await freshHub();
    const health = await client.api.v1.health.$get();
    expect((await health.json()).status).toBe('ok');
    const created = await client.api.v1.items.$post(
      { json: { name: 'Typed Gin', category: 'spirit', containerMl: 700, cost: 20 } },
      { headers: { authorization: `Bearer ${owner.token}` } },
    );
    expect(created.status).toBe(201);
    const items = await client.api.v1.items.$get(undefined, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    const list = await items.json();
    expect(list.map((item) => item.name)).toEqual(['Typed Gin']);
  });
});
