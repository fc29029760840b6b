import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WASTE_PHOTO_MAX_BYTES, type StockEvent } from '@pourcast/protocol';
import { wastePhotos } from '../db/schema.ts';
import { startGateway, type Gateway } from '../index.ts';
import { silentLogger } from '../log.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import { catalog, gatewayConfig, tempDir, until } from '../../test/support/fixtures.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 7, 7, 7, 0xff, 0xd9]);

let hub: ContractHub;
let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let cookie = '';

const start = () =>
  startGateway(gatewayConfig(dir.path, [], { url: hub.url, claimCode: hub.claimCode }), {
    logger: silentLogger,
    forwardCoalesceMs: 10,
  });
const post = (path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify(body),
  });
async function waste(): Promise<StockEvent> {
  const answer = await post('/api/v1/staff/waste', {
    itemId: 'gin',
    ml: 40,
    reason: 'breakage',
    staff: 'JD',
  });
  expect(answer.status).toBe(201);
  return ((await answer.json()) as { event: StockEvent }).event;
}
const photo = (eventId: string, bytes: Buffer) =>
  post('/api/v1/staff/waste-photos', { eventId, image: bytes.toString('base64') });
const kept = () => gateway.db.select({ eventId: wastePhotos.eventId }).from(wastePhotos);

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  gateway = await start();
  await until(() => gateway.catalog.loaded);
  await until(async () => (await gateway.health()).gatewayId !== null);
  const admin = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
  const issued = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/staff/pairing-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
  });
  const { code } = (await issued.json()) as { code: string };
  const paired = await post('/api/v1/staff/pair', { code, name: 'bar tablet' });
  cookie = paired.headers.get('set-cookie')!.split(';')[0]!;
});

afterAll(async () => {
  await gateway?.close();
  await hub?.close();
  dir?.remove();
});

describe('a waste photo from the staff display', () => {
  it('is kept with its waste entry, sent once the hub acknowledged the event, then deleted here', async () => {
    const event = await waste();
    const answer = await photo(event.id, JPEG);
    expect(answer.status).toBe(201);
    expect(await answer.json()).toEqual({ eventId: event.id, size: JPEG.length });
    const sent = await until(() => hub.photos.get(event.id));
    expect(sent.contentType).toBe('image/jpeg');
    expect(Buffer.compare(sent.bytes, JPEG)).toBe(0);
    await until(async () => (await kept()).length === 0);
    // Uploaded only after the event was acknowledged: the batch went first.
    const order = hub.requests.filter((r) => r.includes('/events') || r.includes('/waste-photos'));
    expect(order.findIndex((r) => r.includes(event.id))).toBeGreaterThan(
      order.indexOf(order.find((r) => r.includes('/events'))!),
    );
  });

  it('is sent at once when it comes after the hub acknowledged its event, not at the next retry', async () => {
    const event = await waste();
    // The gateway's retry timer is 30 s; the wait below is 15 s, so only the photo's own nudge sends it.
    await until(async () => ((await gateway.health()).outbox.lastAckSeq ?? 0) >= event.seq);
    expect((await photo(event.id, JPEG)).status).toBe(201);
    await until(() => hub.photos.get(event.id));
    await until(async () => (await kept()).length === 0);
  });

  it('refuses what is not an image, what is over 1 MiB and an event that is not a display waste entry', async () => {
    const event = await waste();
    const gif = await photo(event.id, Buffer.from('GIF89a....'));
    expect(gif.status).toBe(415);
    expect(await gif.json()).toMatchObject({
      error: { message: expect.stringMatching(/not a JPEG, PNG or WebP/) },
    });
    const big = Buffer.alloc(WASTE_PHOTO_MAX_BYTES + 3);
    JPEG.copy(big);
    const tooBig = await photo(event.id, big);
    expect(tooBig.status).toBe(400);
    expect(JSON.stringify(await tooBig.json())).toMatch(/over 1048576 bytes/);
    expect((await photo('01JZZZZZZZZZZZZZZZZZZZZZZZ', JPEG)).status).toBe(404);
    expect(
      (await post('/api/v1/staff/waste-photos', { eventId: event.id, image: 'not base64!' })).status,
    ).toBe(400);
    expect(await kept()).toEqual([]);
  });

  it('loses nothing over a restart while the hub is down', async () => {
    hub.mode = 'error-500';
    const event = await waste();
    expect((await photo(event.id, JPEG)).status).toBe(201);
    expect(await kept()).toEqual([{ eventId: event.id }]);
    await gateway.close();
    hub.mode = 'ok';
    gateway = await start();
    await until(() => hub.photos.get(event.id));
    await until(async () => (await kept()).length === 0);
  });
});
