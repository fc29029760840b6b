import { describe, expect, it } from 'vitest';
import { hubHealthSchema } from '@pourcast/protocol';
import { call } from '../../test/helpers.ts';

describe('GET /health', () => {
  it('answers without auth and reports the database reachable', async () => {
    const answer = await call('GET', '/health');
    expect(answer.status).toBe(200);
    const health = hubHealthSchema.parse(answer.body);
    expect(health).toMatchObject({ status: 'ok', database: { reachable: true } });
  });

  it('answers unknown routes with the error envelope', async () => {
    const answer = await call('GET', '/no-such-route');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      error: { code: 'not_found', message: 'no route for GET /api/v1/no-such-route' },
    });
  });
});
