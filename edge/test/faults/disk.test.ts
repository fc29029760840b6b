/**
 * A full or damaged disk at the gateway: new readings are refused loudly (no PUBACK, the device is
 * disconnected and keeps its reading, a counted reason, /health degraded with an alert), old ones are kept;
 * a damaged database stops the gateway with the restore command, and the restore brings the data back.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { deviceTopic } from '@pourcast/protocol';
import { startGateway, type Gateway } from '../../src/index.ts';
import { DatabaseDamagedError } from '../../src/db/open-db.ts';
import { silentLogger } from '../../src/log.ts';
import { closed, connectDevice, gatewayConfig, makeDevice, tempDir } from '../support/fixtures.ts';

const edge = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const dirs: Array<ReturnType<typeof tempDir>> = [];
const gateways: Gateway[] = [];
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.close();
  for (const dir of dirs.splice(0)) dir.remove();
});

function run(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', edge(script), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
}

async function storedReadings(dataDir: string): Promise<number[]> {
  const reader = createClient({ url: `file:${join(dataDir, 'gateway.db')}` });
  const rows = await reader.execute("SELECT payload FROM readings WHERE channel = 'weight' ORDER BY id");
  reader.close();
  return rows.rows.map((row) => (JSON.parse(String(row.payload)) as { seq: number }).seq);
}

let clock = Date.now();
const reading = (seq: number) => JSON.stringify({ seq, at: (clock += 100), grams: 900 + seq, platform: 0 });

it('refuses readings on a full disk without losing stored ones, says why, and recovers', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const gateway = await startGateway(gatewayConfig(dir.path, [scale]), {
    logger: silentLogger,
    connectHub: false,
    processReadings: false,
  });
  gateways.push(gateway);
  const client = await connectDevice(gateway.mqttPort, scale);
  for (let seq = 1; seq <= 20; seq++)
    await client.publishAsync(deviceTopic(scale.id, 'weight'), reading(seq), { qos: 1 });

  // The disk is full: SQLite may not grow the file past the pages it has (max_page_count).
  const [{ page_count: pages }] = await gateway.db.all<{ page_count: number }>(sql`PRAGMA page_count`);
  await gateway.db.all(sql.raw(`PRAGMA max_page_count = ${pages}`));
  let seq = 20;
  let refused: number | null = null;
  const acked: number[] = [];
  const lost = closed(client, 20_000);
  // Fill the last free page; the first reading that does not fit gets no PUBACK, and the connection ends.
  while (refused === null && seq < 500) {
    const next = ++seq;
    const outcome = await Promise.race([
      client.publishAsync(deviceTopic(scale.id, 'weight'), reading(next), { qos: 1 }).then(() => 'acked'),
      lost.then(() => 'closed'),
    ]);
    if (outcome === 'acked') acked.push(next);
    else refused = next;
  }
  expect(refused).not.toBeNull();
  client.end(true);

  const health = await gateway.health();
  expect(health.status).toBe('degraded');
  expect(health.storage).toMatchObject({ state: 'full', reason: expect.stringMatching(/disk full/) });
  expect(health.alerts).toEqual([expect.stringMatching(/^storage full: disk full/)]);
  expect(health.refusedByReason['publish:storage-failed']).toBeGreaterThanOrEqual(1);
  // Every acknowledged reading is on disk; the refused one is not (the device still holds it).
  const stored = await storedReadings(dir.path);
  expect(stored).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), ...acked]);
  expect(stored).not.toContain(refused);

  // Space again: the device resends the refused reading and it is taken.
  await gateway.db.all(sql.raw('PRAGMA max_page_count = 1073741823'));
  const again = await connectDevice(gateway.mqttPort, scale);
  await again.publishAsync(deviceTopic(scale.id, 'weight'), reading(refused!), { qos: 1 });
  await again.endAsync();
  expect(await storedReadings(dir.path)).toContain(refused);
  expect((await gateway.health()).storage).toMatchObject({ state: 'ok', reason: null });
});

it('will not start on a damaged database, names the restore, and the restored backup holds the data', async () => {
  const dir = tempDir();
  dirs.push(dir);
  const scale = await makeDevice('scale-1', 'scale', [{ platform: 0, itemId: 'gin' }]);
  const config = gatewayConfig(dir.path, [scale]);
  const configFile = join(dir.path, 'gateway.json');
  writeFileSync(configFile, JSON.stringify({ ...config, devices: [scale.provisioned] }));

  const gateway = await startGateway(config, {
    logger: silentLogger,
    connectHub: false,
    processReadings: false,
  });
  const client = await connectDevice(gateway.mqttPort, scale);
  for (let seq = 1; seq <= 5; seq++)
    await client.publishAsync(deviceTopic(scale.id, 'weight'), reading(seq), { qos: 1 });
  // An online backup while the gateway runs and keeps taking readings.
  const backup = await run('src/backup/backup-cli.ts', ['backup', '--config', configFile]);
  expect(backup.code).toBe(0);
  await client.publishAsync(deviceTopic(scale.id, 'weight'), reading(6), { qos: 1 });
  await client.endAsync();
  await gateway.close();

  // The card goes bad: the database file and its write-ahead log are overwritten.
  for (const file of ['gateway.db', 'gateway.db-wal'])
    writeFileSync(join(dir.path, file), Buffer.alloc(8192, 0x5a));
  await expect(startGateway(config, { logger: silentLogger, connectHub: false })).rejects.toBeInstanceOf(
    DatabaseDamagedError,
  );
  const refusal = await run('src/main.ts', ['--config', configFile]);
  expect(refusal.code).toBe(3);
  expect(refusal.out).toMatch(/is damaged .*gateway:backup -- restore --latest/);

  const restore = await run('src/backup/backup-cli.ts', ['restore', '--latest', '--config', configFile]);
  expect(restore.out).not.toMatch(/failed/);
  expect(restore.code).toBe(0);
  expect(restore.out).toMatch(/kept the replaced file as .*gateway\.db\.replaced-/);
  // The backup's readings are back (the one taken after the backup is what a restore cannot save).
  expect(await storedReadings(dir.path)).toEqual([1, 2, 3, 4, 5]);
  const restarted = await startGateway(config, {
    logger: silentLogger,
    connectHub: false,
    processReadings: false,
  });
  gateways.push(restarted);
  expect((await restarted.health()).storage?.state).toBe('ok');
  // Three tsx processes (backup, the refused start, restore): 16 s on an idle machine, more on loaded CI cores.
}, 90_000);
