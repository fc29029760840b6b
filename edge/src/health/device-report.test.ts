import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deviceHealthReportSchema } from '@pourcast/protocol';
import { DeviceRegistry } from '../broker/device-registry.ts';
import { DeviceStatusTracker } from '../broker/device-status.ts';
import { GatewayBus } from '../bus.ts';
import { openDb, type OpenedDb } from '../db/open-db.ts';
import { saveCalibration } from '../devices/calibration.ts';
import { DriftWatch } from '../devices/drift-watch.ts';
import { startContractHub } from '../../test/support/contract-hub.ts';
import { catalog, tempDir, until } from '../../test/support/fixtures.ts';
import { CredentialStore } from '../hub-client/credentials.ts';
import { silentLogger } from '../log.ts';
import sharp from 'sharp';
import { DeviceActivity } from './device-activity.ts';
import { buildDeviceReport, DeviceReporter } from './device-report.ts';

let dir: ReturnType<typeof tempDir>;
let store: OpenedDb;

beforeEach(async () => {
  dir = tempDir();
  store = await openDb(dir.path);
});
afterEach(() => {
  store.close();
  dir.remove();
});

const device = (id: string, kind: 'scale' | 'scanner') => ({
  id,
  kind,
  model: kind === 'scale' ? 'pourcast-scale-hx711' : 'generic-hid-scanner',
  secretHash: 'x'.repeat(43),
  slots: [],
});

describe('buildDeviceReport', () => {
  it("holds each device's state, a scale's calibration date and its drifted platforms, as the hub takes it", async () => {
    const registry = new DeviceRegistry(store.db);
    await registry.add(device('well-scale-1', 'scale'));
    await registry.add(device('bar-scale-2', 'scale'));
    await registry.add(device('scanner-1', 'scanner'));
    await registry.revoke('bar-scale-2');
    const statuses = new DeviceStatusTracker(new GatewayBus());
    statuses.update('well-scale-1', { state: 'online' }, Date.parse('2026-11-22T08:00:00Z'));
    await saveCalibration(store.db, 'well-scale-1', {
      offset: 8421,
      factor: 419.7,
      knownGrams: 500,
      checkGrams: 1000,
      errorPercent: 0.1,
      calibratedAt: '2026-11-20T10:00:00.000Z',
    });
    const drift = new DriftWatch({ toleranceG: 5, minReadings: 50 });
    const changed: string[] = [];
    drift.onChange((id) => changed.push(id));
    for (let i = 0; i < 200; i++)
      drift.observe(
        'well-scale-1',
        { seq: i, at: i, grams: 9, platform: 0 },
        Date.parse('2026-11-22T08:30:00Z'),
      );
    expect(changed).toEqual(['well-scale-1']);

    const report = await buildDeviceReport(
      { db: store.db, registry, statuses, drift },
      new Date('2026-11-22T09:00:00Z'),
    );
    expect(deviceHealthReportSchema.parse(report)).toEqual(report);
    const byId = Object.fromEntries(report.devices.map((d) => [d.deviceId, d]));
    expect(byId['well-scale-1']).toEqual({
      deviceId: 'well-scale-1',
      kind: 'scale',
      model: 'pourcast-scale-hx711',
      state: 'online',
      lastStatusAt: '2026-11-22T08:00:00.000Z',
      calibratedAt: '2026-11-20T10:00:00.000Z',
      drift: [{ platform: 0, emptyG: 9, drifted: true, since: '2026-11-22T08:30:00.000Z' }],
      firmware: null,
    });
    expect(byId['bar-scale-2']).toMatchObject({ state: 'revoked', calibratedAt: null, drift: [] });
    expect(byId['scanner-1']).toMatchObject({ state: 'unknown', lastStatusAt: null, drift: [] });
    expect(byId['scanner-1']).not.toHaveProperty('calibratedAt');

    // A new calibration resets the watch: the next report shows no drift, and listeners hear of it.
    drift.reset('well-scale-1');
    expect(changed).toEqual(['well-scale-1', 'well-scale-1']);
    const after = await buildDeviceReport({ db: store.db, registry, statuses, drift });
    expect(after.devices.find((d) => d.deviceId === 'well-scale-1')!.drift).toEqual([]);
  });
});

/** A JPEG of one grey level, or of random grey pixels (a scene). */
async function jpeg(grey: number | 'scene'): Promise<Buffer> {
  const width = 64;
  const height = 48;
  if (grey === 'scene') {
    const pixels = Buffer.alloc(width * height);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7919) % 251;
    return sharp(pixels, { raw: { width, height, channels: 1 } })
      .jpeg()
      .toBuffer();
  }
  return sharp({ create: { width, height, channels: 3, background: { r: grey, g: grey, b: grey } } })
    .jpeg()
    .toBuffer();
}

describe('DeviceActivity in the report', () => {
  it("carries each device's last reading, firmware and signs of trouble, and reports well devices as well", async () => {
    const registry = new DeviceRegistry(store.db);
    await registry.add(device('well-scale-1', 'scale'));
    await registry.add(device('noisy-scale', 'scale'));
    await registry.add(device('scanner-1', 'scanner'));
    await registry.add({ ...device('shelf-cam', 'scanner'), kind: 'camera', model: 'pi-camera-3' });
    await registry.add({ ...device('dark-cam', 'scanner'), kind: 'camera', model: 'pi-camera-3' });
    await registry.add({ ...device('covered-cam', 'scanner'), kind: 'camera', model: 'pi-camera-3' });
    const statuses = new DeviceStatusTracker(new GatewayBus());
    statuses.update('well-scale-1', { state: 'online', firmware: 'scale-fw 1.4.2' });
    const activity = new DeviceActivity({ noiseWindow: 20, noisyAboveG: 3, frameSampleMs: 60_000 });
    const at = Date.parse('2026-11-22T08:00:00Z');
    // A steady scale: empty readings within ±1 g, then a bottle put down (not noise).
    for (let i = 0; i < 40; i++)
      activity.observeWeight(
        'well-scale-1',
        { seq: i, at: i, grams: i % 2 ? 0.8 : -0.6, platform: 0 },
        at + i,
      );
    activity.observeWeight('well-scale-1', { seq: 40, at: 40, grams: 1204.26, platform: 0 }, at + 100);
    // A noisy one: empty readings swinging ±8 g on platform 1, platform 0 steady.
    for (let i = 0; i < 40; i++) {
      activity.observeWeight('noisy-scale', { seq: i, at: i, grams: i % 2 ? 8 : -8, platform: 1 }, at);
      activity.observeWeight('noisy-scale', { seq: i, at: i, grams: 0.5, platform: 0 }, at);
    }
    activity.observeScan('scanner-1', '5000000000001', false, at);
    activity.observeScan('scanner-1', '5000000000002', false, at + 1);
    activity.observeScan('scanner-1', '5010677850100', true, at + 2);
    activity.observeRefusal('scanner-1', 'publish:invalid-payload');
    const frame = (deviceId: string, bytes: Buffer, receivedAt: number) =>
      activity.observeFrame({
        deviceId,
        jpeg: bytes,
        receivedAt,
        meta: { seq: 1, at: 1, width: 64, height: 48 },
      });
    frame('shelf-cam', await jpeg('scene'), at);
    frame('dark-cam', await jpeg(4), at);
    frame('covered-cam', await jpeg(140), at);
    // Within the sample period a bright frame is not looked at: the camera still counts as dark.
    frame('dark-cam', await jpeg('scene'), at + 1000);
    await activity.idle();

    const report = await buildDeviceReport(
      { db: store.db, registry, statuses, drift: new DriftWatch(), activity },
      new Date('2026-11-22T09:00:00Z'),
    );
    expect(deviceHealthReportSchema.parse(report)).toEqual(report);
    const byId = Object.fromEntries(report.devices.map((d) => [d.deviceId, d]));
    expect(byId['well-scale-1']).toMatchObject({
      firmware: 'scale-fw 1.4.2',
      lastReading: { channel: 'weight', at: '2026-11-22T08:00:00.100Z', platform: 0, grams: 1204.3 },
      trouble: [],
    });
    expect(byId['noisy-scale']!.trouble).toEqual([{ signal: 'noisy-load-cell', platform: 1, spreadG: 8 }]);
    expect(byId['noisy-scale']!.firmware).toBeNull();
    expect(byId['scanner-1']).toMatchObject({
      lastReading: { channel: 'scan', barcode: '5010677850100', known: true },
      trouble: [
        { signal: 'unknown-barcodes', count: 2 },
        { signal: 'refused-messages', count: 1, lastReason: 'publish:invalid-payload' },
      ],
    });
    expect(byId['shelf-cam']!.trouble).toEqual([]);
    expect(byId['shelf-cam']!.lastReading).toEqual({
      channel: 'frame',
      at: '2026-11-22T08:00:00.000Z',
      width: 64,
      height: 48,
    });
    expect(byId['dark-cam']!.trouble).toEqual([expect.objectContaining({ signal: 'dark-camera' })]);
    expect(byId['dark-cam']!.lastReading).toMatchObject({ at: '2026-11-22T08:00:01.000Z' });
    expect(byId['covered-cam']!.trouble).toEqual([expect.objectContaining({ signal: 'blocked-camera' })]);
    // No activity source: the report leaves the new fields out (as older gateways send it).
    const plain = await buildDeviceReport({ db: store.db, registry, statuses, drift: new DriftWatch() });
    expect(plain.devices[0]).not.toHaveProperty('lastReading');
    expect(plain.devices[0]).not.toHaveProperty('trouble');
  });
});

describe('DeviceReporter', () => {
  it('sends nothing before the claim, then a report, and another soon after a drift change', async () => {
    const hub = await startContractHub(catalog);
    const registry = new DeviceRegistry(store.db);
    await registry.add(device('well-scale-1', 'scale'));
    const bus = new GatewayBus();
    const credentials = new CredentialStore(store.db);
    const drift = new DriftWatch({ toleranceG: 5, minReadings: 50 });
    const activity = new DeviceActivity({ noiseWindow: 20 });
    const reporter = new DeviceReporter({
      db: store.db,
      registry,
      statuses: new DeviceStatusTracker(bus),
      drift,
      activity,
      onDriftChange: (listener) => drift.onChange(listener),
      onActivityChange: (listener) => activity.onChange(listener),
      bus,
      hubUrl: hub.url,
      credentials,
      log: silentLogger,
      coalesceMs: 1,
    });
    try {
      await reporter.send();
      expect(hub.requests).toEqual([]); // not claimed: nowhere to send
      await credentials.save({
        gatewayId: hub.gatewayId,
        token: hub.token,
        locationId: catalog.locationId,
        organizationId: 'org-1',
      });
      reporter.start();
      await until(() => hub.deviceReports.length === 1);
      expect(hub.deviceReports[0]!.devices[0]).toMatchObject({ deviceId: 'well-scale-1', drift: [] });
      for (let i = 0; i < 100; i++) {
        drift.observe('well-scale-1', { seq: i, at: i, grams: 9, platform: 0 });
        activity.observeWeight('well-scale-1', { seq: i, at: i, grams: 9, platform: 0 });
      }
      await until(() => hub.deviceReports.length === 2);
      expect(hub.deviceReports[1]!.devices[0]!.drift).toMatchObject([{ platform: 0, drifted: true }]);
      // The drift readings were the scale's first: the report already carried the last one.
      expect(hub.deviceReports[1]!.devices[0]!.lastReading).toMatchObject({ channel: 'weight', grams: 9 });
      // More steady readings change no signal: nothing is sent before the interval.
      for (let i = 100; i < 130; i++)
        activity.observeWeight('well-scale-1', { seq: i, at: i, grams: 9, platform: 0 });
      // A load cell turning noisy is reported soon.
      for (let i = 0; i < 20; i++)
        activity.observeWeight('well-scale-1', { seq: 200 + i, at: i, grams: i % 2 ? 20 : -20, platform: 0 });
      await until(() => hub.deviceReports.length === 3);
      expect(hub.deviceReports[2]!.devices[0]!.trouble).toEqual([
        { signal: 'noisy-load-cell', platform: 0, spreadG: 20 },
      ]);
      expect(reporter.failed).toBe(0);
    } finally {
      await reporter.stop();
      await hub.close();
    }
  });
});
