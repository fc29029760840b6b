import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { GatewayBus } from '../bus.ts';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { silentLogger } from '../log.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import { catalog, tempDir, until } from '../../test/support/fixtures.ts';
import { CatalogStore } from './catalog-store.ts';
import { CredentialStore } from './credentials.ts';
import { HubLink } from './hub-link.ts';
import { HubStatus } from './hub-status.ts';
import { ParStore } from './par-store.ts';

let hub: ContractHub;
let dir: ReturnType<typeof tempDir>;
let store: OpenedDb;
let link: HubLink | null = null;

beforeEach(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  store = await openDb(dir.path);
});
afterEach(async () => {
  vi.useRealTimers();
  await link?.stop();
  store.close();
  await hub.close();
  dir.remove();
});

function makeLink(claimCode = hub.claimCode) {
  const bus = new GatewayBus();
  const credentials = new CredentialStore(store.db);
  const catalogStore = new CatalogStore(store.db, bus, silentLogger);
  const status = new HubStatus();
  const parStore = new ParStore(store.db, silentLogger);
  link = new HubLink({
    hubUrl: hub.url,
    claimCode,
    gatewayName: 'test bar',
    credentials,
    catalog: catalogStore,
    pars: parStore,
    status,
    log: silentLogger,
    random: () => 0.5,
  });
  return { credentials, catalogStore, parStore, status };
}

it('retries the claim with backoff while the hub is down, then caches credentials, catalog and pars', async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  hub.mode = 'error-500';
  hub.pars = [{ itemId: 'gin', parMl: 1400 }];
  const { credentials, catalogStore, parStore, status } = makeLink();
  link!.start();
  await vi.advanceTimersByTimeAsync(0);
  await until(() => status.lastError !== null);
  expect(credentials.current).toBeNull();
  hub.mode = 'ok';
  await vi.advanceTimersByTimeAsync(500);
  await until(() => parStore.current !== null);
  expect(parStore.current).toMatchObject({ ackSeq: 0, items: [{ itemId: 'gin', parMl: 1400, onHandMl: 0 }] });
  expect(credentials.current).toMatchObject({ gatewayId: 'gw-1', locationId: 'loc-1' });
  expect(catalogStore.byBarcode('5000291020706')?.id).toBe('gin');
  expect(hub.requests).toEqual([
    'POST /api/v1/gateways/claim',
    'POST /api/v1/gateways/claim',
    'GET /api/v1/gateways/gw-1/catalog',
    'GET /api/v1/gateways/gw-1/pars',
  ]);
  // Refreshes every 10 minutes.
  await vi.advanceTimersByTimeAsync(600_000);
  await until(() => hub.requests.length === 5);

  // A restart offline starts from what the DB cached.
  await link!.stop();
  const again = makeLink();
  expect(await again.credentials.load()).toMatchObject({ gatewayId: 'gw-1' });
  await again.catalogStore.load();
  expect(again.catalogStore.item('tonic')?.containerMl).toBe(200);
  await again.parStore.load();
  expect(again.parStore.current?.items).toEqual([{ itemId: 'gin', parMl: 1400, onHandMl: 0 }]);
});

it("reports a wrong claim code with the hub's reason", async () => {
  const { status } = makeLink('WRONG-CODE');
  link!.start();
  await until(() => status.lastError !== null);
  expect(status.lastError).toMatch(/HTTP 400 invalid_code: unknown claim code/);
  expect(status.reachable).toBe(true);
});

it('takes the catalog from a hub that has no par levels to give, and keeps the cached pars', async () => {
  hub.pars = [{ itemId: 'gin', parMl: 1400 }];
  const first = makeLink();
  link!.start();
  await until(() => first.parStore.current !== null);
  await link!.stop();

  hub.mode = 'no-pars';
  hub.catalog = { ...hub.catalog, items: hub.catalog.items.slice(0, 1) };
  const again = makeLink();
  await again.parStore.load();
  link!.start();
  await until(() => again.catalogStore.loaded);
  expect(again.catalogStore.items()).toHaveLength(1);
  expect(again.status).toMatchObject({ reachable: true, lastError: null });
  expect(again.parStore.current?.items).toEqual([{ itemId: 'gin', parMl: 1400, onHandMl: 0 }]);
});
