import { describe, expect, it } from 'vitest';
import { app } from '../index.ts';
import { call } from '../../test/helpers.ts';
import { openApiPath } from './document.ts';

describe('GET /openapi.json', () => {
  it('documents every route the app serves, with schemas for bodies and answers', async () => {
    const answer = await call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toBe('3.1.0');
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path.replace(/^\/api\/v1/, ''))}`);
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(served));
    expect(documented.length).toBeGreaterThanOrEqual(30);
  });

  it('carries the zod-derived schemas and the access of each route', async () => {
    const { paths } = (await call('GET', '/openapi.json')).body;
    const events = paths['/api/v1/gateways/{id}/events'].post;
    expect(events.security).toEqual([{ gatewayToken: [] }]);
    expect(events.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    const batch = events.requestBody.content['application/json'].schema;
    expect(batch.required).toEqual(['gatewayId', 'fromSeq', 'events']);
    expect(batch.properties.events.maxItems).toBe(1000);
    expect(events.responses['200'].content['application/json'].schema.required).toContain('ackSeq');

    const items = paths['/api/v1/items'].post;
    expect(items.description).toContain('items:write');
    expect(items.responses['201']).toBeDefined();
    expect(items.requestBody.content['application/json'].schema.properties.category.enum).toContain('keg');
    expect(paths['/api/v1/health'].get.security).toEqual([]);
  });
});
