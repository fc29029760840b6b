import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type Watcher } from '../../../test/support/aedes-broker.ts';

/** The three driver programs, run as a technician would (node + tsx), as real processes. */
const program = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const PROGRAMS = {
  scale: program('scale-hx711/main.ts'),
  scanner: program('hid-scanner/main.ts'),
  camera: program('camera/main.ts'),
};
const SCANNER = PROGRAMS.scanner;
const CAMERA = PROGRAMS.camera;
const FAKE_TOOL = program('test-support/fake-capture-tool.mjs');

function run(main: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, exited };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pourcast-drivers-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('driver programs: help and argument errors', () => {
  it('--help prints usage and exits 0', async () => {
    const { code, stdout } = await run(PROGRAMS.scale, ['--help']).exited;
    expect(code).toBe(0);
    expect(stdout).toMatch(/HX711 load-cell scale[^]*--data-pin <bcm>/);
  });

  it('a bad argument exits 2 with the reason and a pointer to --help', async () => {
    const { code, stderr } = await run(PROGRAMS.camera, ['--bundle', 'x.json', '--colour']).exited;
    expect(code).toBe(2);
    expect(stderr).toBe("error: Unknown option '--colour'\nRun with --help for the options.\n");
  });

  it('names every problem in a bad bundle as a path: message line', async () => {
    const bundle = writeJson('bad.json', {
      version: 1,
      deviceId: 'Scale 1',
      kind: 'scale',
      model: 'm',
      secret: 'short',
      brokerUrl: 'http://x',
    });
    const { code, stderr } = await run(CAMERA, ['--bundle', bundle]).exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/^deviceId: must be 3-64 of a-z, 0-9 and -$/m);
    expect(stderr).toMatch(/^secret: /m);
    expect(stderr).toMatch(/^brokerUrl: must be an mqtt:\/\/ or mqtts:\/\/ URL$/m);
  });

  it('refuses a bundle for another kind of device', async () => {
    const bundle = writeJson('camera.json', {
      version: 1,
      deviceId: 'cam-1',
      kind: 'camera',
      model: 'm',
      secret: 'x'.repeat(32),
      brokerUrl: 'mqtt://127.0.0.1:1',
    });
    const { code, stderr } = await run(SCANNER, ['--bundle', bundle, '--stdin']).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('is a camera bundle; this driver runs a scanner');
  });
});

describe('driver programs against a real broker', () => {
  let broker: Awaited<ReturnType<typeof startTestBroker>>;
  let gateway: Watcher;
  beforeAll(async () => {
    broker = await startTestBroker();
    gateway = await broker.watcher();
  });
  afterAll(async () => {
    await gateway.close();
    await broker.close();
  });

  it('scanner --stdin publishes what is typed and goes offline at end of input', async () => {
    const bundle = writeJson('scanner.json', broker.device('scanner-bar', 'scanner', 'generic-hid-scanner'));
    await gateway.watchDevice('scanner-bar');
    const { child, exited } = run(SCANNER, ['--bundle', bundle, '--stdin', '--mode', 'receive']);
    await gateway.until(() => gateway.on('scanner-bar', 'status').length > 0, 20_000);
    child.stdin.write('5012345678900\n');
    const scan = await gateway.until(() => gateway.on('scanner-bar', 'scan')[0], 10_000);
    expect(scan.json()).toMatchObject({ barcode: '5012345678900', mode: 'receive', seq: 0 });
    child.stdin.end();
    const { code } = await exited;
    expect(code).toBe(0);
    const statuses = gateway.on('scanner-bar', 'status').map((m) => m.json() as { state: string });
    expect(statuses.at(-1)?.state).toBe('offline');
  });

  it('camera captures with the given tool and stops cleanly on SIGTERM', async () => {
    const device = broker.device('camera-shelf', 'camera', 'pourcast-shelf-camera');
    const bundle = writeJson('camera-ok.json', device);
    await gateway.watchDevice('camera-shelf');
    const args = [
      '--bundle',
      bundle,
      '--tool',
      'fswebcam',
      '--tool-path',
      FAKE_TOOL,
      '--width',
      '160',
      '--height',
      '120',
    ];
    const { child, exited } = run(CAMERA, args);
    const frame = await gateway.until(() => gateway.on('camera-shelf', 'frame')[0], 20_000);
    expect([frame.payload[0], frame.payload[1]]).toEqual([0xff, 0xd8]);
    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain('capturing 160x120 with fswebcam every 2000 ms');
    expect(stderr).not.toContain(device.secret);
  });
});
