import { describe, expect, it } from 'vitest';
import { matchesTag } from '../src/http/etag.ts';
import { call, createItem, createLocation, freshHub, viaWorker } from './helpers.ts';

const get = (path: string, token: string, etag?: string) =>
  viaWorker(
    new Request(`http://hub.test/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}`, ...(etag ? { 'if-none-match': etag } : {}) },
    }),
  );

describe('ETags on authorised GET JSON answers', () => {
  it('answers 304 while unchanged and a new tag once the data changes', async () => {
    const owner = await freshHub();
    const locationId = await createLocation(owner.token);
    const first = await get(`/locations/${locationId}/stock`, owner.token);
    const tag = first.headers.get('etag');
    expect(first.status).toBe(200);
    expect(tag).toMatch(/^"[0-9a-f]{32}"$/);
    await first.arrayBuffer();

    const same = await get(`/locations/${locationId}/stock`, owner.token, tag!);
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');
    expect(same.headers.get('etag')).toBe(tag);
    expect(same.headers.get('strict-transport-security')).toBeTruthy();

    await createItem(owner.token, { name: 'Fernet' });
    const item = (await call('GET', '/items', { token: owner.token })).body[0];
    const adjusted = await call('POST', `/locations/${locationId}/adjustments`, {
      token: owner.token,
      json: { itemId: item.id, sealedContainers: 2, openMl: 0, reason: 'opening stock' },
    });
    expect(adjusted.status).toBe(201);
    const changed = await get(`/locations/${locationId}/stock`, owner.token, tag!);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(tag);
    expect((await changed.json<{ items: unknown[] }>()).items).toHaveLength(1);
  });

  it('leaves errors and public answers without a tag', async () => {
    const owner = await freshHub();
    const missing = await get('/locations/01ARZ3NDEKTSV4RRFFQ69G5FAV/stock', owner.token);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
    await missing.arrayBuffer();
    const health = await viaWorker(new Request('http://hub.test/api/v1/health'));
    expect(health.headers.get('etag')).toBeNull();
    await health.arrayBuffer();
  });

  it('reads If-None-Match lists, weak tags and *', () => {
    expect(matchesTag('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesTag('*', '"x"')).toBe(true);
    expect(matchesTag('"a"', '"b"')).toBe(false);
    expect(matchesTag(undefined, '"b"')).toBe(false);
  });
});
