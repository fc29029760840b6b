import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDeviceDefinition } from '../src/definitions/registry.ts';
import { DEMO_DEVICES, demoBarFile } from '../src/sim/demo-bar.ts';
import type { ShiftReport } from '../src/sim/shift-report.ts';
import { startTestBroker, type TestBroker } from './support/aedes-broker.ts';

const MAIN = fileURLToPath(new URL('../src/sim/main.ts', import.meta.url));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stdout matches; rejects on exit first or after the timeout (a hang guard). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  exit: Promise<number | null>;
}

function runSim(args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const listeners: Array<() => void> = [];
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (chunk) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`)),
          timeoutMs,
        );
        const check = () => {
          if (!pattern.test(out)) return;
          clearTimeout(timer);
          resolve();
        };
        listeners.push(check);
        void exit.then(() => {
          clearTimeout(timer);
          if (pattern.test(out)) resolve();
          else reject(new Error(`exited before ${pattern}:\n${out}\n${err}`));
        });
        check();
      }),
  };
}

describe('sim CLI (devices/src/sim/main.ts)', () => {
  let broker: TestBroker;
  let dir: string;
  beforeEach(async () => {
    broker = await startTestBroker();
    dir = await mkdtemp(join(tmpdir(), 'pourcast-sim-'));
  });
  afterEach(async () => {
    await broker.close();
  });

  const writeBar = async () => {
    const bar = demoBarFile(
      DEMO_DEVICES.map((d) => broker.device(d.id, getDeviceDefinition(d.model).kind, d.model)),
    );
    const file = join(dir, 'sim.json');
    await writeFile(file, JSON.stringify(bar));
    return file;
  };

  it('exits 2 with path: message lines on a bad bar file or bad flags', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({ version: 1, devices: [], scales: [{ deviceId: 'scale-1', platform: 99 }] }),
    );
    const bad = runSim(['--bar', file]);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr().split('\n')).toEqual(
      expect.arrayContaining([
        'devices: Too small: expected array to have >=1 items',
        expect.stringMatching(/^scales\.0\.platform: /),
      ]),
    );
    const flags = runSim(['--bar', file, '--speed', 'fast']);
    expect(await flags.exit).toBe(2);
    expect(flags.stderr()).toContain('--speed: must be a number');
  }, 30_000);

  it('plays a short shift at high speed, logs each action and appends the report', async () => {
    const report = join(dir, 'reports.jsonl');
    const run = runSim([
      '--bar',
      await writeBar(),
      '--seed',
      '5',
      '--speed',
      '1000',
      '--duration',
      '3',
      '--report',
      report,
    ]);
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toMatch(/shift 1 \(seed 5\) done: /);
    const lines = (await readFile(report, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const shift = JSON.parse(lines[0]!) as ShiftReport;
    expect(
      run
        .stdout()
        .split('\n')
        .filter((l) => /^\d{4}-\d\d-\d\dT.* (lift|pour|put back|replace|scan) /.test(l)),
    ).toHaveLength(shift.actions.length);
    expect(Object.keys(shift.expectedDeltaMlByItem).sort()).toEqual([
      'absolut-1000',
      'aperol-700',
      'bacardi-1000',
      'jameson-700',
      'tanqueray-700',
    ]);
    expect(broker.published.filter((p) => p.packet.topic.endsWith('/weight')).length).toBeGreaterThan(10);
  }, 30_000);

  it('stops cleanly on SIGINT: every device publishes offline and the exit code is 0', async () => {
    const run = runSim(['--bar', await writeBar(), '--speed', '1000', '--loop']);
    await run.waitFor(/ lift /);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    const offline = broker.published.filter(
      (p) =>
        p.packet.topic.endsWith('/status') && JSON.parse(p.packet.payload.toString()).state === 'offline',
    );
    expect(new Set(offline.map((p) => p.clientId))).toEqual(new Set(DEMO_DEVICES.map((d) => d.id)));
  }, 30_000);
});
