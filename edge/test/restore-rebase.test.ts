/**
 * A gateway restored from a backup neither loses nor stalls (docs/RELIABILITY.md): events forwarded → backup →
 * more events forwarded → the gateway dies → restore → new events; the hub ends holding every event exactly
 * once, the forwarder reports no error, and the ledger's seq continues above the hub's ack. Its scale platforms
 * are brought forward from the hub's events, so nothing weighed after the backup is counted twice.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asc, sql } from 'drizzle-orm';
import type { MqttClient } from 'mqtt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceTopic, withFrameMetadataComment } from '@pourcast/protocol';
import {
  createRng,
  createShelfScene,
  NORMAL_CONDITIONS,
  renderShelfFrame,
} from '../../devices/src/camera/index.ts';
import { takeBackup, restoreBackup } from '../src/backup/backup-files.ts';
import { GatewayBus } from '../src/bus.ts';
import { openDb, type OpenedDb } from '../src/db/open-db.ts';
import { ledgerRestore, scaleSlots, stockEvents } from '../src/db/schema.ts';
import { startGateway, type Gateway } from '../src/index.ts';
import { CredentialStore } from '../src/hub-client/credentials.ts';
import { HubStatus } from '../src/hub-client/hub-status.ts';
import { insertEvent, lastSeq, type StockEventDraft } from '../src/inventory/ledger.ts';
import { silentLogger } from '../src/log.ts';
import { Forwarder } from '../src/outbox/forwarder.ts';
import { readOutboxState } from '../src/outbox/outbox-state.ts';
import { undoSlot } from '../src/staff/staff-view.ts';
import { startContractHub, type ContractHub } from './support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  ginGrams,
  makeDevice,
  tempDir,
  until,
} from './support/fixtures.ts';

let hub: ContractHub;
let gateway: Gateway | null = null;
let scaleClient: MqttClient | null = null;
let cameraClient: MqttClient | null = null;
let dir: ReturnType<typeof tempDir>;
let store: OpenedDb | null = null;
let forwarder: Forwarder | null = null;
const made: string[] = []; // ids of every event the gateway ever made, across the restore

const draft = (deltaMl: number, slot = 'platform-0'): StockEventDraft => ({
  itemId: 'gin',
  kind: 'pour',
  deltaMl,
  containersDelta: 0,
  levelAfterMl: 100,
  source: 'scale',
  deviceId: 'scale-1',
  slot,
  observedAt: '2025-11-13T20:00:00.000Z',
  confidence: 0.99,
});

async function open(): Promise<OpenedDb> {
  store = await openDb(dir.path);
  await new CredentialStore(store.db).save({
    gatewayId: hub.gatewayId,
    token: hub.token,
    locationId: 'loc-1',
    organizationId: 'org-1',
  });
  return store;
}

async function addEvents(n: number, slot?: (i: number) => string) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const [row] = await insertEvent(
      store!.db,
      { gatewayId: 'gw-1', locationId: 'loc-1' },
      draft(-(i + 1), slot?.(i)),
    );
    made.push(row!.id);
    rows.push(row!);
  }
  return rows;
}

async function startForwarder(): Promise<Forwarder> {
  const credentials = new CredentialStore(store!.db);
  await credentials.load();
  forwarder = new Forwarder({
    db: store!.db,
    bus: new GatewayBus(),
    log: silentLogger,
    hubUrl: hub.url,
    credentials,
    status: new HubStatus(),
    batchSize: 4,
    retentionMs: 7 * 24 * 3600 * 1000,
    random: () => 0.5,
  });
  await forwarder.start();
  return forwarder;
}

/** The gateway dies: the forwarder and the database go without a goodbye to the hub. */
async function crash() {
  await forwarder?.stop();
  forwarder = null;
  store?.close();
  store = null;
}

/**
 * The history every case starts from: `before` events forwarded, a backup, `after` more events forwarded (the
 * hub holds them, the backup does not), then a crash. Answers the backup and the ack the hub gave last.
 */
async function backupBetweenForwards(before: number, after: number) {
  await open();
  await addEvents(before);
  await (await startForwarder()).flush();
  const backup = await takeBackup(store!.path, join(dir.path, 'backups'));
  await addEvents(after);
  await forwarder!.flush();
  const lastAck = forwarder!.state.ackSeq;
  await crash();
  return { backup, lastAck };
}

async function stopGateway() {
  await scaleClient?.endAsync();
  scaleClient = null;
  await cameraClient?.endAsync();
  cameraClient = null;
  await gateway?.close();
  gateway = null;
}

function hubIds(): string[] {
  return [...hub.applied.values()].map((event) => event.id);
}

beforeEach(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  made.length = 0;
});

afterEach(async () => {
  await stopGateway();
  await crash();
  await hub.close();
  dir.remove();
});

describe('restore from backup', () => {
  it('re-bases new events above the hub ack: nothing lost, nothing twice, no stall', async () => {
    // seqs 6..11 forwarded after the backup: the hub holds them, the backup does not
    const { backup, lastAck } = await backupBetweenForwards(5, 6);
    expect(lastAck).toBe(11);

    const { restorePoint } = await restoreBackup(dir.path, backup.path);
    expect(restorePoint).toBe(5);
    expect(readdirSync(dir.path).filter((name) => name.includes('.restoring'))).toEqual([]);
    await open();
    const early = await addEvents(3, (i) => (i === 2 ? undoSlot(6) : 'platform-0')); // taken before the hub answers
    expect(early.map((row) => row.seq)).toEqual([6, 7, 8]);

    const f = await startForwarder();
    await f.flush();
    expect(f.state.lastError).toBeNull();
    // The three post-restore events now follow the hub's ack 11, in their order, with their ids; the hub's
    // 6..11, which the backup never held, are back in their own seqs.
    const ledger = await store!.db.select().from(stockEvents).orderBy(asc(stockEvents.seq));
    expect(ledger.filter((row) => row.seq > 5).map((row) => [row.seq, row.id])).toEqual([
      ...[6, 7, 8, 9, 10, 11].map((seq) => [seq, hub.applied.get(seq)!.id]),
      ...early.map((row, i) => [12 + i, row.id]),
    ]);
    expect(ledger.find((row) => row.seq === 14)?.slot).toBe(undoSlot(12)); // the undo follows its event
    expect(await store!.db.select().from(ledgerRestore)).toEqual([]);

    await addEvents(2); // after the re-base: 15, 16
    await f.flush();
    expect(f.state).toMatchObject({ ackSeq: 16, lastError: null });
    expect(await lastSeq(store!.db)).toBe(16);
    expect(
      await store!.db.all(sql`SELECT typeof(seq) AS type FROM sqlite_sequence WHERE name = 'stock_events'`),
    ).toEqual([{ type: 'integer' }]);
    expect(hub.gaps).toEqual([]);
    expect(hubIds().sort()).toEqual([...made].sort()); // every event exactly once (applied is keyed by seq)
    expect(new Set(hubIds()).size).toBe(made.length);
    expect([...hub.applied.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, i) => i + 1),
    );

    // A restart after the re-base forwards as a gateway that was never restored.
    await crash();
    await open();
    await addEvents(1);
    await (await startForwarder()).flush();
    expect(forwarder!.state).toMatchObject({ ackSeq: 17, lastError: null });
    expect(new Set(hubIds()).size).toBe(made.length);
  });

  it('sends the backup’s unsent events as they are when the hub is behind the restore point', async () => {
    await open();
    await addEvents(3);
    await (await startForwarder()).flush();
    await forwarder!.stop();
    forwarder = null;
    await addEvents(4); // 4..7 never forwarded
    const backup = await takeBackup(store!.path, join(dir.path, 'backups'));
    await crash();

    expect((await restoreBackup(dir.path, backup.path)).restorePoint).toBe(7);
    await open();
    await addEvents(2); // 8, 9: above the hub's 3 already
    const f = await startForwarder();
    await f.flush();
    expect(f.state).toMatchObject({ ackSeq: 9, lastError: null });
    expect(hubIds().sort()).toEqual([...made].sort());
    expect(hub.gaps).toEqual([]);
  });

  it('sends nothing until it has learned the hub ack, then catches up', async () => {
    const { backup } = await backupBetweenForwards(2, 2);
    await restoreBackup(dir.path, backup.path);
    await open();
    await addEvents(1);

    hub.mode = 'no-pars'; // the hub cannot tell its ack: hold everything rather than guess
    const batchesBefore = hub.batches.length;
    const f = await startForwarder();
    await f.flush();
    expect(hub.batches.length).toBe(batchesBefore);
    expect(f.state.lastError).toMatch(/pars/);
    expect(await store!.db.select().from(ledgerRestore)).toHaveLength(1);

    hub.mode = 'ok';
    await f.flush();
    expect(f.state).toMatchObject({ ackSeq: 5, lastError: null });
    expect(hubIds().sort()).toEqual([...made].sort());
    expect((await readOutboxState(store!.db)).ackSeq).toBe(5);
  });

  it('a backup taken before the re-base, restored again, still moves the events after the first restore', async () => {
    const { backup: first } = await backupBetweenForwards(2, 3); // 3..5 at the hub
    await restoreBackup(dir.path, first.path);
    await open();
    hub.mode = 'no-pars'; // the re-base waits
    await (await startForwarder()).flush();
    await forwarder!.stop();
    forwarder = null;
    await addEvents(2); // 3, 4 locally: never sent
    const second = await takeBackup(store!.path, join(dir.path, 'backups'), new Date(Date.now() + 1000));
    await crash();

    expect((await restoreBackup(dir.path, second.path)).restorePoint).toBe(2);
    await open();
    hub.mode = 'ok';
    const f = await startForwarder();
    await f.flush();
    expect(f.state).toMatchObject({ ackSeq: 7, lastError: null });
    expect(hubIds().sort()).toEqual([...made].sort());
    expect(new Set(hubIds()).size).toBe(made.length);
  });

  it('without the restore mark the same history loses events and stalls (what the mark prevents)', async () => {
    const { backup } = await backupBetweenForwards(2, 2);
    await restoreBackup(dir.path, backup.path);
    await open();
    await store!.db.delete(ledgerRestore); // as a restore before this fix left it
    await addEvents(1);
    const f = await startForwarder();
    await f.flush();
    expect(f.state.lastError).toMatch(/beyond the last seq sent/);
    expect(hubIds()).not.toContain(made.at(-1));
    expect(existsSync(store!.path)).toBe(true);
  });
});

describe('restore from backup: scale platforms', () => {
  it('takes back from the hub what was weighed after the backup: the hub’s usage is exact, nothing twice', async () => {
    const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
    const config = gatewayConfig(dir.path, [scale], { url: hub.url, claimCode: hub.claimCode });
    let readingSeq = 0;
    const boot = async () => {
      gateway = await startGateway(config, { logger: silentLogger, forwardCoalesceMs: 10 });
      await until(() => gateway!.catalog.loaded);
      scaleClient = await connectDevice(gateway.mqttPort, scale);
    };
    const weigh = async (grams: number) => {
      for (let i = 0; i < 5; i++) {
        const reading = { seq: ++readingSeq, at: 1_763_000_000_000 + readingSeq * 100, grams, platform: 0 };
        await scaleClient!.publishAsync(deviceTopic(scale.id, 'weight'), JSON.stringify(reading), { qos: 1 });
      }
      await gateway!.settled();
    };
    const pourTo = async (levelMl: number) => {
      await weigh(0.5); // lifted
      await weigh(ginGrams(levelMl)); // back, lighter
    };
    const forwarded = async (n: number) => {
      await gateway!.forwardNow();
      await until(() => hub.applied.size === n);
    };
    const hubGinMl = () =>
      [...hub.applied.values()].filter((e) => e.itemId === 'gin').reduce((sum, e) => sum + e.deltaMl, 0);
    const ledger = () => gateway!.db.select().from(stockEvents).orderBy(asc(stockEvents.seq));

    await boot();
    await weigh(ginGrams(700)); // seq 1: the bottle seen at 700
    await pourTo(650); // seq 2: -50
    await forwarded(2);
    const backup = await takeBackup(join(dir.path, 'gateway.db'), join(dir.path, 'backups'));
    await pourTo(600); // seq 3: -50, at the hub, not in the backup
    await pourTo(520); // seq 4: -80, likewise
    await forwarded(4);
    expect(hubGinMl()).toBe(520 - 700);
    await stopGateway(); // the gateway dies
    expect((await restoreBackup(dir.path, backup.path)).restorePoint).toBe(2);

    // The hub tells its ack but cannot answer its events yet: the re-base waits, and so do the weighings.
    hub.mode = 'no-sent-events';
    await boot();
    await gateway!.forwardNow();
    expect((await gateway!.health()).outbox.lastError).toMatch(/events: HTTP 503/);
    expect(await gateway!.db.select().from(ledgerRestore)).toHaveLength(1);
    await pourTo(500); // the platform still stands where the backup left it (650): no event from it
    expect((await ledger()).map((row) => row.seq)).toEqual([1, 2]);

    hub.mode = 'ok';
    await gateway!.forwardNow();
    expect(await gateway!.db.select().from(ledgerRestore)).toEqual([]);
    // The hub's events after the backup are back in the ledger with their own ids and seqs...
    expect((await ledger()).map((row) => [row.seq, row.id, row.deltaMl])).toEqual(
      [1, 2, 3, 4].map((seq) => [seq, hub.applied.get(seq)!.id, hub.applied.get(seq)!.deltaMl]),
    );
    // ...and the platform stands where the newest of them left it, its window emptied to settle afresh.
    expect(await gateway!.db.select().from(scaleSlots)).toEqual([
      expect.objectContaining({ phase: 'bottle', levelMl: 520, itemId: 'gin', window: [] }),
    ]);
    expect((await gateway!.health()).outbox).toMatchObject({ lastAckSeq: 4, lastError: null });

    await weigh(ginGrams(500)); // the bottle as it stands now: 20 ml poured since the hub's last event
    await forwarded(5);
    expect(hub.applied.get(5)).toMatchObject({ kind: 'pour', deltaMl: -20, levelAfterMl: 500 });
    expect(hubGinMl()).toBe(500 - 700); // what the bottle lost, counted once
    expect(gateway!.levels()).toEqual([expect.objectContaining({ itemId: 'gin', levelMl: 500 })]);
    expect(hub.gaps).toEqual([]);
  });
});

describe('restore from backup: shelf camera', () => {
  it('measures the first drop after the re-base from the hub’s newest camera level, not the backup’s', async () => {
    // One gin slot no scale weighs: the camera measures its drops. Two agreeing frames confirm a state.
    const scene = createShelfScene({ cameraId: 'camera-1', itemIds: ['gin'], seed: 3 });
    const calm = { ...NORMAL_CONDITIONS, occluderRate: 0, dimRate: 0, offRate: 0, shakePx: 1 };
    const camera = await makeDevice('camera-1', 'camera');
    camera.provisioned = {
      ...camera.provisioned,
      slotMap: {
        ...scene.slotMap,
        smoothing: { ...scene.slotMap.smoothing, confirmFrames: 2, minHoldMs: 0 },
      },
    };
    const config = gatewayConfig(dir.path, [camera], { url: hub.url, claimCode: hub.claimCode });
    config.gateway.mqtt.maxFrameBytes = 2 * 1024 * 1024;
    const rng = createRng(8);
    let frameSeq = 0;
    const boot = async () => {
      gateway = await startGateway(config, { logger: silentLogger, forwardCoalesceMs: 10 });
      await until(() => gateway!.catalog.loaded);
      cameraClient = await connectDevice(gateway.mqttPort, camera);
    };
    const show = async (fillFraction: number, frames: number) => {
      for (let i = 0; i < frames; i++) {
        const frame = await renderShelfFrame(
          scene,
          { slots: [{ itemId: 'gin', present: true, fillFraction }] },
          rng,
          calm,
        );
        const meta = { seq: frameSeq++, at: Date.now(), width: frame.width, height: frame.height };
        const payload = Buffer.from(withFrameMetadataComment(frame.jpeg, meta));
        await cameraClient!.publishAsync(deviceTopic(camera.id, 'frame'), payload, { qos: 1 });
        await gateway!.settled();
      }
    };
    const forwarded = async (n: number) => {
      await gateway!.forwardNow();
      await until(() => hub.applied.size === n);
    };
    const hubGin = () =>
      [...hub.applied.values()].filter((e) => e.itemId === 'gin').sort((a, b) => a.seq - b.seq);

    await boot();
    await show(0.9, 3); // the baseline: no event
    await show(0.6, 6); // seq 1: the level stated (no earlier camera level to measure from)
    await show(0.4, 6); // seq 2: a drop
    await forwarded(2);
    const backup = await takeBackup(join(dir.path, 'gateway.db'), join(dir.path, 'backups'));
    await show(0.25, 6); // seq 3: a drop at the hub, not in the backup
    await forwarded(3);
    await stopGateway();
    await restoreBackup(dir.path, backup.path);

    hub.mode = 'no-sent-events'; // the re-base waits, and so does the camera's next change
    await boot();
    await gateway!.forwardNow();
    await show(0.25, 3); // a new baseline after the start
    await show(0.1, 6); // a drop, seen while the ledger still holds the backup's levels
    expect((await gateway!.db.select().from(stockEvents)).map((row) => row.seq)).toEqual([1, 2]);

    hub.mode = 'ok';
    await gateway!.forwardNow();
    await forwarded(4);
    const [first, , third, fourth] = hubGin();
    expect(fourth).toMatchObject({ source: 'camera', slot: 's01', kind: 'count' });
    expect(fourth!.deltaMl).toBeLessThan(0);
    expect(fourth!.deltaMl).toBe(fourth!.levelAfterMl! - third!.levelAfterMl!); // from the hub's newest level
    // What the bottle lost since the camera first stated its level, counted once.
    expect(hubGin().reduce((sum, e) => sum + e.deltaMl, 0)).toBe(
      fourth!.levelAfterMl! - first!.levelAfterMl!,
    );
    expect((await gateway!.health()).cameras?.['camera-1']).toMatchObject({ recorded: 1, unrecorded: 0 });
  }, 120_000);
});
