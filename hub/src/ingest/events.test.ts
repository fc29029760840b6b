import { beforeEach, describe, expect, it } from 'vitest';
import { eventBatchAckSchema, type Item, type LoginResponse } from '@pourcast/protocol';
import {
  batch,
  call,
  claimGateway,
  createItem,
  createLocation,
  event,
  freshHub,
  otherOrganization,
  stockLine,
} from '../../test/helpers.ts';

let owner: LoginResponse;
let locationId: string;
let item: Item;
let gateway: { gatewayId: string; token: string };

beforeEach(async () => {
  owner = await freshHub();
  locationId = await createLocation(owner.token, 'The Copper Still');
  item = await createItem(owner.token, { containerMl: 700 });
  gateway = await claimGateway(owner.token, locationId);
});

const pour = (seq: number, deltaMl = -30) =>
  event(gateway.gatewayId, seq, { locationId, itemId: item.id, deltaMl });
const send = (body: unknown, token = gateway.token, id = gateway.gatewayId) =>
  call('POST', `/gateways/${id}/events`, { token, json: body });

describe('POST /gateways/:id/events', () => {
  it('applies a batch once; a replay answers duplicates, the same ack and unchanged stock', async () => {
    const body = batch(gateway.gatewayId, 1, [pour(1), pour(2), pour(3, -45)]);
    const first = await send(body);
    expect(first.status).toBe(200);
    expect(eventBatchAckSchema.parse(first.body)).toEqual({ ackSeq: 3, applied: 3, duplicates: 0, gaps: [] });
    const afterFirst = await stockLine(owner.token, locationId, item.id);
    expect(afterFirst).toMatchObject({
      sealedContainers: 0,
      openMl: -105,
      totalMl: -105,
      lastSource: 'scale',
    });

    const replay = await send(body);
    expect(replay.body).toEqual({ ackSeq: 3, applied: 0, duplicates: 3, gaps: [] });
    expect(await stockLine(owner.token, locationId, item.id)).toEqual(afterFirst);

    const overlapping = await send(batch(gateway.gatewayId, 3, [pour(3, -45), pour(4)]));
    expect(overlapping.body).toEqual({ ackSeq: 4, applied: 1, duplicates: 1, gaps: [] });
    expect((await stockLine(owner.token, locationId, item.id)).openMl).toBe(-135);
  });

  it('holds the ack at a hole the gateway may still fill, then moves when it arrives', async () => {
    expect((await send(batch(gateway.gatewayId, 1, [pour(1), pour(2)]))).body.ackSeq).toBe(2);
    const ahead = await send(batch(gateway.gatewayId, 4, [pour(4), pour(5)]));
    // fromSeq 4 says seq 3 is gone from the gateway: written off as a gap.
    expect(ahead.body).toMatchObject({ ackSeq: 5, applied: 2, gaps: [{ fromSeq: 3, toSeq: 3 }] });
  });

  it('waits for a seq at or above fromSeq that arrives out of order', async () => {
    const outOfOrder = await send(batch(gateway.gatewayId, 1, [pour(1), pour(3)]));
    expect(outOfOrder.body).toEqual({ ackSeq: 1, applied: 2, duplicates: 0, gaps: [] });
    const late = await send(batch(gateway.gatewayId, 2, [pour(2)]));
    expect(late.body).toEqual({ ackSeq: 3, applied: 1, duplicates: 0, gaps: [] });
    const gateways = await call('GET', '/gateways', { token: owner.token });
    expect(gateways.body[0]).toMatchObject({ id: gateway.gatewayId, ackSeq: 3, gaps: [] });
    expect(gateways.body[0].lastSeenAt).not.toBeNull();
  });

  it('records a gap when the hub is behind fromSeq - 1 and shows it in GET /gateways', async () => {
    const answer = await send(batch(gateway.gatewayId, 10, [pour(10), pour(11)]));
    expect(answer.body).toEqual({ ackSeq: 11, applied: 2, duplicates: 0, gaps: [{ fromSeq: 1, toSeq: 9 }] });
    const again = await send(batch(gateway.gatewayId, 12, [pour(12)]));
    expect(again.body).toEqual({ ackSeq: 12, applied: 1, duplicates: 0, gaps: [{ fromSeq: 1, toSeq: 9 }] });
    const listed = await call('GET', '/gateways', { token: owner.token });
    expect(listed.body[0].gaps).toMatchObject([{ fromSeq: 1, toSeq: 9 }]);
  });

  it('refuses a bad token and a revoked one with 401', async () => {
    expect((await send(batch(gateway.gatewayId, 1, [pour(1)]), 'pgw_not-a-real-token')).status).toBe(401);
    expect((await send(batch(gateway.gatewayId, 1, [pour(1)]), '')).status).toBe(401);
    const revoked = await call('DELETE', `/gateways/${gateway.gatewayId}/token`, { token: owner.token });
    expect(revoked.status).toBe(204);
    const answer = await send(batch(gateway.gatewayId, 1, [pour(1)]));
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });

  it("answers 403 when a gateway posts to another gateway's id", async () => {
    const other = await claimGateway(owner.token, locationId);
    const answer = await send(
      batch(other.gatewayId, 1, [event(other.gatewayId, 1, { locationId, itemId: item.id })]),
      gateway.token,
      other.gatewayId,
    );
    expect(answer.status).toBe(403);
  });

  it('answers 400 with path lines for a malformed batch, and stores nothing', async () => {
    const bad = { gatewayId: gateway.gatewayId, fromSeq: 1, events: [{ ...pour(2), deltaMl: 1.5 }, pour(1)] };
    const answer = await send(bad);
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual([
      'body.events.0.deltaMl: Invalid input: expected int, received number',
    ]);
    const unordered = await send(batch(gateway.gatewayId, 1, [pour(2), pour(1)]));
    expect(unordered.status).toBe(400);
    expect(unordered.body.error.details).toEqual(['body.events.1.seq: seqs must be strictly increasing']);
    const notJson = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
      token: gateway.token,
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect((await stockLine(owner.token, locationId, item.id)).lastObservedAt).toBeNull();
  });

  it("answers 422 with the path for another organization's item or another location", async () => {
    const stranger = await otherOrganization();
    const foreignItem = await createItem(stranger.token);
    const otherLocation = await createLocation(owner.token);
    const answer = await send(
      batch(gateway.gatewayId, 1, [
        pour(1),
        event(gateway.gatewayId, 2, { locationId, itemId: foreignItem.id }),
        event(gateway.gatewayId, 3, { locationId: otherLocation, itemId: item.id }),
      ]),
    );
    expect(answer.status).toBe(422);
    expect(answer.body.error.details).toEqual([
      'body.events.1.itemId: not an item of this organization',
      "body.events.2.locationId: not this gateway's location",
    ]);
    expect((await call('GET', '/gateways', { token: owner.token })).body[0].ackSeq).toBe(0);
  });

  it('stores observation times in UTC so the latest one wins across offsets', async () => {
    await send(
      batch(gateway.gatewayId, 1, [
        { ...pour(1), observedAt: '2026-01-01T22:00:00+02:00', source: 'camera' },
        { ...pour(2), observedAt: '2026-01-01T19:30:00Z', source: 'scale' },
      ]),
    );
    const line = await stockLine(owner.token, locationId, item.id);
    expect(line).toMatchObject({ lastObservedAt: '2026-01-01T20:00:00.000Z', lastSource: 'camera' });
  });

  it('takes a full batch of 1000 events in one request', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => pour(i + 1, -1));
    const answer = await send(batch(gateway.gatewayId, 1, events));
    expect(answer.body).toEqual({ ackSeq: 1000, applied: 1000, duplicates: 0, gaps: [] });
    expect((await stockLine(owner.token, locationId, item.id)).openMl).toBe(-1000);
  });
});
