import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { deviceHealthReportSchema, deviceTopic, type ReportedDevice } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../index.ts';
import { silentLogger } from '../log.ts';
import { startContractHub, type ContractHub } from '../../test/support/contract-hub.ts';
import {
  catalog,
  connectDevice,
  gatewayConfig,
  makeDevice,
  tempDir,
  until,
  type TestDevice,
} from '../../test/support/fixtures.ts';

let hub: ContractHub;
let dir: ReturnType<typeof tempDir>;
let gateway: Gateway;
let scale: TestDevice;
let client: MqttClient | undefined;

beforeAll(async () => {
  hub = await startContractHub(catalog);
  dir = tempDir();
  scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  gateway = await startGateway(gatewayConfig(dir.path, [scale], { url: hub.url, claimCode: hub.claimCode }), {
    logger: silentLogger,
    deviceReportMs: 60_000,
  });
});
afterAll(async () => {
  await client?.endAsync(true);
  await gateway?.close();
  await hub.close();
  dir.remove();
});

const lastReport = (): ReportedDevice | undefined =>
  hub.deviceReports.at(-1)?.devices.find((d) => d.deviceId === 'scale-1');

it("reports a scale's firmware, acknowledged config, last reading and noisy load cell over the real broker", async () => {
  client = await connectDevice(gateway.mqttPort, scale);
  await client.subscribeAsync(deviceTopic(scale.id, 'config'), { qos: 1 });
  // The device acknowledges every config it gets, as the drivers do.
  client.on('message', (_topic, payload) => {
    const { configVersion } = JSON.parse(payload.toString()) as { configVersion: number };
    void client!.publishAsync(
      deviceTopic(scale.id, 'response'),
      JSON.stringify({ status: 'ok', configVersion }),
      { qos: 1 },
    );
  });
  await client.publishAsync(
    deviceTopic(scale.id, 'status'),
    JSON.stringify({ state: 'online', firmware: 'scale-fw 1.4.2' }),
    { qos: 1, retain: true },
  );
  const token = readFileSync(join(dir.path, 'admin-token'), 'utf8').trim();
  const pushed = await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/devices/scale-1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sampleHz: 10 }),
  });
  expect(pushed.status).toBe(202);
  await until(async () => {
    const listed = (await (await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/devices`)).json()) as {
      devices: Array<{ id: string; config: { ackedVersion: number | null } | null }>;
    };
    return listed.devices.find((d) => d.id === 'scale-1')?.config?.ackedVersion === 1;
  });

  // An empty platform whose readings swing ±10 g, then one bad message.
  for (let seq = 0; seq < 60; seq++)
    await client.publishAsync(
      deviceTopic(scale.id, 'weight'),
      JSON.stringify({ seq, at: Date.now(), grams: seq % 2 ? 10 : -10, platform: 0 }),
      { qos: 1 },
    );
  await client.publishAsync(deviceTopic(scale.id, 'weight'), '{"seq": 61, "grams": ', { qos: 1 });

  const reported = await until(() => {
    const device = lastReport();
    return device?.config?.ackedVersion === 1 && device.trouble?.some((t) => t.signal === 'refused-messages')
      ? device
      : undefined;
  });
  expect(deviceHealthReportSchema.parse(hub.deviceReports.at(-1))).toBeTruthy();
  expect(reported).toMatchObject({
    state: 'online',
    firmware: 'scale-fw 1.4.2',
    config: { version: 1, ackedVersion: 1 },
    lastReading: { channel: 'weight', platform: 0, grams: 10 },
    trouble: [
      { signal: 'noisy-load-cell', platform: 0, spreadG: 10 },
      { signal: 'refused-messages', count: 1, lastReason: 'publish:malformed-json' },
    ],
  });

  // The gateway's own device list shows the same.
  const listed = (await (await fetch(`http://127.0.0.1:${gateway.httpPort}/api/v1/devices`)).json()) as {
    devices: Array<{ id: string; lastReading: unknown; trouble: unknown }>;
  };
  const row = listed.devices.find((d) => d.id === 'scale-1')!;
  expect(row.lastReading).toEqual(reported.lastReading);
  expect(row.trouble).toEqual(reported.trouble);
});
