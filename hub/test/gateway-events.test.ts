/**
 * GET /gateways/:id/events: a gateway takes back the events it sent (a gateway restored from a backup re-reads
 * what it sent after the backup, edge/src/outbox/rebase.ts). Only its own events, in seq order, a page at a time.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sentEventsPageSchema, type LoginResponse, type StockEventInput } from '@pourcast/protocol';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  otherOrganization,
} from './helpers.ts';

let owner: LoginResponse;
let locationId: string;
let gin: { id: string };

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token, 'The Copper Still');
  gin = await createItem(owner.token, { name: 'Gin', containerMl: 700 });
});

async function send(gateway: { gatewayId: string; token: string }, events: StockEventInput[]) {
  const answer = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, events[0]!.seq, events),
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

const page = async (gateway: { gatewayId: string; token: string }, query = '') => {
  const answer = await call('GET', `/gateways/${gateway.gatewayId}/events${query}`, { token: gateway.token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return sentEventsPageSchema.parse(answer.body);
};

describe('GET /gateways/:id/events', () => {
  it('answers the events the gateway sent, as it sent them, after afterSeq and in seq order', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const sent = [
      event(gateway.gatewayId, 1, {
        locationId,
        itemId: gin.id,
        kind: 'count',
        deltaMl: 0,
        levelAfterMl: 650,
        deviceId: 'scale-01',
        slot: 'platform-0',
        confidence: 0.99,
      }),
      event(gateway.gatewayId, 2, {
        locationId,
        itemId: gin.id,
        deltaMl: -45,
        levelAfterMl: 605,
        deviceId: 'scale-01',
        slot: 'platform-0',
      }),
      event(gateway.gatewayId, 3, {
        locationId,
        itemId: gin.id,
        kind: 'waste',
        deltaMl: -30,
        source: 'display',
        userId: 'bartender-1',
        wasteReason: 'spill',
        note: 'knocked over: on the ice well',
      }),
      event(gateway.gatewayId, 4, {
        locationId,
        itemId: gin.id,
        kind: 'adjust',
        deltaMl: 10,
        source: 'display',
        note: 'found behind the till',
      }),
      event(gateway.gatewayId, 5, {
        locationId,
        itemId: gin.id,
        kind: 'receive',
        deltaMl: 1400,
        containersDelta: 2,
        source: 'scanner',
        deviceId: 'scanner-01',
      }),
    ];
    await send(gateway, sent);

    const all = await page(gateway);
    expect(all).toEqual({ events: sent, nextAfterSeq: null });
    const after = await page(gateway, '?afterSeq=3');
    expect(after.events.map((e) => e.seq)).toEqual([4, 5]);
    expect((await page(gateway, '?afterSeq=5')).events).toEqual([]);
  });

  it('pages: a full page names the next afterSeq, the last page null', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    // seq 4 is missing: the hub wrote it off as a gap, and the pages skip it.
    const seqs = [1, 2, 3, 5, 6, 7, 8];
    await send(
      gateway,
      seqs.slice(0, 3).map((seq) => event(gateway.gatewayId, seq, { locationId, itemId: gin.id })),
    );
    await send(
      gateway,
      seqs.slice(3).map((seq) => event(gateway.gatewayId, seq, { locationId, itemId: gin.id })),
    );
    const seen: number[] = [];
    let afterSeq = 0;
    for (let pages = 0; pages < 10; pages++) {
      const next = await page(gateway, `?afterSeq=${afterSeq}&limit=3`);
      seen.push(...next.events.map((e) => e.seq));
      if (next.nextAfterSeq === null) break;
      expect(next.events).toHaveLength(3);
      afterSeq = next.nextAfterSeq;
    }
    expect(seen).toEqual(seqs);
    expect((await page(gateway, '?afterSeq=6&limit=2')).nextAfterSeq).toBe(8);
  });

  it("never answers another gateway's events, of this organization or another", async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const sibling = await claimGateway(owner.token, locationId);
    const stranger = await otherOrganization();
    const theirBar = await createLocation(stranger.token, 'Theirs');
    const theirGin = await createItem(stranger.token, { name: 'Their Gin' });
    const foreign = await claimGateway(stranger.token, theirBar);
    await send(sibling, [event(sibling.gatewayId, 1, { locationId, itemId: gin.id, deltaMl: -11 })]);
    await send(foreign, [
      event(foreign.gatewayId, 1, { locationId: theirBar, itemId: theirGin.id, deltaMl: -22 }),
    ]);
    await send(gateway, [event(gateway.gatewayId, 1, { locationId, itemId: gin.id, deltaMl: -33 })]);

    expect((await page(gateway)).events.map((e) => [e.gatewayId, e.deltaMl])).toEqual([
      [gateway.gatewayId, -33],
    ]);
    for (const other of [sibling, foreign]) {
      const answer = await call('GET', `/gateways/${other.gatewayId}/events`, { token: gateway.token });
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    }
  });

  it('answers only the gateway itself, never a person', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const path = `/gateways/${gateway.gatewayId}/events`;
    expect((await call('GET', path, { token: owner.token })).status).toBe(401);
    expect((await call('GET', path)).status).toBe(401);
    expect((await call('GET', path, { token: gateway.token })).status).toBe(200);
    const revoked = await call('DELETE', `/gateways/${gateway.gatewayId}/token`, { token: owner.token });
    expect(revoked.status).toBe(204);
    expect((await call('GET', path, { token: gateway.token })).status).toBe(401);
  });

  it('refuses a bad query with a reason', async () => {
    const gateway = await claimGateway(owner.token, locationId);
    const path = `/gateways/${gateway.gatewayId}/events`;
    for (const [query, reason] of [
      ['?afterSeq=-1', 'query.afterSeq'],
      ['?afterSeq=two', 'query.afterSeq'],
      ['?afterSeq=1.5', 'query.afterSeq'],
      ['?limit=0', 'query.limit'],
      ['?limit=501', 'query.limit'],
      ['?since=3', 'query'],
    ] as const) {
      const answer = await call('GET', path + query, { token: gateway.token });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(answer.body.error.details.join('\n'), query).toContain(reason);
    }
  });
});
