import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GatewayBus } from '../bus.ts';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { CredentialStore } from '../hub-client/credentials.ts';
import { HubStatus } from '../hub-client/hub-status.ts';
import { insertEvent, lastSeq, listEvents, type StockEventDraft } from '../inventory/ledger.ts';
import { silentLogger } from '../log.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import { catalog, tempDir, until } from '../../test/support/fixtures.ts';
import { Forwarder } from './forwarder.ts';
import { pruneAcknowledged, readOutboxState } from './outbox-state.ts';

let hub: ContractHub;
let dir: ReturnType<typeof tempDir>;
let store: OpenedDb;
let credentials: CredentialStore;
let forwarder: Forwarder | null = null;

const draft = (deltaMl: number): StockEventDraft => ({
  itemId: 'gin',
  kind: 'pour',
  deltaMl,
  containersDelta: 0,
  levelAfterMl: 100,
  source: 'scale',
  deviceId: 'scale-1',
  slot: 'platform-0',
  observedAt: '2025-11-13T20:00:00.000Z',
  confidence: 0.99,
});

async function addEvents(n: number) {
  for (let i = 0; i < n; i++)
    await insertEvent(store.db, { gatewayId: 'gw-1', locationId: 'loc-1' }, draft(-(i + 1)));
}

function makeForwarder(batchSize = 500, retentionMs = 0) {
  forwarder = new Forwarder({
    db: store.db,
    bus: new GatewayBus(),
    log: silentLogger,
    hubUrl: hub.url,
    credentials,
    status: new HubStatus(),
    batchSize,
    retentionMs,
    random: () => 0.5,
  });
  return forwarder;
}

beforeEach(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  store = await openDb(dir.path);
  credentials = new CredentialStore(store.db);
  await credentials.save({
    gatewayId: hub.gatewayId,
    token: hub.token,
    locationId: 'loc-1',
    organizationId: 'org-1',
  });
});

afterEach(async () => {
  vi.useRealTimers();
  await forwarder?.stop();
  forwarder = null;
  store.close();
  await hub.close();
  dir.remove();
});

describe('forwarder', () => {
  it('sends batches in seq order with fromSeq, stores the ack and prunes what was acknowledged', async () => {
    await addEvents(5);
    const f = makeForwarder(2);
    await f.start();
    await f.flush();
    expect(hub.batches.map((b) => [b.fromSeq, b.events.map((e) => e.seq)])).toEqual([
      [1, [1, 2]],
      [3, [3, 4]],
      [5, [5]],
    ]);
    expect(hub.requests.every((r) => r === 'POST /api/v1/gateways/gw-1/events')).toBe(true);
    expect(await readOutboxState(store.db)).toMatchObject({ ackSeq: 5, lastError: null });
    expect(await listEvents(store.db, 0, 100)).toEqual([]); // retention 0: acknowledged and pruned
    expect(await lastSeq(store.db)).toBe(5);
  });

  it('keeps acknowledged events for the retention period', async () => {
    await addEvents(2);
    const f = makeForwarder(500, 3_600_000);
    await f.start();
    await f.flush();
    expect(f.state.ackSeq).toBe(2);
    expect(await listEvents(store.db, 0, 100)).toHaveLength(2);
  });

  it('never prunes an unacknowledged event', async () => {
    await addEvents(3);
    expect(await pruneAcknowledged(store.db, 2, Date.now() + 1000)).toBe(2);
    expect((await listEvents(store.db, 0, 10)).map((e) => e.seq)).toEqual([3]);
  });

  it('backs off with full jitter while the hub answers 5xx, then delivers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    hub.mode = 'error-500';
    await addEvents(1);
    const f = makeForwarder();
    await f.start();
    await f.flush();
    expect(hub.requests).toHaveLength(1);
    expect(f.state.lastError).toMatch(/HTTP 500/);
    // random 0.5: first retry after 0.5 × 1 s, the next after 0.5 × 2 s.
    await vi.advanceTimersByTimeAsync(499);
    expect(hub.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await until(() => hub.requests.length === 2);
    await until(() => f.state.lastError !== null && hub.requests.length === 2);
    await vi.advanceTimersByTimeAsync(999);
    expect(hub.requests).toHaveLength(2);
    hub.mode = 'ok';
    await vi.advanceTimersByTimeAsync(1);
    await until(() => f.state.ackSeq === 1);
    expect(f.state.lastError).toBeNull();
    // New events during backoff do not hammer the hub; after success a nudge sends within the coalescing pause.
    await addEvents(1);
    f.nudge();
    await vi.advanceTimersByTimeAsync(250);
    await until(() => f.state.ackSeq === 2);
  });

  it('times out a hub that does not answer after 10 s and keeps the events', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    hub.mode = 'hang';
    await addEvents(1);
    const f = makeForwarder();
    await f.start();
    const round = f.flush();
    await until(() => hub.requests.length === 1);
    await vi.advanceTimersByTimeAsync(10_000);
    await round;
    expect(f.state.lastError).toMatch(/timed out/);
    expect(f.state.ackSeq).toBe(0);
    expect(await listEvents(store.db, 0, 10)).toHaveLength(1);
  });

  it('refuses an ack that breaks the contract and logs a 4xx reason, deleting nothing', async () => {
    hub.mode = 'bad-ack';
    await addEvents(2);
    const f = makeForwarder();
    await f.start();
    await f.flush();
    expect(f.state.lastError).toMatch(/breaks the contract: ackSeq/);
    hub.mode = 'reject-400';
    await f.flush();
    expect(f.state.lastError).toMatch(/HTTP 400 bad_batch: nope/);
    expect(f.state.ackSeq).toBe(0);
    expect(await listEvents(store.db, 0, 10)).toHaveLength(2);
  });
});
