import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MqttClient } from 'mqtt';
import {
  deviceTopic,
  pairResponseSchema,
  staffSnapshotSchema,
  staffWriteResponseSchema,
  weighReadingSchema,
  type StockEvent,
} from '@pourcast/protocol';
import { startGateway, type Gateway } from '../index.ts';
import { silentLogger } from '../log.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  ginGrams,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from '../../test/support/fixtures.ts';
import { DISPLAY_TOKENS_FILE } from './display-tokens.ts';
import { LiveClient, LiveFeed } from './live-feed.ts';
import { findStaffBuild, serveStaffBuild } from './static-files.ts';

let hub: ContractHub;
let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;
let scale: TestDevice;
let scanner: TestDevice;
let scaleClient: MqttClient;
let scannerClient: MqttClient;
let cookie = '';
let seq = 0;
const events: StockEvent[] = [];

const url = (path: string) => `http://127.0.0.1:${gateway.httpPort}${path}`;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function weigh(grams: number, times = 5) {
  for (let i = 0; i < times; i++) {
    const payload = { seq: seq++, at: 1_763_000_000_000 + seq * 100, grams, platform: 0 };
    await scaleClient.publishAsync(deviceTopic(scale.id, 'weight'), JSON.stringify(payload), { qos: 1 });
  }
  await gateway.settled();
}

async function scan(barcode: string, mode: string) {
  const payload = { seq: seq++, at: 1_763_000_000_000 + seq * 100, barcode, mode, quantity: 1 };
  await scannerClient.publishAsync(deviceTopic(scanner.id, 'scan'), JSON.stringify(payload), { qos: 1 });
  await gateway.settled();
}

/** Reads SSE messages from the live feed until `done` says enough; the stream is then cancelled. */
async function readLive(
  headers: Record<string, string>,
  done: (messages: Array<{ id?: string; event: string; data: unknown }>) => boolean,
  whileOpen?: () => Promise<void>,
) {
  const controller = new AbortController();
  const response = await fetch(url('/api/v1/staff/live'), { headers, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const messages: Array<{ id?: string; event: string; data: unknown }> = [];
  let buffer = '';
  const during = whileOpen?.();
  const timer = setTimeout(() => controller.abort(), 10_000);
  try {
    while (!done(messages)) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      buffer += value;
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => line && !line.startsWith(':'))
            .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
        );
        if (fields.event)
          messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data ?? 'null') });
      }
    }
  } finally {
    clearTimeout(timer);
    await during;
    controller.abort();
  }
  return messages;
}

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  scanner = await makeDevice('scanner-1', 'scanner');
  gateway = await startGateway(
    gatewayConfig(dir.path, [scale, scanner], { url: hub.url, claimCode: hub.claimCode }),
    // Catalog and pars refresh every 300 ms, so a par changed at the hub reaches the tiles within the test.
    { logger: silentLogger, forwardCoalesceMs: 10, catalogRefreshMs: 300 },
  );
  gateway.bus.on('stock-event', (event) => events.push(event));
  await until(() => gateway.catalog.loaded);
  await until(async () => (await gateway.health()).gatewayId !== null);
  scaleClient = await connectDevice(gateway.mqttPort, scale);
  scannerClient = await connectDevice(gateway.mqttPort, scanner);
});

afterAll(async () => {
  await scaleClient?.endAsync();
  await scannerClient?.endAsync();
  await gateway?.close();
  await hub?.close();
  dir?.remove();
});

describe('pairing a staff display', () => {
  it('refuses writes from an unpaired screen and codes without the admin token', async () => {
    const waste = { itemId: 'gin', ml: 30, reason: 'spill', staff: 'JD' };
    const refused = await post('/api/v1/staff/waste', waste);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'unpaired' } });
    expect((await post('/api/v1/staff/pairing-codes', {})).status).toBe(401);
    expect((await post('/api/v1/staff/pair', { code: '00000000', name: 'tablet' })).status).toBe(401);
  });

  it('trades a one-time code from the technician for a token kept as a cookie and stored hashed', async () => {
    const admin = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
    const issued = await post('/api/v1/staff/pairing-codes', {}, { authorization: `Bearer ${admin}` });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    const paired = await post('/api/v1/staff/pair', { code, name: 'back bar tablet' });
    expect(paired.status).toBe(201);
    const body = pairResponseSchema.parse(await paired.json());
    cookie = paired.headers.get('set-cookie')!.split(';')[0]!;
    expect(paired.headers.get('set-cookie')).toMatch(/HttpOnly/);
    expect(cookie).toBe(`pourcast_display=${body.token}`);
    // Single use.
    expect((await post('/api/v1/staff/pair', { code, name: 'again' })).status).toBe(401);
    const stored = readFileSync(join(dir.path, DISPLAY_TOKENS_FILE), 'utf8');
    expect(stored).not.toContain(body.token);
    expect(stored).toContain(body.displayId);
    const me = await fetch(url('/api/v1/staff/me'), { headers: { cookie } });
    expect(await me.json()).toMatchObject({ paired: true, display: { name: 'back bar tablet' } });
  });
});

describe('staff writes', () => {
  it('records waste as a display waste event and reports a bad body as path: message lines', async () => {
    const response = await post(
      '/api/v1/staff/waste',
      { itemId: 'gin', ml: 45, reason: 'spill', staff: 'jd', note: 'knocked over at the well' },
      { cookie },
    );
    expect(response.status).toBe(201);
    const { event } = staffWriteResponseSchema.parse(await response.json());
    expect(event).toMatchObject({
      itemId: 'gin',
      kind: 'waste',
      deltaMl: -45,
      containersDelta: 0,
      source: 'display',
      userId: 'staff-JD',
      wasteReason: 'spill',
      note: 'knocked over at the well',
    });
    // The display offers the reasons a person chooses; `expired` comes from stock dates, not from staff.
    const expired = await post(
      '/api/v1/staff/waste',
      { itemId: 'gin', ml: 5, reason: 'expired', staff: 'JD' },
      { cookie },
    );
    expect(expired.status).toBe(400);
    const formPost = await fetch(url('/api/v1/staff/waste'), {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/plain' },
      body: JSON.stringify({ itemId: 'gin', ml: 45, reason: 'spill', staff: 'JD' }),
    });
    expect(formPost.status).toBe(415);
    const broken = await post(
      '/api/v1/staff/waste',
      { itemId: 'gin', ml: -1, reason: 'x', staff: '1' },
      { cookie },
    );
    expect(broken.status).toBe(400);
    const { error } = (await broken.json()) as { error: { details: string[] } };
    expect(error.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ml: /),
        expect.stringMatching(/^reason: /),
        expect.stringMatching(/^staff: /),
      ]),
    );
    const sealed = await post(
      '/api/v1/staff/waste',
      { itemId: 'tonic', ml: 200, reason: 'breakage', staff: 'AB', sealedBottle: true },
      { cookie },
    );
    expect(staffWriteResponseSchema.parse(await sealed.json()).event).toMatchObject({
      deltaMl: -200,
      containersDelta: -1,
      wasteReason: 'breakage',
    });
    // What the hub receives carries the reason too.
    await gateway.forwardNow();
    expect([...hub.applied.values()].filter((e) => e.kind === 'waste')).toEqual([
      expect.objectContaining({ itemId: 'gin', wasteReason: 'spill' }),
      expect.objectContaining({ itemId: 'tonic', wasteReason: 'breakage' }),
    ]);
  });

  it('undoes a scan with a compensating event, once, and never a scale measurement', async () => {
    await scan('5000291020706', 'receive');
    const received = events.findLast((e) => e.source === 'scanner')!;
    expect(received).toMatchObject({ kind: 'receive', deltaMl: 700, containersDelta: 1 });
    const undone = await post('/api/v1/staff/undo', { seq: received.seq, staff: 'JD' }, { cookie });
    expect(undone.status).toBe(201);
    const { event } = staffWriteResponseSchema.parse(await undone.json());
    expect(event).toMatchObject({
      itemId: 'gin',
      kind: 'adjust',
      deltaMl: -700,
      containersDelta: -1,
      source: 'display',
      slot: `undo:${received.seq}`,
    });
    expect(event.seq).toBeGreaterThan(received.seq);
    const again = await post('/api/v1/staff/undo', { seq: received.seq, staff: 'JD' }, { cookie });
    expect(again.status).toBe(409);
    await weigh(ginGrams(600));
    await weigh(ginGrams(570));
    const measured = events.findLast((e) => e.source === 'scale')!;
    expect((await post('/api/v1/staff/undo', { seq: measured.seq, staff: 'JD' }, { cookie })).status).toBe(
      409,
    );
    const snapshot = staffSnapshotSchema.parse(await (await fetch(url('/api/v1/staff/snapshot'))).json());
    const listed = snapshot.recent.find((r) => r.event.seq === received.seq)!;
    expect(listed).toMatchObject({ undone: true, itemName: 'London Dry Gin' });
    expect(snapshot.recent[0]!.undoOf).toBe(received.seq);
    expect(snapshot.tiles).toEqual([
      expect.objectContaining({
        deviceId: 'scale-1',
        slot: 'platform-0',
        itemId: 'gin',
        levelMl: 570,
        low: false,
      }),
    ]);
    expect(snapshot.devices.map((d) => d.id)).toEqual(['scale-1', 'scanner-1']);
    expect(snapshot.hub.claimed).toBe(true);
  });
});

describe('the live feed', () => {
  it('sends new scans and tile changes as they happen', async () => {
    const messages = await readLive(
      {},
      (m) =>
        m.some((x) => x.event === 'stock') && m.some((x) => x.event === 'tiles' && tileLevel(x.data) === 120),
      async () => {
        await scan('5000291020706', 'count');
        await weigh(ginGrams(120));
      },
    );
    expect(messages[0]!.event).toBe('tiles');
    const stock = messages.find((m) => m.event === 'stock')!;
    expect(Number(stock.id)).toBe(events.findLast((e) => e.source === 'scanner')!.seq);
  });

  it('replays what a reconnecting display missed after its Last-Event-ID', async () => {
    const before = events.at(-1)!.seq;
    await scan('5000291020706', 'count');
    await scan('5010102240124', 'count');
    const messages = await readLive(
      { 'last-event-id': String(before) },
      (m) => m.filter((x) => x.event === 'stock').length >= 2,
    );
    const replayed = messages
      .filter((m) => m.event === 'stock')
      .map((m) => (m.data as { event: StockEvent }).event.itemId);
    expect(replayed).toEqual(['gin', 'tonic']);
  });
});

function tileLevel(data: unknown): number | null {
  return (data as { tiles: Array<{ levelMl: number | null }> }).tiles[0]?.levelMl ?? null;
}

describe('tiles against par', () => {
  const snapshotTile = async () =>
    staffSnapshotSchema.parse(await (await fetch(url('/api/v1/staff/snapshot'))).json()).tiles[0]!;
  const ginOnHand = () => events.filter((e) => e.itemId === 'gin').reduce((sum, e) => sum + e.deltaMl, 0);

  it("is low when the bar holds less than par: the hub's figure plus the pours it has not received", async () => {
    await scan('5000291020706', 'receive');
    await scan('5000291020706', 'receive');
    await weigh(ginGrams(650));
    await gateway.forwardNow();
    const onHand = ginOnHand();
    expect(onHand).toBeGreaterThan(0);
    // Nothing is low by the fill rule (650 of 700 ml), but the bar holds 1 ml less than par.
    hub.pars = [{ itemId: 'gin', parMl: onHand + 1 }];
    await until(async () => (await snapshotTile()).parMl === onHand + 1);
    expect(await snapshotTile()).toMatchObject({
      itemId: 'gin',
      onHandMl: onHand,
      fill: 650 / 700,
      low: true,
    });

    // A pour counts at once, live, before the next par refresh (the hub may not have it yet either).
    const messages = await readLive(
      {},
      (m) => m.some((x) => x.event === 'tiles' && tileLevel(x.data) === 600),
      () => weigh(ginGrams(600)),
    );
    const live = messages.findLast((m) => m.event === 'tiles')!.data as {
      tiles: Array<{ onHandMl: number }>;
    };
    expect(live.tiles[0]!.onHandMl).toBe(ginOnHand());

    // A nearly empty bottle with enough behind it is not low.
    hub.pars = [{ itemId: 'gin', parMl: 100 }];
    await weigh(ginGrams(70));
    await until(async () => (await snapshotTile()).parMl === 100);
    expect(await snapshotTile()).toMatchObject({ levelMl: 70, onHandMl: ginOnHand(), low: false });

    // Without a par the fill rule decides again (70 of 700 ml is under 25 %).
    hub.pars = [{ itemId: 'gin', parMl: null }];
    await until(async () => (await snapshotTile()).parMl === null);
    expect(await snapshotTile()).toMatchObject({ onHandMl: null, low: true });
  });
});

describe('weigh this bottle', () => {
  it('reads the live weight of a platform and the level it means for the chosen item', async () => {
    await weigh(ginGrams(350));
    const response = await fetch(url('/api/v1/staff/scales/scale-1/platforms/0/weight?itemId=gin'));
    const reading = weighReadingSchema.parse(await response.json());
    expect(reading).toEqual({
      deviceId: 'scale-1',
      platform: 0,
      grams: Math.round(ginGrams(350)),
      stable: true,
      levelMl: 350,
      fill: 0.5,
    });
    expect((await fetch(url('/api/v1/staff/scales/scanner-1/platforms/0/weight'))).status).toBe(404);
    expect((await fetch(url('/api/v1/staff/scales/scale-1/platforms/0/weight?itemId=nope'))).status).toBe(
      422,
    );
  });
});

describe('heartbeats', () => {
  it('sends a comment line to every display each period, so idle connections stay open', async () => {
    vi.useFakeTimers();
    const feed = new LiveFeed({ heartbeatMs: 15_000 });
    try {
      const client = feed.connect();
      const reader = client.stream('retry: 2000\n\n').pipeThrough(new TextDecoderStream()).getReader();
      expect((await reader.read()).value).toBe('retry: 2000\n\n');
      vi.advanceTimersByTime(14_999);
      expect(client.queued).toBe(0);
      vi.advanceTimersByTime(1);
      expect((await reader.read()).value).toBe(': heartbeat\n\n');
      await reader.cancel();
      expect(feed.size).toBe(0);
    } finally {
      feed.close();
      vi.useRealTimers();
    }
  });
});

describe('a slow display', () => {
  it('holds at most its queue bound, then gets one resync instead of growing', () => {
    let closed = false;
    const client = new LiveClient(3, () => (closed = true));
    for (let i = 0; i < 10; i++) client.push(`data: ${i}\n\n`);
    // The 3 queued and the 7 after them are dropped; what waits is the single resync.
    expect(client.queued).toBe(1);
    expect(client.dropped).toBe(10);
    expect(closed).toBe(false);
  });
});

describe('serving the build', () => {
  it('serves the display from POURCAST_STAFF_DIR and nothing outside it', async () => {
    const build = join(dir.path, 'staff-build');
    mkdirSync(join(build, 'assets'), { recursive: true });
    writeFileSync(join(build, 'index.html'), '<!doctype html><title>staff</title>');
    writeFileSync(join(build, 'assets', 'app-1.js'), 'console.log(1)');
    writeFileSync(join(dir.path, 'secret.js'), 'nope');
    process.env.POURCAST_STAFF_DIR = build;
    try {
      expect(findStaffBuild()).toBe(build);
    } finally {
      delete process.env.POURCAST_STAFF_DIR;
    }
    const app = new Hono();
    serveStaffBuild(app, build);
    const index = await app.request('/');
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    expect(await index.text()).toContain('<title>staff</title>');
    const asset = await app.request('/assets/app-1.js');
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log(1)');
    expect((await app.request('/assets/..%2F..%2Fsecret.js')).status).toBe(404);
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    const unbuilt = new Hono();
    serveStaffBuild(unbuilt, null);
    expect((await unbuilt.request('/')).status).toBe(503);
  });
});
