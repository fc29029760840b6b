/**
 * The technician's walk-through (issue 7, "Done when") on real processes: wrangler dev (workerd + local D1),
 * the gateway as its own process, the `pourcast-config` CLI as a process for every step, and a simulated
 * load-cell scale process running the HX711 scale driver over raw counts. Claim, add, calibrate with two
 * known weights, map to an item, and the bottle's level reaches the hub's stock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { seedDemo, type DemoSeed } from '@pourcast/hub/demo';
import {
  alertListSchema,
  deviceBundleSchema,
  gatewayHealthSchema,
  locationStockSchema,
  loginResponseSchema,
  stockEventSchema,
  type Item,
} from '@pourcast/protocol';
import { LOAD_CELL_COUNTS_PER_GRAM, LOAD_CELL_ZERO_COUNTS } from '@pourcast/devices';
import { REPO_ROOT, startHub, type HubProcess } from '../scripts/lib/hub-process.ts';
import { pickScaleItems } from '../scripts/lib/demo-bar.ts';
import { freePort, waitFor, type RunningChild } from '../scripts/lib/processes.ts';
import { startGatewayProcess } from '../scripts/lib/system.ts';
import { HubApiClient } from '../scripts/lib/hub-api-client.ts';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const CLI = join(REPO_ROOT, 'firmware-config/src/cli.ts');
const SIM_SCALE = join(REPO_ROOT, 'devices/src/sim/scale-device-main.ts');

let dir: string;
let hub: HubProcess;
let seed: DemoSeed;
let gateway: RunningChild | undefined;
let scale: SimScale | undefined;
let configPath: string;
let httpPort: number;
let item: Item;
const logs: string[] = [];

/** One `pourcast-config` run, as a technician types it. */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      logs.push(`[cli] ${args.join(' ')} → ${code}\n${stdout}${stderr}`);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The gateway's device list (GET /api/v1/devices), to wait on without spawning a CLI each time. */
async function deviceRow(id: string) {
  const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/devices`);
  const { devices } = (await response.json()) as {
    devices: Array<{ id: string; state: string; config: { pending: boolean } | null; drift: unknown[] }>;
  };
  return devices.find((d) => d.id === id);
}

interface SimScale {
  child: ChildProcess;
  /** Sends a control line (`load 500`) and waits for the load cell to feel it. */
  control(line: string): Promise<void>;
  stop(): Promise<void>;
}

function startSimScale(bundlePath: string): SimScale {
  const child = spawn(TSX, [SIM_SCALE, '--bundle', bundlePath, '--seed', '7'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const answers: string[] = [];
  let sent = 0;
  const waiters: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    answers.push(line);
    waiters.splice(0).forEach((wake) => wake());
  });
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(`[scale] ${line}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async control(line) {
      // Answers come in order, one per line sent.
      const index = sent++;
      child.stdin!.write(`${line}\n`);
      while (answers.length <= index) {
        if (child.exitCode !== null) throw new Error(`the scale exited: ${logs.slice(-10).join('\n')}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited]);
      }
      if (!answers[index]!.startsWith('ok ')) throw new Error(answers[index]);
    },
    async stop() {
      child.stdin!.end(); // end of stdin stops the scale
      await exited;
    },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pourcast-technician-'));
  hub = await startHub({ dataDir: join(dir, 'hub'), onLine: (line) => logs.push(`[hub] ${line}`) });
  seed = await seedDemo(hub.url);
  item = pickScaleItems(seed.items, 1)[0]!;
  httpPort = await freePort();
  configPath = join(dir, 'gateway.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      version: 1,
      gateway: {
        name: 'back-bar-gateway',
        dataDir: join(dir, 'gateway'),
        mqtt: { host: '127.0.0.1', port: await freePort() },
        http: { host: '127.0.0.1', port: httpPort },
        hub: { url: hub.url },
      },
    }),
  );
  writeFileSync(join(dir, 'password'), `${seed.credentials.technician.password}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await scale?.stop();
  await gateway?.stop();
  await hub?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a technician sets up a bar on this machine, entirely through pourcast-config', () => {
  it('claims the gateway with a one-time code the hub issues to the technician', async () => {
    const claimed = await cli(
      'claim',
      '--config',
      configPath,
      '--location',
      seed.locationId,
      '--email',
      seed.credentials.technician.email,
      '--password-file',
      join(dir, 'password'),
    );
    expect(claimed, logs.join('\n')).toMatchObject({ code: 0 });
    expect(claimed.stdout).toContain('restart the gateway to claim');

    gateway = await startGatewayProcess(configPath, httpPort, (line) => logs.push(`[gateway] ${line}`));
    const health = await waitFor('the gateway to claim itself', async () => {
      const response = await fetch(`http://127.0.0.1:${httpPort}/api/v1/health`);
      const h = gatewayHealthSchema.parse(await response.json());
      return h.gatewayId && h.outbox.hubReachable ? h : undefined;
    });
    expect(health.gatewayId).toMatch(/\S/);
  });

  let bundlePath: string;

  it('adds a simulated scale and starts it with its bundle', async () => {
    bundlePath = join(dir, 'bundles', 'well-scale-1.json');
    const added = await cli(
      'add-device',
      '--config',
      configPath,
      '--kind',
      'scale',
      '--model',
      'pourcast-scale-hx711',
      '--id',
      'well-scale-1',
      '--out',
      bundlePath,
    );
    expect(added, logs.join('\n')).toMatchObject({ code: 0 });
    const bundle = deviceBundleSchema.parse(JSON.parse(readFileSync(bundlePath, 'utf8')));
    scale = startSimScale(bundlePath);
    await waitFor('the scale to come online', async () =>
      (await deviceRow('well-scale-1'))?.state === 'online' ? true : undefined,
    );
    const listed = await cli('list', '--config', configPath);
    expect(listed.stdout).toMatch(/^well-scale-1\tscale\tpourcast-scale-hx711\tonline\t/m);
    expect(bundle.deviceId).toBe('well-scale-1');
  });

  it('calibrates it with two known weights', async () => {
    const calibrate = (...args: string[]) =>
      cli('calibrate', 'well-scale-1', '--config', configPath, ...args);
    await scale!.control('load 0');
    const tared = await calibrate('--step', 'tare');
    expect(tared, logs.join('\n')).toMatchObject({ code: 0 });
    await scale!.control('load 500');
    expect(await calibrate('--step', 'span', '--grams', '500')).toMatchObject({ code: 0 });
    await scale!.control('load 1000');
    const checked = await calibrate('--step', 'check', '--grams', '1000', '--json');
    expect(checked).toMatchObject({ code: 0 });
    const answer = JSON.parse(checked.stdout);
    // The simulated cell's own zero and sensitivity, found back through its noise and the driver's filter.
    // The tare is the median of 5 fresh conversions of σ 40 counts, itself of σ ≈ 21 counts; which 5 it gets
    // depends on when the command lands. A quarter gram (105 counts, about 5σ) bounds it; ±50 counts (2.3σ)
    // missed for 1.2 % of the possible start points, and did once with another stack beside it.
    expect(Math.abs(answer.calibration.offset - LOAD_CELL_ZERO_COUNTS)).toBeLessThanOrEqual(
      0.25 * LOAD_CELL_COUNTS_PER_GRAM,
    );
    expect(answer.calibration.factor).toBeCloseTo(LOAD_CELL_COUNTS_PER_GRAM, 0);
    expect(answer.calibration.errorPercent).toBeLessThan(0.5);
    expect(answer.config).toMatchObject({ configVersion: 1 });
    await scale!.control('load 0');
    await waitFor('the scale to acknowledge its calibration', async () =>
      (await deviceRow('well-scale-1'))?.config?.pending === false ? true : undefined,
    );
    expect((await cli('list', '--config', configPath)).stdout).toMatch(/^well-scale-1\t.*\tconfig v1\t/m);
  });

  it('maps it to an item, and a bottle on it reaches the hub stock', async () => {
    const mapped = await cli('map-slot', 'well-scale-1', '--item', item.id, '--config', configPath);
    expect(mapped, logs.join('\n')).toMatchObject({ code: 0 });
    const levelMl = Math.round(item.containerMl * 0.6);
    const grams = item.emptyWeightG! + levelMl * item.densityGPerMl;
    const client = new HubApiClient(hub.url);
    const login = await client.request('POST', '/auth/login', loginResponseSchema, seed.credentials.manager);
    const manager = client.withToken(login.token);
    const stock = () => manager.request('GET', `/locations/${seed.locationId}/stock`, locationStockSchema);
    const before = (await stock()).items.find((l) => l.itemId === item.id)!;

    await scale!.control(`load ${grams.toFixed(1)}`);
    // The gateway weighs the bottle: a count event from this scale for this item, at the bottle's level.
    const gatewayUrl = `http://127.0.0.1:${httpPort}`;
    const events = await waitFor('the scale to count the bottle', async () => {
      const response = await fetch(`${gatewayUrl}/api/v1/events`);
      const { events } = z.object({ events: z.array(stockEventSchema) }).parse(await response.json());
      const mine = events.filter((e) => e.deviceId === 'well-scale-1' && e.itemId === item.id);
      return mine.some((e) => e.kind === 'count') ? mine : undefined;
    });
    const count = events.find((e) => e.kind === 'count')!;
    expect(Math.abs(count.levelAfterMl! - levelMl), logs.slice(-30).join('\n')).toBeLessThanOrEqual(2);
    // …and the hub's stock moves by exactly what the gateway recorded, once the hub has acknowledged it.
    await waitFor(
      'the hub to acknowledge the count',
      async () => {
        const response = await fetch(`${gatewayUrl}/api/v1/health`);
        const health = gatewayHealthSchema.parse(await response.json());
        return health.outbox.lastAckSeq >= Math.max(...events.map((e) => e.seq)) ? true : undefined;
      },
      120_000,
      500,
    );
    const after = (await stock()).items.find((l) => l.itemId === item.id)!;
    expect(after.lastSource).toBe('scale');
    expect(after.totalMl - before.totalMl).toBe(events.reduce((sum, e) => sum + e.deltaMl, 0));
  });

  it("raises a recalibrate alert on the hub when the empty scale's zero creeps", async () => {
    await scale!.control('load 0');
    await scale!.control('creep 9'); // the load cell's zero drifts by 9 g' worth of counts
    await waitFor('the gateway to see the drift', async () =>
      (await deviceRow('well-scale-1'))?.drift.length ? true : undefined,
    );
    const listed = (await cli('list', '--config', configPath)).stdout;
    expect(listed).toMatch(/^well-scale-1\t.*\tdrift: platform 0 reads \+[\d.]+ g empty, recalibrate$/m);
    const client = new HubApiClient(hub.url);
    const login = await client.request('POST', '/auth/login', loginResponseSchema, seed.credentials.manager);
    const manager = client.withToken(login.token);
    const alert = await waitFor('the hub to raise the alert', async () => {
      await manager.request('POST', '/alerts/run', z.unknown());
      const { alerts } = await manager.request('GET', '/alerts?status=open', alertListSchema);
      return alerts.find((a) => a.rule === 'scale_recalibration');
    });
    expect(alert).toMatchObject({
      locationId: seed.locationId,
      severity: 'warning',
      title: expect.stringContaining('Recalibrate scale well-scale-1 (platform 0)'),
    });
  });
});
