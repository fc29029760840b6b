import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayHealthSchema } from '@pourcast/protocol';
import { seedDemo, type DemoSeed } from '@pourcast/hub/demo';
import { writePrivateFile } from '@pourcast/firmware-config';
import { startHub, REPO_ROOT, type HubProcess } from './hub-process.ts';
import { prepareDemoBar, type DemoBar } from './demo-bar.ts';
import { startChild, StopWaiting, waitFor, type RunningChild } from './processes.ts';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');

export interface LocalSystemOptions {
  dataDir: string;
  hubPort?: number;
  mqttPort: number;
  httpPort: number;
  /** A migrated local D1 to copy for the hub's database (see `applyMigrations`). */
  migratedD1?: string;
  /** Output of each process, line by line. */
  onLine?: (source: 'hub' | 'gateway' | 'sim', line: string) => void;
}

export interface LocalSystem {
  hub: HubProcess;
  seed: DemoSeed;
  bar: DemoBar;
  gateway: RunningChild;
  gatewayUrl: string;
  startGateway(): Promise<RunningChild>;
  /** Stops the hub (its data stays); `startHubAgain` brings it back on the same port. */
  stopHub(): Promise<void>;
  startHubAgain(): Promise<HubProcess>;
  stop(): Promise<void>;
}

/** Seeds the hub once and keeps the generated passwords beside the data (0600), for the next start. */
export async function seedDemoOnce(hubUrl: string, dataDir: string): Promise<DemoSeed> {
  const file = join(dataDir, 'demo-credentials.json');
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoSeed) : undefined;
  const seed = await seedDemo(hubUrl, previous);
  await writePrivateFile(file, `${JSON.stringify(seed, null, 2)}\n`);
  return seed;
}

/** Starts the gateway as its own process and waits until its HTTP API answers. */
export async function startGatewayProcess(
  configPath: string,
  httpPort: number,
  onLine?: (line: string) => void,
): Promise<RunningChild> {
  const recent: string[] = [];
  const child = startChild(TSX, [join(REPO_ROOT, 'edge/src/main.ts'), '--config', configPath], {
    name: 'gateway',
    cwd: REPO_ROOT,
    onLine: (line) => {
      recent.push(line);
      if (recent.length > 20) recent.shift();
      onLine?.(line);
    },
  });
  let exited: number | string | undefined;
  void child.exited.then((code) => (exited = code));
  await waitFor('the gateway to answer /api/v1/health', async () => {
    if (exited !== undefined)
      throw new StopWaiting(`the gateway exited with ${exited}:\n${recent.join('\n')}`);
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health`);
    return response.ok ? gatewayHealthSchema.parse(await response.json()) : undefined;
  });
  return child;
}

/** The hub on wrangler dev with its local D1, the demo organization, one provisioned gateway. */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
  const launchHub = (port?: number) =>
    startHub({
      dataDir: join(options.dataDir, 'hub'),
      port,
      migratedD1: options.migratedD1,
      onLine: (line) => options.onLine?.('hub', line),
    });
  const hub = await launchHub(options.hubPort);
  try {
    const seed = await seedDemoOnce(hub.url, options.dataDir);
    const bar = await prepareDemoBar({
      hubUrl: hub.url,
      seed,
      dataDir: options.dataDir,
      mqttPort: options.mqttPort,
      httpPort: options.httpPort,
    });
    const launchGateway = () =>
      startGatewayProcess(bar.gatewayConfigPath, options.httpPort, (line) =>
        options.onLine?.('gateway', line),
      );
    const system: LocalSystem = {
      hub,
      seed,
      bar,
      gateway: await launchGateway(),
      gatewayUrl: `http://127.0.0.1:${options.httpPort}`,
      async startGateway() {
        system.gateway = await launchGateway();
        return system.gateway;
      },
      stopHub: () => system.hub.stop(),
      async startHubAgain() {
        system.hub = await launchHub(hub.port);
        return system.hub;
      },
      async stop() {
        await system.gateway.stop();
        await system.hub.stop();
      },
    };
    return system;
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

/** The simulated bar's devices, playing shifts over MQTT. */
export function startSimulator(
  barFilePath: string,
  args: string[],
  onLine?: (line: string) => void,
): RunningChild {
  return startChild(TSX, [join(REPO_ROOT, 'devices/src/sim/main.ts'), '--bar', barFilePath, ...args], {
    name: 'sim',
    cwd: REPO_ROOT,
    onLine,
  });
}
