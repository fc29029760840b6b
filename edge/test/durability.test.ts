import { createClient } from '@libsql/client';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deviceTopic } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../src/index.ts';
import { silentLogger } from '../src/log.ts';
import { connectDevice, gatewayConfig, makeDevice, tempDir } from './support/fixtures.ts';

let gateway: Gateway;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  dir = tempDir();
});
afterAll(async () => {
  await gateway?.close();
  dir.remove();
});

it('commits a QoS 1 reading to the SQLite inbox before the device gets its PUBACK', async () => {
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  // Readings are stored but not processed, so the row is still in the inbox to be found.
  gateway = await startGateway(gatewayConfig(dir.path, [scale]), {
    logger: silentLogger,
    connectHub: false,
    processReadings: false,
  });
  const client = await connectDevice(gateway.mqttPort, scale);
  const reading = { seq: 41, at: Date.now(), grams: 1234.5, platform: 0 };
  // Several in one go: they share one group commit; each publishAsync resolves on its PUBACK.
  const others = [1, 2, 3].map((n) => ({ ...reading, seq: 41 + n }));
  const acks = [reading, ...others].map((r) =>
    client.publishAsync(deviceTopic(scale.id, 'weight'), JSON.stringify(r), { qos: 1 }),
  );
  await acks[0];
  // A separate connection to the file, as a crash-restarted process would see it.
  const reader = createClient({ url: `file:${join(dir.path, 'gateway.db')}` });
  const rows = await reader.execute(
    "SELECT device_id, channel, payload FROM readings WHERE channel = 'weight'",
  );
  reader.close();
  const stored = rows.rows.map((row) => JSON.parse(String(row.payload)) as { seq: number });
  expect(rows.rows[0]).toMatchObject({ device_id: 'scale-1', channel: 'weight' });
  expect(stored.map((r) => r.seq)).toContain(41);
  await Promise.all(acks);
  await client.endAsync();
});
