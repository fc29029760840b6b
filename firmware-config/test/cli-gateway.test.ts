import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttDevice } from '@pourcast/devices';
import { startGateway, silentLogger, type Gateway } from '@pourcast/edge';
import { deviceBundleSchema, type DeviceBundle, type GatewayCatalog } from '@pourcast/protocol';
import { runCli, writeGatewayConfigFile } from './support/cli-run.ts';
import { loadGatewayConfig } from '../src/load-gateway-config.ts';
import { startTechnicianHub, type TechnicianHub } from './support/technician-hub.ts';

const catalog: GatewayCatalog = {
  locationId: 'loc-1',
  items: [
    {
      id: 'gin',
      name: 'London Dry Gin',
      category: 'spirit',
      containerMl: 700,
      barcodes: ['5000291020706'],
      emptyWeightG: 450,
      densityGPerMl: 0.95,
    },
  ],
};

let dir: string;
let hub: TechnicianHub;
let gateway: Gateway | undefined;
let configPath: string;
let target: string[];
const devices: MqttDevice[] = [];
const env = { POURCAST_PASSWORD: undefined as string | undefined };

const cli = (...argv: string[]) => runCli(argv, env);

/** A device command against the running gateway (its HTTP address and admin token file). */
const onGateway = (...argv: string[]) => cli(...argv, ...target);

/** `add-device` for the test's HX711 scale, rail-scale-1. */
const addRailScale = (...argv: string[]) =>
  onGateway(
    'add-device',
    '--kind',
    'scale',
    '--model',
    'pourcast-scale-hx711',
    '--id',
    'rail-scale-1',
    ...argv,
  );

/** A load cell through its raw counts; it reports grams with the calibration its config carries. */
async function startScale(bundle: DeviceBundle, zero: number, countsPerGram: number) {
  const load = { grams: 0 };
  const raw = () => zero + countsPerGram * load.grams;
  const device = await MqttDevice.connect({
    bundle,
    protocol: 4,
    connectTimeoutMs: 5000,
    firmware: 'test-1',
  });
  devices.push(device);
  device.onCommand((command) => {
    if (command.command === 'tare' || command.command === 'calibrate') return { raw: raw() };
    throw new Error('not supported');
  });
  let seq = 0;
  const weigh = async (times: number) => {
    const calibration = device.config?.calibration;
    if (!calibration) throw new Error('not calibrated');
    for (let i = 0; i < times; i++)
      await device.publish('weight', {
        seq: seq++,
        at: Date.now(),
        grams: (raw() - calibration.offset) / calibration.factor,
        platform: 0,
      });
  };
  return { device, load, weigh };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pourcast-tech-'));
  hub = await startTechnicianHub(catalog);
  configPath = await writeGatewayConfigFile(dir, hub.url);
  await writeFile(join(dir, 'password'), `${hub.password}\n`, { mode: 0o600 });
});

afterAll(async () => {
  await Promise.all(devices.map((d) => d.close()));
  await gateway?.close();
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a technician sets up a bar through the CLI', () => {
  it('claims: logs in to the hub, writes a one-time code into the gateway config', async () => {
    const args = ['claim', '--config', configPath, '--location', 'loc-1', '--email', hub.email];
    const wrong = join(dir, 'wrong-password');
    await writeFile(wrong, 'nope');
    expect(await cli(...args, '--password-file', wrong)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('wrong email or password'),
    });
    const dry = await cli(...args, '--password-file', join(dir, 'password'), '--dry-run');
    expect(dry).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('dry run: logged in as tech@bar.example'),
    });
    expect(hub.codesIssued).toEqual([]);

    const claimed = await cli(...args, '--password-file', join(dir, 'password'));
    expect(claimed.code).toBe(0);
    expect(claimed.stdout).toContain('restart the gateway to claim');
    const config = await loadGatewayConfig(configPath);
    expect(config.gateway.hub.claimCode).toBe(hub.codesIssued[0]);
    expect((await stat(configPath)).mode & 0o777).toBe(0o600);
  });

  it('starts the gateway, which claims itself and fetches the catalog', async () => {
    const config = await loadGatewayConfig(configPath);
    const catalogLoaded = new Promise<void>((resolve) => {
      void startGateway(config, {
        logger: silentLogger,
        forwardCoalesceMs: 5,
        catalogRefreshMs: 600_000,
      }).then((g) => {
        gateway = g;
        if (g.catalog.loaded) resolve();
        g.bus.once('catalog', () => resolve());
      });
    });
    await catalogLoaded;
    expect(hub.codesIssued).toEqual([]); // used up
    target = [
      '--gateway',
      `http://127.0.0.1:${gateway!.httpPort}`,
      '--token-file',
      join(dir, 'data', 'admin-token'),
    ];
  });

  let bundle: DeviceBundle;
  let scale: Awaited<ReturnType<typeof startScale>>;

  it('adds a scale: writes its bundle (0600), which connects to the broker', async () => {
    const out = join(dir, 'bundles', 'rail-scale-1.json');
    const dry = await addRailScale('--out', out, '--dry-run');
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringContaining('dry run: POST') });
    await expect(stat(out)).rejects.toThrow();

    // A QR file the CLI cannot write is refused before the gateway creates the device.
    expect(await addRailScale('--out', out, '--qr', join(dir, 'qr.jpg'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^qr: .* must end in \.svg or \.png/m),
    });
    const qr = join(dir, 'bundles', 'rail-scale-1.svg');
    const added = await addRailScale('--out', out, '--qr', qr);
    expect(added).toMatchObject({ code: 0, stdout: expect.stringContaining(`wrote ${out}`) });
    expect(added.stdout).toContain(`wrote ${qr} (QR code of the bundle, 0600)`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await stat(qr)).mode & 0o777).toBe(0o600);
    bundle = deviceBundleSchema.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(bundle.brokerUrl).toBe(`mqtt://127.0.0.1:${gateway!.mqttPort}`);
    scale = await startScale(bundle, 120_000, 210);
    expect(scale.device.state).toBe('online');

    const taken = await addRailScale('--out', out);
    expect(taken).toMatchObject({ code: 2, stderr: expect.stringContaining('exists already') });
    const unknown = await onGateway('add-device', '--model', 'toaster');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^model: no device definition toaster; known: /m),
    });
    const mismatch = await onGateway('add-device', '--kind', 'camera', '--model', 'pourcast-scale-hx711');
    expect(mismatch).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^kind: pourcast-scale-hx711 is a scale$/m),
    });
    const badId = await onGateway('add-device', '--model', 'generic-hid-scanner', '--id', 'Bad Id');
    expect(badId).toMatchObject({ code: 2, stderr: expect.stringMatching(/^id: /m) });
  });

  it('calibrates it with two known weights; the calibration reaches the scale in its config', async () => {
    const calibrate = (...args: string[]) => onGateway('calibrate', 'rail-scale-1', ...args);
    expect(await calibrate('--step', 'span')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^grams: /m),
    });
    expect(await calibrate('--step', 'tare')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('tared at 120000 counts'),
    });
    scale.load.grams = 500;
    expect(await calibrate('--step', 'span', '--grams', '500')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('factor 210.0000 counts/g'),
    });
    scale.load.grams = 1000;
    const checked = await calibrate('--step', 'check', '--grams', '1000');
    expect(checked).toMatchObject({ code: 0, stdout: expect.stringContaining('0.00 % off') });
    expect(checked.stdout).toContain('pushed as config v1');
    // The handler sees the config before the device adopts it.
    const applied = await new Promise<unknown>((resolve) => {
      if (scale.device.config?.calibration) return resolve(scale.device.config.calibration);
      scale.device.onConfig((config) => resolve(config.calibration));
    });
    expect(applied).toEqual({ offset: 120_000, factor: 210 });
  });

  it('maps the platform to a catalog item, refusing unknown ones', async () => {
    const unknown = await onGateway('map-slot', 'rail-scale-1', '--item', 'absinthe');
    expect(unknown).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('slots.0.itemId: no item absinthe in the catalog'),
    });
    const dry = await onGateway('map-slot', 'rail-scale-1', '--item', 'gin', '--dry-run');
    expect(dry.stdout).toContain('dry run: PUT');
    expect(await onGateway('map-slot', 'rail-scale-1', '--item', 'gin')).toMatchObject({
      code: 0,
      stdout: 'rail-scale-1: platform 0 → gin\n',
    });
  });

  it('pushes a setting change on top of the calibration; the scale acknowledges it', async () => {
    expect(await onGateway('push-config', 'rail-scale-1')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nothing to push'),
    });
    expect(await onGateway('push-config', 'rail-scale-1', '--sample-hz', '500')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^sampleHz: /m),
    });
    // A handler is first given the config the scale runs (v1, the calibration), then the pushed one.
    const applied = new Promise<unknown>((resolve) =>
      scale.device.onConfig((config) => {
        if (config.configVersion === 2) resolve(config);
      }),
    );
    expect(await onGateway('push-config', 'rail-scale-1', '--sample-hz', '20')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('config v2 pushed'),
    });
    expect(await applied).toEqual({
      configVersion: 2,
      sampleHz: 20,
      calibration: { offset: 120_000, factor: 210 },
    });
  });

  it('lists the scale online with its acknowledged config and mapping, and it reports on the hub', async () => {
    let listed = await onGateway('list');
    for (let i = 0; i < 200 && listed.stdout.includes('pending'); i++) listed = await onGateway('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^rail-scale-1\tscale\tpourcast-scale-hx711\tonline\t\S+\tconfig v2\tslots 0→gin$/m,
    );

    // --config finds the HTTP address and <dataDir>/admin-token (a copy naming the port the test bound).
    const config = await loadGatewayConfig(configPath);
    const bound = join(dir, 'gateway-bound.json');
    await writeFile(
      bound,
      JSON.stringify({
        ...config,
        gateway: { ...config.gateway, http: { host: '0.0.0.0', port: gateway!.httpPort } },
      }),
    );
    expect((await cli('list', '--config', bound)).stdout).toBe(listed.stdout);
    expect(await cli('list', '--config', join(dir, 'nope.json'))).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^\(file\): cannot read/m),
    });

    scale.load.grams = 450 + 500 * 0.95; // a gin bottle with 500 ml in it
    const counted = hub.eventArrived((e) => e.deviceId === 'rail-scale-1' && e.itemId === 'gin');
    await scale.weigh(8);
    const event = await counted;
    expect(event).toMatchObject({ kind: 'count', locationId: 'loc-1', source: 'scale' });
    expect(event.levelAfterMl).toBe(500);
  });

  it('exports without secrets, revokes (disconnects at once), and imports into a new gateway', async () => {
    const exportFile = join(dir, 'export.json');
    expect((await onGateway('export', '--out', exportFile)).code).toBe(0);
    const exported = await readFile(exportFile, 'utf8');
    expect(exported).not.toContain(bundle.secret);
    expect(JSON.parse(exported).devices[0]).toMatchObject({
      id: 'rail-scale-1',
      slots: [{ platform: 0, itemId: 'gin' }],
      calibration: { factor: 210 },
    });

    const offline = new Promise<void>((resolve) =>
      scale.device.onStateChange((s) => s === 'offline' && resolve()),
    );
    expect(await onGateway('revoke', 'rail-scale-1')).toMatchObject({
      code: 0,
      stdout: 'rail-scale-1: revoked, disconnected\n',
    });
    await offline;
    expect((await onGateway('list')).stdout).toMatch(/^rail-scale-1\tscale\tpourcast-scale-hx711\trevoked/m);
    expect(await onGateway('revoke', 'nope-1')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no device nope-1'),
    });

    const second = await startGateway(
      await loadGatewayConfig(configPath).then((c) => ({
        ...c,
        gateway: {
          ...c.gateway,
          dataDir: join(dir, 'data-2'),
          hub: { ...c.gateway.hub, claimCode: undefined },
        },
      })),
      { logger: silentLogger, connectHub: false },
    );
    try {
      await second.catalog.save(catalog);
      const secondTarget = [
        '--gateway',
        `http://127.0.0.1:${second.httpPort}`,
        '--token-file',
        join(dir, 'data-2', 'admin-token'),
      ];
      const edited = JSON.parse(exported);
      edited.devices[0].revoked = false; // moving the bar: bring the scale along
      await writeFile(exportFile, JSON.stringify(edited));
      const imported = await cli(
        'import',
        exportFile,
        '--bundles',
        join(dir, 'new-bundles'),
        ...secondTarget,
      );
      expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('rail-scale-1: added') });
      const fresh = deviceBundleSchema.parse(
        JSON.parse(await readFile(join(dir, 'new-bundles', 'rail-scale-1.json'), 'utf8')),
      );
      expect(fresh.secret).not.toBe(bundle.secret);
      const list = await cli('list', '--json', ...secondTarget);
      expect(JSON.parse(list.stdout).devices[0]).toMatchObject({
        id: 'rail-scale-1',
        slots: [{ platform: 0, itemId: 'gin' }],
        config: { configVersion: 1 },
      });
      expect((await cli('import', exportFile, ...secondTarget)).stdout).toContain('skipped (present)');
    } finally {
      await second.close();
    }
  });
});

describe('CLI errors', () => {
  it('has --help for every command and exits 2 on bad arguments', async () => {
    for (const name of [
      'claim',
      'add-device',
      'calibrate',
      'map-slot',
      'list',
      'revoke',
      'replace',
      'export',
      'import',
      'validate',
    ]) {
      const help = await cli(name, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: pourcast-config ${name}`));
    }
    expect(await cli('list', '--frobnicate')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--frobnicate'"),
    });
    expect((await cli('revoke')).code).toBe(2);
  });

  it('exits 1 when the gateway cannot be reached or the token is missing', async () => {
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'x');
    const unreachable = await cli('list', '--gateway', 'http://127.0.0.1:9', '--token-file', tokenFile);
    expect(unreachable).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot reach the gateway'),
    });
    expect(
      (await cli('list', '--gateway', 'http://127.0.0.1:9', '--token-file', join(dir, 'missing'))).code,
    ).toBe(1);
    expect((await cli('list', '--gateway', 'http://127.0.0.1:9')).code).toBe(2);
  });
});
