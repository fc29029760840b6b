/**
 * `npm run bench [-- --json] [-- --devices 100,400 --seconds 10] [-- --batch-sizes 50,200,500]`: gateway
 * ingest against bare aedes under the same load (each broker in its own process), gateway memory with 100
 * devices connected, and hub ingest (wrangler dev, workerd + local D1) per gateway batch size. With --json the figures come as one JSON object
 * on the last line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../scripts/lib/hub-process.ts';
import { seedDemoOnce } from '../scripts/lib/system.ts';
import { startBareAedes, startBenchGateway } from './gateway-ingest.ts';
import { benchHubIngest } from './hub-ingest.ts';
import { LedgerWatch } from './ledger-watch.ts';
import { runScaleLoad, type LoadResult } from './mqtt-load.ts';
import { largestRssMb } from './proc-stats.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    devices: { type: 'string', default: '100,400' },
    seconds: { type: 'string', default: '10' },
    hz: { type: 'string', default: '10' },
    batches: { type: 'string', default: '20' },
    'batch-sizes': { type: 'string', default: '50,200,500' },
  },
});
const deviceCounts = values.devices!.split(',').map(Number);
const durationMs = Number(values.seconds) * 1000;
const hz = Number(values.hz);
const log = (line: string) => process.stderr.write(`${line}\n`);
const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

const dir = mkdtempSync(join(tmpdir(), 'pourcast-bench-'));
log(`bench: starting the hub (wrangler dev) in ${dir}…`);
const hub = await startHub({ dataDir: join(dir, 'hub') });
try {
  const seed = await seedDemoOnce(hub.url, dir);
  const maxDevices = Math.max(...deviceCounts, 100);

  log(`bench: gateway with ${maxDevices} provisioned scales…`);
  const gateway = await startBenchGateway({
    hubUrl: hub.url,
    seed,
    dir: join(dir, 'bench-gateway'),
    deviceCount: maxDevices,
  });
  const bare = await startBareAedes();
  const ledger = new LedgerWatch(gateway.dbPath);
  const rows: Array<{ devices: number; gateway: LoadResult; bare: LoadResult; gatewayRssMb: number }> = [];
  try {
    for (const count of deviceCounts) {
      log(`bench: ${count} scales × ${hz} Hz for ${durationMs / 1000} s, gateway then bare aedes…`);
      const devices = gateway.devices.slice(0, count);
      let gatewayRssMb = Number.NaN;
      const sampler = setInterval(() => {
        gatewayRssMb = Math.max(
          Number.isNaN(gatewayRssMb) ? 0 : gatewayRssMb,
          largestRssMb(gateway.process.child.pid!),
        );
      }, 1000);
      const onGateway = await runScaleLoad({ brokerUrl: gateway.mqttUrl, devices, hz, durationMs, ledger });
      clearInterval(sampler);
      const onBare = await runScaleLoad({
        brokerUrl: bare.mqttUrl,
        devices: devices.map(({ id }) => ({ id })),
        hz,
        durationMs,
      });
      rows.push({ devices: count, gateway: onGateway, bare: onBare, gatewayRssMb });
    }
  } finally {
    ledger.close();
    await gateway.stop();
    await bare.stop();
  }

  const hubResults = [];
  for (const batchSize of values['batch-sizes']!.split(',').map(Number)) {
    log(`bench: hub ingest, ${values.batches} batches of ${batchSize} events…`);
    hubResults.push(
      await benchHubIngest({
        hubUrl: hub.url,
        seed,
        hubProcessGroup: hub.process.child.pid!,
        batchSize,
        batches: Number(values.batches),
      }),
    );
  }
  const hubResult = hubResults[hubResults.length - 1]!;

  const heaviest = rows[rows.length - 1]!;
  const with100 = rows.find((row) => row.devices === 100) ?? heaviest;
  console.log(
    '\nGateway ingest (QoS 1, publish → PUBACK: the gateway acks only once the reading is in SQLite; ' +
      'publish → ledger: the reading processed, bench/ledger-watch.ts)',
  );
  console.log(
    'devices  offered/s  gateway/s  bare/s   ratio  gw p50 ms  gw p99 ms  bare p99 ms  ledger p50  ledger p99  gw RSS MB',
  );
  for (const row of rows) {
    console.log(
      [
        String(row.devices).padStart(7),
        fmt(row.gateway.offeredPerSec, 0).padStart(10),
        fmt(row.gateway.readingsPerSec, 0).padStart(10),
        fmt(row.bare.readingsPerSec, 0).padStart(7),
        fmt(row.gateway.readingsPerSec / row.bare.readingsPerSec, 2).padStart(7),
        fmt(row.gateway.p50Ms, 2).padStart(10),
        fmt(row.gateway.p99Ms, 2).padStart(10),
        fmt(row.bare.p99Ms, 2).padStart(12),
        fmt(row.gateway.ledger?.p50Ms ?? Number.NaN).padStart(11),
        fmt(row.gateway.ledger?.p99Ms ?? Number.NaN).padStart(11),
        fmt(row.gatewayRssMb, 0).padStart(10),
      ].join(' '),
    );
  }
  console.log('\nHub ingest (wrangler dev: workerd + local D1)');
  for (const result of hubResults)
    console.log(
      `batch ${result.batchSize}: ${fmt(result.eventsPerSec, 0)} events/s, ${fmt(result.msPerBatchP50)} ms per batch (p50), ` +
        `${fmt(result.cpuMsPerBatch)} CPU ms per batch in workerd`,
    );
  if (values.json) {
    console.log(
      JSON.stringify({
        devices: heaviest.devices,
        hz,
        gatewayReadingsPerSec: heaviest.gateway.readingsPerSec,
        bareAedesPerSec: heaviest.bare.readingsPerSec,
        ratio: heaviest.gateway.readingsPerSec / heaviest.bare.readingsPerSec,
        p50Ms: heaviest.gateway.p50Ms,
        p99Ms: heaviest.gateway.p99Ms,
        bareP99Ms: heaviest.bare.p99Ms,
        ledgerP99Ms: heaviest.gateway.ledger?.p99Ms,
        rssMb100Devices: with100.gatewayRssMb,
        hubEventsPerSec: hubResult.eventsPerSec,
        hubMsPerBatch: hubResult.msPerBatchP50,
        hubCpuMsPerBatch: hubResult.cpuMsPerBatch,
        rows,
        hubRows: hubResults,
      }),
    );
  }
} finally {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
}
