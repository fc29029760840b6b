import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { WASTE_PHOTO_MAX_BYTES, wasteEventsSchema, type Item } from '@pourcast/protocol';
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
  viaWorker,
} from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';

const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 1, 2, 3, 0xff, 0xd9,
]);
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
const GIF = new TextEncoder().encode('GIF89a not ours');

/**
 * A raw-body request to the hub (the helpers' `call` sends JSON only), with the Content-Length a gateway's
 * upload declares: a Request made in the isolate has none of its own.
 */
const raw = (method: string, path: string, token: string, body?: Uint8Array) =>
  viaWorker(`http://hub.test/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      ...(body ? { 'content-length': String(body.length) } : {}),
    },
    body,
  });

let owner: string;
let locationId: string;
let gin: Item;
let gateway: { gatewayId: string; token: string };
let other: { gatewayId: string; token: string };
const ids: string[] = [];
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 20, 0, second)).toISOString();
const upload = (eventId: string, bytes: Uint8Array, gw = gateway) =>
  raw('PUT', `/gateways/${gw.gatewayId}/waste-photos/${eventId}`, gw.token, bytes);

beforeAll(async () => {
  owner = (await freshHub()).token;
  locationId = await createLocation(owner);
  gin = await createItem(owner, { name: 'Gin', containerMl: 700, cost: 21 });
  gateway = await claimGateway(owner, locationId);
  other = await claimGateway(owner, locationId);
  const events = [
    event(gateway.gatewayId, 1, {
      locationId,
      itemId: gin.id,
      kind: 'waste',
      source: 'display',
      deltaMl: -700,
      containersDelta: -1,
      wasteReason: 'breakage',
      note: 'dropped',
      userId: 'staff-JD',
      observedAt: at(1),
    }),
    event(gateway.gatewayId, 2, {
      locationId,
      itemId: gin.id,
      kind: 'waste',
      deltaMl: -30,
      observedAt: at(2),
    }),
    event(gateway.gatewayId, 3, { locationId, itemId: gin.id, observedAt: at(3) }),
  ];
  ids.push(...events.map((e) => e.id));
  const sent = await call('POST', `/gateways/${gateway.gatewayId}/events`, {
    token: gateway.token,
    json: batch(gateway.gatewayId, 1, events),
  });
  expect(sent.status).toBe(200);
});

describe('a waste photo from the gateway to the manager', () => {
  it('is kept for the gateway’s waste event and read back by a manager as it came', async () => {
    expect((await upload(ids[0]!, JPEG)).status).toBe(204);
    const manager = (await staff(owner, 'manager')).token;
    const answer = await raw('GET', `/waste-photos/${ids[0]}`, manager);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/jpeg');
    expect(answer.headers.get('cache-control')).toContain('private');
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(JPEG);
    const row = await openDb(env.DB).get(
      sql`SELECT size, taken_by, taken_at FROM waste_photos WHERE event_id = ${ids[0]}`,
    );
    expect(row).toEqual({ size: JPEG.length, taken_by: 'staff-JD', taken_at: at(1) });
  });

  it('replaces the photo when the same event comes again', async () => {
    expect((await upload(ids[0]!, PNG)).status).toBe(204);
    const answer = await raw('GET', `/waste-photos/${ids[0]}`, owner);
    expect(answer.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await answer.arrayBuffer())).toEqual(PNG);
    const count = await openDb(env.DB).get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM waste_photos`);
    expect(count!.n).toBe(1);
  });

  it('answers 409 for an event not yet at the hub, so the gateway retries', async () => {
    const answer = await upload('01JZZZZZZZZZZZZZZZZZZZZZZZ', JPEG);
    expect(answer.status).toBe(409);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(
      /no such event yet/,
    );
  });

  it('refuses what is not an image by its bytes (415) and what is over 1 MiB (413), with a reason', async () => {
    const gif = await upload(ids[1]!, GIF);
    expect(gif.status).toBe(415);
    expect(((await gif.json()) as { error: { message: string } }).error.message).toMatch(
      /not a JPEG, PNG or WebP/,
    );
    expect((await upload(ids[1]!, new Uint8Array(0))).status).toBe(415);
    const big = new Uint8Array(WASTE_PHOTO_MAX_BYTES + 1);
    big.set(JPEG);
    const tooBig = await upload(ids[1]!, big);
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { message: string } }).error.message).toMatch(
      /at most 1048576/,
    );
    // A body that declares no length (sent in chunks) is cut off as it passes the limit.
    const chunked = await viaWorker(
      `http://hub.test/api/v1/gateways/${gateway.gatewayId}/waste-photos/${ids[1]}`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${gateway.token}`, 'content-type': 'application/octet-stream' },
        body: new Blob([big]).stream(),
      },
    );
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { message: string } }).error.message).toMatch(
      /over 1048576 bytes/,
    );
    const stored = await openDb(env.DB).get<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM waste_photos WHERE event_id = ${ids[1]}`,
    );
    expect(stored!.n).toBe(0);
  });

  it('takes photos of the gateway’s own waste events only', async () => {
    expect((await upload(ids[1]!, JPEG, other)).status).toBe(403);
    expect((await upload(ids[2]!, JPEG)).status).toBe(422); // a pour, not waste
    // A gateway may not act as another.
    const as = await raw('PUT', `/gateways/${gateway.gatewayId}/waste-photos/${ids[1]}`, other.token, JPEG);
    expect(as.status).toBe(403);
  });

  it('is for managers and owners: a bartender is refused, another organization sees nothing', async () => {
    const bartender = (await staff(owner, 'bartender')).token;
    expect((await raw('GET', `/waste-photos/${ids[0]}`, bartender)).status).toBe(403);
    const stranger = (await otherOrganization()).token;
    expect((await raw('GET', `/waste-photos/${ids[0]}`, stranger)).status).toBe(404);
    expect((await raw('GET', `/waste-photos/${ids[1]}`, owner)).status).toBe(404);
  });

  it('shows in the waste listing which events have a photo', async () => {
    const query = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(10))}`;
    const answer = await call('GET', `/locations/${locationId}/waste/events?${query}`, { token: owner });
    expect(answer.status).toBe(200);
    const body = wasteEventsSchema.parse(answer.body);
    expect(body.events.map((e) => [e.id, e.reason, e.note, e.ml, e.hasPhoto])).toEqual([
      [ids[1], 'unspecified', undefined, 30, false],
      [ids[0], 'breakage', 'dropped', 700, true],
    ]);
  });

  it('goes into the organization export as base64 and out with the organization', async () => {
    const exported = await call('GET', '/organization/export', { token: owner });
    expect(exported.status).toBe(200);
    const [photo] = exported.body.tables.waste_photos;
    expect(photo).toMatchObject({ eventId: ids[0], contentType: 'image/png', size: PNG.length });
    expect(Uint8Array.from(atob(photo.bytes), (ch) => ch.charCodeAt(0))).toEqual(PNG);
    const name = (await openDb(env.DB).get<{ name: string }>(
      sql`SELECT name FROM organizations WHERE name = 'First Bar Group'`,
    ))!.name;
    const deleted = await call('DELETE', '/organization', { token: owner, json: { confirm: name } });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.deleted.waste_photos).toBe(1);
    const left = await openDb(env.DB).get<{ n: number }>(sql`SELECT COUNT(*) AS n FROM waste_photos`);
    expect(left!.n).toBe(0);
  });
});
