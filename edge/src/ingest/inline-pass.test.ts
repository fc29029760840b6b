import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { weightReadingSchema, type StockEvent } from '@pourcast/protocol';
import { DeviceRegistry } from '../broker/device-registry.ts';
import { GatewayBus } from '../bus.ts';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { pipelineCursor, readings, scaleSlots, stockEvents } from '../db/schema.ts';
import { CatalogStore } from '../hub-client/catalog-store.ts';
import { CredentialStore } from '../hub-client/credentials.ts';
import { silentLogger } from '../log.ts';
import { catalog, gatewayConfig, ginGrams, makeDevice, tempDir } from '../../test/support/fixtures.ts';
import { ReadingInbox } from './inbox.ts';
import { ReadingPipeline } from './reading-pipeline.ts';

/**
 * Commits as SQLite wrote them: the commit frames in the write-ahead log (a frame header's second word is
 * the database size after the commit on a commit frame, 0 otherwise), counting only frames whose salts
 * match the log's header (older frames past a restart of the log are not part of it).
 */
function walCommits(path: string): number {
  const wal = readFileSync(`${path}-wal`);
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salt1 = wal.readUInt32BE(16);
  const salt2 = wal.readUInt32BE(20);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break;
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}

let dir: ReturnType<typeof tempDir>;
let opened: OpenedDb;
let inbox: ReadingInbox;
let pipeline: ReadingPipeline;
let catalogStore: CatalogStore;
const events: StockEvent[] = [];
let seq = 0;

beforeEach(async () => {
  dir = tempDir();
  opened = await openDb(dir.path, { synchronous: 'OFF' });
  const { db } = opened;
  const bus = new GatewayBus();
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const other = await makeDevice('scale-2', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const registry = new DeviceRegistry(db);
  await registry.load([scale.provisioned, other.provisioned]);
  catalogStore = new CatalogStore(db, bus, silentLogger);
  const credentials = new CredentialStore(db);
  await credentials.save({ gatewayId: 'gw-1', token: 't', locationId: 'loc-1', organizationId: 'org-1' });
  inbox = new ReadingInbox(db, bus, silentLogger);
  pipeline = new ReadingPipeline({
    db,
    bus,
    log: silentLogger,
    registry,
    catalog: catalogStore,
    credentials,
    settings: gatewayConfig(dir.path, []).scale,
  });
  await pipeline.start();
  inbox.processInline(pipeline);
  bus.on('stock-event', (event) => events.push(event));
  events.length = 0;
  await pipeline.idle();
});

afterEach(async () => {
  await inbox.close();
  await pipeline.stop();
  opened.close();
  dir.remove();
});

/** `times` readings of `grams` from `deviceId`, appended in one turn of the event loop: one group. */
function group(deviceId: string, grams: number, times = 5) {
  return Promise.all(
    Array.from({ length: times }, () => {
      seq++;
      const payload = weightReadingSchema.parse({
        seq,
        at: 1_763_000_000_000 + seq * 100,
        grams,
        platform: 0,
      });
      return inbox.append({
        deviceId,
        channel: 'weight',
        payload: JSON.stringify(payload),
        receivedAt: Date.now(),
        seq: payload.seq,
        at: payload.at,
      });
    }),
  );
}

async function commitsFor(step: () => Promise<unknown>): Promise<number> {
  await pipeline.idle();
  const before = walCommits(opened.path);
  await step();
  await inbox.drained();
  await pipeline.idle();
  return walCommits(opened.path) - before;
}

const inboxIds = async () => (await opened.db.select({ id: readings.id }).from(readings)).map((r) => r.id);

it('an idle pipeline takes a group inline: one commit, nothing left in the inbox, the events written', async () => {
  await catalogStore.save(catalog);
  await pipeline.idle();
  expect(await commitsFor(() => group('scale-1', ginGrams(500)))).toBe(1);
  expect(await inboxIds()).toEqual([]);
  expect(events.map((e) => [e.kind, e.levelAfterMl, e.seq])).toEqual([['count', 500, 1]]);
  const ledger = await opened.db.select().from(stockEvents);
  expect(ledger.map((row) => row.seq)).toEqual([1]);
  const [slot] = await opened.db.select().from(scaleSlots);
  expect(slot).toMatchObject({ deviceId: 'scale-1', levelMl: 500, phase: 'bottle' });
  // The readings took the ids AUTOINCREMENT gives (the cursor holds the last) and were deleted in the commit.
  const [cursor] = await opened.db.select().from(pipelineCursor);
  const [sequence] = await opened.db.all<{ seq: number }>(
    sql`SELECT seq FROM sqlite_sequence WHERE name = 'readings'`,
  );
  expect(cursor).toEqual({ deviceId: 'scale-1', lastReadingId: Number(sequence!.seq) });
  expect(cursor!.lastReadingId).toBe(5);

  // The next group again: one commit, and the pour follows from the committed state.
  await group('scale-1', 0.5);
  expect(await commitsFor(() => group('scale-1', ginGrams(470)))).toBe(1);
  expect(events.map((e) => [e.kind, e.deltaMl, e.levelAfterMl])).toEqual([
    ['count', 0, 500],
    ['pour', -30, 470],
  ]);
});

it('a held device queues its readings (the inbox commit alone), and so does every device while it is held', async () => {
  // No catalog yet: the group would be held, so it is stored for a pass, which holds it.
  expect(await commitsFor(() => group('scale-1', ginGrams(500)))).toBe(1);
  expect(await inboxIds()).toHaveLength(5);
  expect(pipeline.heldDevices).toEqual(['scale-1']);
  expect(events).toEqual([]);

  // Another device while one is held: queued too (the inbox commit, then the pass's).
  await catalogStore.save({ ...catalog, items: [] });
  await pipeline.idle();
  expect(await commitsFor(() => group('scale-2', ginGrams(600)))).toBe(1); // the pass holds it: no write
  expect(await inboxIds()).toHaveLength(10);

  // The catalog arrives: one pass takes both devices' readings in order, then groups go inline again.
  expect(await commitsFor(() => catalogStore.save(catalog))).toBe(2); // the catalog, then the pass
  expect(await inboxIds()).toEqual([]);
  expect(events.map((e) => [e.deviceId, e.levelAfterMl])).toEqual([
    ['scale-1', 500],
    ['scale-2', 600],
  ]);
  expect(await commitsFor(() => group('scale-1', 0.5))).toBe(1);
});

it('a group that cannot be processed in its commit is stored the queued way and reaches the ledger later', async () => {
  await catalogStore.save(catalog);
  await pipeline.idle();
  // The ledger refuses writes: the inline transaction fails and rolls back, the readings are stored alone.
  await opened.client.execute(
    "CREATE TRIGGER refuse BEFORE INSERT ON stock_events BEGIN SELECT RAISE(ABORT, 'ledger refuses'); END",
  );
  const outcomes = await group('scale-1', ginGrams(500));
  expect(outcomes).toEqual(['stored', 'stored', 'stored', 'stored', 'stored']);
  await pipeline.idle(); // the pass fails the same way and retries in a second
  expect(await inboxIds()).toHaveLength(5);
  expect(events).toEqual([]);

  await opened.client.execute('DROP TRIGGER refuse');
  const deadline = Date.now() + 10_000;
  while ((await inboxIds()).length > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  await pipeline.idle();
  expect(await inboxIds()).toEqual([]);
  expect(events.map((e) => [e.kind, e.levelAfterMl, e.seq])).toEqual([['count', 500, 1]]);

  // While queued readings wait, a new group is queued behind them, never processed before them.
  expect(await commitsFor(() => group('scale-1', 0.5))).toBe(1); // no event: inline
  await opened.client.execute(
    "CREATE TRIGGER refuse BEFORE INSERT ON stock_events BEGIN SELECT RAISE(ABORT, 'ledger refuses'); END",
  );
  await group('scale-1', ginGrams(470));
  await pipeline.idle();
  expect(await inboxIds()).toHaveLength(5);
  await opened.client.execute('DROP TRIGGER refuse');
  // Queued: the inbox's commit, then the pass its arrival starts, which takes both groups in order.
  expect(await commitsFor(() => group('scale-1', ginGrams(470)))).toBe(2);
  expect(await inboxIds()).toEqual([]);
  expect(events.map((e) => [e.kind, e.deltaMl, e.levelAfterMl])).toEqual([
    ['count', 0, 500],
    ['pour', -30, 470],
  ]);
  // Caught up: inline again.
  expect(await commitsFor(() => group('scale-1', 0.5))).toBe(1);
  expect(await inboxIds()).toEqual([]);
});
