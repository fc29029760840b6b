import { beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '@pourcast/protocol';
import { REDACTED } from '../src/audit/redact.ts';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  otherOrganization,
  staff,
} from './helpers.ts';

let owner: LoginResponse;
let manager: LoginResponse;

beforeAll(async () => {
  owner = await freshHub();
  manager = await staff(owner.token, 'manager');
});

const audit = async (query = '', token = owner.token) => {
  const answer = await call('GET', `/audit${query}`, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { entries: any[]; nextCursor: string | null };
};

describe('every change is in the audit log', () => {
  it('records who changed an item, when, and the item before and after', async () => {
    const item = await createItem(manager.token, { name: 'Audit Gin', cost: 20 });
    const patched = await call('PATCH', `/items/${item.id}`, { token: manager.token, json: { cost: 23.5 } });
    expect(patched.status).toBe(200);
    expect((await call('DELETE', `/items/${item.id}`, { token: owner.token })).status).toBe(204);

    const { entries } = await audit(`?path=${encodeURIComponent(`/items/${item.id}`)}`);
    expect(entries.map((e) => e.action)).toEqual(['DELETE /items/:id', 'PATCH /items/:id']);
    const [deletion, patch] = entries;
    expect(patch).toMatchObject({
      actorKind: 'user',
      actorId: manager.user.id,
      actorRole: 'manager',
      status: 200,
    });
    expect(patch.before).toMatchObject({ id: item.id, name: 'Audit Gin', cost: 20 });
    expect(patch.after).toMatchObject({ id: item.id, cost: 23.5 });
    expect(deletion).toMatchObject({ actorId: owner.user.id, status: 204, after: null });
    expect(deletion.before).toMatchObject({ id: item.id, cost: 23.5 });
    expect(Date.parse(deletion.at)).toBeGreaterThanOrEqual(Date.parse(patch.at));

    const created = await audit(`?action=${encodeURIComponent('POST /items')}&actorId=${manager.user.id}`);
    expect(created.entries[0]).toMatchObject({ before: null, after: { id: item.id, name: 'Audit Gin' } });
  });

  it('records gateways and claims with every token and code redacted', async () => {
    const locationId = await createLocation(owner.token);
    const gateway = await claimGateway(owner.token, locationId);
    const rotated = await call('POST', `/gateways/${gateway.gatewayId}/token/rotate`, { token: owner.token });
    expect(rotated.status).toBe(200);
    const item = await createItem(owner.token);
    const ingest = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: rotated.body.token,
      json: batch(gateway.gatewayId, 1, [event(gateway.gatewayId, 1, { locationId, itemId: item.id })]),
    });
    expect(ingest.status, JSON.stringify(ingest.body)).toBeLessThan(300);

    const all = JSON.stringify((await audit('?limit=200')).entries);
    for (const secret of [gateway.token, rotated.body.token]) expect(all).not.toContain(secret);
    const claim = (await audit('?actorKind=claim-code')).entries[0];
    expect(claim).toMatchObject({
      actorId: gateway.gatewayId,
      after: { token: REDACTED, gatewayId: gateway.gatewayId },
    });
    const codes = (await audit(`?action=${encodeURIComponent('POST /locations/:id/claim-codes')}`))
      .entries[0];
    expect(codes.after.code).toBe(REDACTED);
    const fromGateway = await audit(`?actorKind=gateway&actorId=${gateway.gatewayId}`);
    expect(fromGateway.entries.length).toBeGreaterThan(0);
  });

  it('does not record refused requests', async () => {
    const before = (await audit('?limit=200')).entries.length;
    expect((await call('POST', '/items', { token: manager.token, json: { name: '' } })).status).toBe(400);
    expect(
      (await call('POST', '/locations', { token: manager.token, json: { name: 'Not allowed' } })).status,
    ).toBe(403);
    expect((await audit('?limit=200')).entries.length).toBe(before);
  });
});

describe('GET /audit', () => {
  it('pages newest first with a cursor, without repeats or gaps', async () => {
    for (let i = 0; i < 5; i++) await createItem(owner.token, { name: `Page ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { entries: any[]; nextCursor: string | null } = await audit(
        `?limit=2&action=${encodeURIComponent('POST /items')}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    const everything = (await audit(`?limit=200&action=${encodeURIComponent('POST /items')}`)).entries.map(
      (e) => e.id,
    );
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('is for owners only, shows only their organization, and refuses bad filters with reasons', async () => {
    expect((await call('GET', '/audit', { token: manager.token })).status).toBe(403);
    const other = await otherOrganization();
    await createItem(other.token, { name: 'Other Gin' });
    const theirs = await audit('?limit=200', other.token);
    expect(theirs.entries.map((e) => e.after?.name)).toEqual(['Other Gin']);
    expect(JSON.stringify((await audit('?limit=200')).entries)).not.toContain('Other Gin');
    const bad = await call('GET', '/audit?limit=0&cursor=nonsense', { token: owner.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.join('\n')).toContain('query.limit');
  });
});
