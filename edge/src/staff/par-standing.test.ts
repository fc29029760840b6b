import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayPars } from '@pourcast/protocol';
import { GatewayBus } from '../bus.ts';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { CredentialStore } from '../hub-client/credentials.ts';
import { ParStore } from '../hub-client/par-store.ts';
import { recordEvents } from '../inventory/record-events.ts';
import type { StockEventDraft } from '../inventory/ledger.ts';
import type { SlotLevel } from '../inventory/levels.ts';
import { silentLogger } from '../log.ts';
import { tempDir } from '../../test/support/fixtures.ts';
import { ParStanding } from './par-standing.ts';
import { slotTiles } from './staff-view.ts';

let dir: ReturnType<typeof tempDir>;
let store: OpenedDb;
let bus: GatewayBus;
let credentials: CredentialStore;

beforeEach(async () => {
  dir = tempDir();
  store = await openDb(dir.path);
  bus = new GatewayBus();
  credentials = new CredentialStore(store.db);
  await credentials.save({ gatewayId: 'gw-1', token: 't', locationId: 'loc-1', organizationId: 'org-1' });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const pour = (itemId: string, deltaMl: number): StockEventDraft => ({
  itemId,
  kind: 'pour',
  deltaMl,
  containersDelta: 0,
  levelAfterMl: null,
  source: 'scale',
  observedAt: new Date().toISOString(),
  confidence: 1,
});

const pars = (ackSeq: number, items: GatewayPars['items']): GatewayPars => ({
  locationId: 'loc-1',
  ackSeq,
  asOf: new Date().toISOString(),
  items,
});

describe('par standing', () => {
  it("adds this gateway's events after the hub's ack seq to the hub's on-hand stock", async () => {
    const standing = new ParStanding(store.db);
    bus.on('stock-event', (event) => standing.add(event));
    // seq 1-2 are in the hub's figure (ackSeq 2); seq 3 is not yet.
    await recordEvents(store.db, bus, credentials, [pour('gin', -30), pour('gin', -30), pour('gin', -45)]);
    await standing.reload(
      pars(2, [
        { itemId: 'gin', parMl: 1400, onHandMl: 1440 },
        { itemId: 'tonic', parMl: null, onHandMl: 400 },
      ]),
    );
    expect(standing.line('gin')).toEqual({ parMl: 1400, onHandMl: 1395 });
    expect(standing.line('tonic')).toBeNull();
    expect(standing.line('rum')).toBeNull();
    // Live events count once, even one the reload already read from the ledger.
    const [late] = await recordEvents(store.db, bus, credentials, [pour('gin', -60)]);
    standing.add(late!);
    expect(standing.line('gin')).toEqual({ parMl: 1400, onHandMl: 1335 });
  });

  it('counts an event committed while a reload reads the ledger exactly once', async () => {
    const standing = new ParStanding(store.db);
    bus.on('stock-event', (event) => standing.add(event));
    const reloading = standing.reload(pars(0, [{ itemId: 'gin', parMl: 700, onHandMl: 1000 }]));
    await recordEvents(store.db, bus, credentials, [pour('gin', -100)]);
    await reloading;
    expect(standing.line('gin')).toEqual({ parMl: 700, onHandMl: 900 });
    // A newer answer from the hub that already folds the pour.
    await standing.reload(pars(1, [{ itemId: 'gin', parMl: 700, onHandMl: 900 }]));
    expect(standing.line('gin')).toEqual({ parMl: 700, onHandMl: 900 });
  });

  it('makes a tile low below par, and falls back to the fill rule only for items without a par', () => {
    const level = (itemId: string, fill: number): SlotLevel => ({
      deviceId: 'scale-1',
      slot: 'platform-0',
      itemId,
      itemName: itemId,
      containerMl: 700,
      levelMl: Math.round(fill * 700),
      fill,
      phase: 'bottle',
    });
    const lines: Record<string, { parMl: number; onHandMl: number }> = {
      gin: { parMl: 1400, onHandMl: 1399 },
      rum: { parMl: 700, onHandMl: 2100 },
    };
    const tiles = slotTiles(
      [level('gin', 0.9), level('rum', 0.1), level('tonic', 0.1), level('vodka', 0.5)],
      0.25,
      (itemId) => lines[itemId] ?? null,
    );
    expect(tiles.map((tile) => [tile.itemId, tile.low, tile.parMl, tile.onHandMl])).toEqual([
      ['gin', true, 1400, 1399], // a full bottle, but the bar holds less than par
      ['rum', false, 700, 2100], // an almost empty bottle, with plenty behind it
      ['tonic', true, null, null], // no par: 10 % fill is low
      ['vodka', false, null, null],
    ]);
  });
});

describe('the par cache', () => {
  it('survives a restart and refuses a cached row that breaks the schema', async () => {
    const first = new ParStore(store.db, silentLogger);
    const seen: GatewayPars[] = [];
    first.onChange((p) => seen.push(p));
    const fetched = pars(4, [{ itemId: 'gin', parMl: 1400, onHandMl: 2000 }]);
    await first.save(fetched, 1_000);
    expect(seen).toEqual([fetched]);

    const again = new ParStore(store.db, silentLogger);
    await again.load();
    expect(again.current).toEqual(fetched);
    expect(again.fetchedAt).toBe(1_000);

    await store.client.execute('UPDATE par_cache SET pars = \'{"locationId":"loc-1"}\'');
    const broken = new ParStore(store.db, silentLogger);
    await broken.load();
    expect(broken.current).toBeNull();
  });
});
