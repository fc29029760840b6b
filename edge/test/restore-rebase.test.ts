/**
 * A gateway restored from a backup neither loses nor stalls (docs/RELIABILITY.md): events forwarded → backup →
 * more events forwarded → the gateway dies → restore → new events; the hub ends holding every event exactly
 * once, the forwarder reports no error, and the ledger's seq continues above the hub's ack.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeBackup, restoreBackup } from '../src/backup/backup-files.ts';
import { GatewayBus } from '../src/bus.ts';
import { openDb, type OpenedDb } from '../src/db/open-db.ts';
import { ledgerRestore, stockEvents } from '../src/db/schema.ts';
import { CredentialStore } from '../src/hub-client/credentials.ts';
import { HubStatus } from '../src/hub-client/hub-status.ts';
import { insertEvent, lastSeq, type StockEventDraft } from '../src/inventory/ledger.ts';
import { silentLogger } from '../src/log.ts';
import { Forwarder } from '../src/outbox/forwarder.ts';
import { readOutboxState } from '../src/outbox/outbox-state.ts';
import { undoSlot } from '../src/staff/staff-view.ts';
import { startContractHub, type ContractHub } from './support/contract-hub.ts';
import { catalog, tempDir } from './support/fixtures.ts';

let hub: ContractHub;
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

function hubIds(): string[] {
  return [...hub.applied.values()].map((event) => event.id);
}

beforeEach(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  made.length = 0;
});

afterEach(async () => {
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
    // The three post-restore events now follow the hub's ack 11, in their order, with their ids.
    const ledger = await store!.db.select().from(stockEvents);
    expect(ledger.filter((row) => row.seq > 5).map((row) => [row.seq, row.id])).toEqual(
      early.map((row, i) => [12 + i, row.id]),
    );
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
