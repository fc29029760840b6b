import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayHealthSchema, type Item } from '@pourcast/protocol';
import { provisionBar } from '@pourcast/firmware-config';
import type { DemoSeed } from '@pourcast/hub/demo';
import { freePort, startChild, waitFor, type RunningChild } from '../scripts/lib/processes.ts';
import { REPO_ROOT } from '../scripts/lib/hub-process.ts';
import { issueClaimCode, pickScaleItems } from '../scripts/lib/demo-bar.ts';
import type { LoadDevice } from './mqtt-load.ts';

export interface BenchGateway {
  process: RunningChild;
  mqttUrl: string;
  /** The gateway's SQLite file, for bench/ledger-watch.ts. */
  dbPath: string;
  devices: LoadDevice[];
  stop(): Promise<void>;
}

/**
 * A gateway in its own process, provisioned with `deviceCount` single-bottle scales and claimed to the demo
 * bar, so readings go through authentication, validation, the inbox and the scale pipeline for real.
 */
export async function startBenchGateway(options: {
  hubUrl: string;
  seed: DemoSeed;
  dir: string;
  deviceCount: number;
}): Promise<BenchGateway> {
  const claimCode = await issueClaimCode(options.hubUrl, options.seed);
  const items: Item[] = pickScaleItems(options.seed.items);
  const [mqttPort, httpPort] = [await freePort(), await freePort()];
  const result = await provisionBar({
    gateway: {
      name: 'bench-gateway',
      dataDir: join(options.dir, 'gateway'),
      // Every simulated device connects from 127.0.0.1: the per-address and global caps are a bar's
      // defence, not what is measured here.
      mqtt: {
        host: '127.0.0.1',
        port: mqttPort,
        maxConnections: 10_000,
        maxConnectionsPerAddress: 10_000,
      },
      http: { host: '127.0.0.1', port: httpPort },
      hub: { url: options.hubUrl, claimCode },
    },
    devices: Array.from({ length: options.deviceCount }, (_, i) => ({
      id: `bench-scale-${i}`,
      model: 'pourcast-scale-hx711',
      slots: [{ platform: 0, itemId: items[i % items.length]!.id }],
    })),
  });
  mkdirSync(options.dir, { recursive: true });
  const configPath = join(options.dir, 'gateway.json');
  writeFileSync(configPath, JSON.stringify(result.gatewayConfig), { mode: 0o600 });
  // The bundled gateway (`npm run build -w @pourcast/edge`), as a bar runs it: no TypeScript loader in memory.
  // POURCAST_BENCH_SOURCE=1 runs the TypeScript source through tsx instead (when the bundle cannot be built).
  const entry = process.env.POURCAST_BENCH_SOURCE
    ? ['--import', 'tsx', join(REPO_ROOT, 'edge/src/main.ts')]
    : [join(REPO_ROOT, 'edge/dist/main.mjs')];
  const child = startChild(process.execPath, [...entry, '--config', configPath], {
    name: 'bench-gateway',
    env: { POURCAST_LOG_LEVEL: 'error' },
  });
  // Ready when claimed and the catalog is in: health says ok and names the gateway.
  await waitFor('the bench gateway to be claimed', async () => {
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health`);
    if (!response.ok) return undefined;
    const health = gatewayHealthSchema.parse(await response.json());
    return health.gatewayId ? health : undefined;
  });
  return {
    process: child,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    dbPath: join(options.dir, 'gateway', 'gateway.db'),
    devices: result.deviceBundles.map((bundle) => ({ id: bundle.deviceId, secret: bundle.secret })),
    stop: () => child.stop(),
  };
}

/** The reference broker: bare aedes in its own process. */
export async function startBareAedes(): Promise<{
  process: RunningChild;
  mqttUrl: string;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  let ready: (() => void) | undefined;
  const listening = new Promise<void>((resolve) => (ready = resolve));
  const child = startChild(process.execPath, [join(REPO_ROOT, 'bench/bare-aedes.mjs'), String(port)], {
    name: 'bare-aedes',
    onLine: (line) => line.startsWith('listening') && ready?.(),
  });
  await listening;
  return { process: child, mqttUrl: `mqtt://127.0.0.1:${port}`, stop: () => child.stop() };
}
