/**
 * `npm run bench:rate [-- --hz 10 --start 25 --max 400 --seconds 8 --p99 50] [-- --soak-minutes 10]`
 * (--max stays within the 500 devices a gateway's configuration may hold.)
 * Finds the gateway's sustainable rate: the most scales × Hz before the p99 of publish → ledger exceeds the
 * target (the reading's events written and the reading gone from the inbox, watched from outside the
 * gateway: bench/ledger-watch.ts), by doubling the device count and then bisecting. Publish → PUBACK (the
 * reading committed to the SQLite inbox: publish → durable) is printed beside it, and bare aedes (its own
 * process, like the gateway) runs the same load at each step for comparison. With --soak-minutes, 100 scales run that long and the gateway's
 * RSS is sampled every 10 s: flat memory means the last samples sit at the first ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../scripts/lib/hub-process.ts';
import { seedDemoOnce } from '../scripts/lib/system.ts';
import { startBareAedes, startBenchGateway } from './gateway-ingest.ts';
import { LedgerWatch } from './ledger-watch.ts';
import { runScaleLoad, type LoadResult } from './mqtt-load.ts';
import { groupCpuMs, largestRssMb } from './proc-stats.ts';

const { values } = parseArgs({
  options: {
    hz: { type: 'string', default: '10' },
    start: { type: 'string', default: '25' },
    max: { type: 'string', default: '400' },
    seconds: { type: 'string', default: '8' },
    p99: { type: 'string', default: '50' },
    'soak-minutes': { type: 'string', default: '0' },
  },
});
const hz = Number(values.hz);
const targetP99 = Number(values.p99);
const durationMs = Number(values.seconds) * 1000;
const max = Number(values.max);
const log = (line: string) => process.stderr.write(`${line}\n`);

const dir = mkdtempSync(join(tmpdir(), 'pourcast-rate-'));
const hub = await startHub({ dataDir: join(dir, 'hub') });
try {
  const seed = await seedDemoOnce(hub.url, dir);
  const gateway = await startBenchGateway({ hubUrl: hub.url, seed, dir: join(dir, 'gw'), deviceCount: max });
  const bare = await startBareAedes();
  const ledger = new LedgerWatch(gateway.dbPath);
  const rows: Array<{ devices: number; gateway: LoadResult; bare: LoadResult }> = [];
  const step = async (count: number) => {
    log(`rate: ${count} scales × ${hz} Hz…`);
    const devices = gateway.devices.slice(0, count);
    const onGateway = await runScaleLoad({
      brokerUrl: gateway.mqttUrl,
      devices,
      hz,
      durationMs,
      ledger,
      brokerCpuMs: () => groupCpuMs(gateway.process.child.pid!),
    });
    const onBare = await runScaleLoad({
      brokerCpuMs: () => groupCpuMs(bare.process.child.pid!),
      brokerUrl: bare.mqttUrl,
      devices: devices.map(({ id }) => ({ id })),
      hz,
      durationMs,
    });
    rows.push({ devices: count, gateway: onGateway, bare: onBare });
    // Sustainable: p99 publish → ledger within the target, and every offered reading acknowledged at the
    // offered rate and seen reaching the ledger.
    const toLedger = onGateway.ledger!;
    return (
      toLedger.p99Ms <= targetP99 &&
      toLedger.unseen === 0 &&
      onGateway.readingsPerSec >= 0.95 * onGateway.offeredPerSec
    );
  };
  try {
    let good = 0;
    let bad = 0;
    for (let count = Number(values.start); count <= max; count *= 2) {
      if (await step(count)) good = count;
      else {
        bad = count;
        break;
      }
    }
    // Two bisection steps between the last good and the first bad count.
    for (let i = 0; i < 2 && bad > 0 && bad - good > 10; i++) {
      const mid = Math.round((good + bad) / 2);
      if (await step(mid)) good = mid;
      else bad = mid;
    }
    console.log(
      `\nSustainable rate (p99 publish → ledger ≤ ${targetP99} ms): ${good} scales × ${hz} Hz = ${good * hz} readings/s`,
    );
    console.log(
      'devices  gw/s  PUBACK p50  PUBACK p99  ledger p50  ledger p99  ledger max  unseen  gw CPU ms/reading  bare/s  bare p99  bare CPU ms/reading',
    );
    const ms = (n: number | undefined) => (n === undefined ? '–' : n.toFixed(1)).padStart(11);
    for (const row of rows.sort((a, b) => a.devices - b.devices))
      console.log(
        `${String(row.devices).padStart(7)} ${row.gateway.readingsPerSec.toFixed(0).padStart(5)} ` +
          `${ms(row.gateway.p50Ms)} ${ms(row.gateway.p99Ms)} ${ms(row.gateway.ledger?.p50Ms)} ${ms(row.gateway.ledger?.p99Ms)} ` +
          `${ms(row.gateway.ledger?.maxMs)} ${String(row.gateway.ledger?.unseen ?? '–').padStart(7)} ` +
          `${row.gateway.cpuMsPerReading?.toFixed(3).padStart(18)} ` +
          `${row.bare.readingsPerSec.toFixed(0).padStart(7)} ${row.bare.p99Ms.toFixed(1).padStart(9)} ` +
          `${row.bare.cpuMsPerReading?.toFixed(3).padStart(19)}`,
      );

    const soakMinutes = Number(values['soak-minutes']);
    if (soakMinutes > 0) {
      log(`rate: soak, 100 scales × ${hz} Hz for ${soakMinutes} min…`);
      const samples: number[] = [];
      const sampler = setInterval(() => samples.push(largestRssMb(gateway.process.child.pid!)), 10_000);
      const soak = await runScaleLoad({
        brokerUrl: gateway.mqttUrl,
        devices: gateway.devices.slice(0, 100),
        hz,
        durationMs: soakMinutes * 60_000,
        ledger,
      });
      clearInterval(sampler);
      const head = samples.slice(0, 3);
      const tail = samples.slice(-3);
      console.log(
        `\nSoak ${soakMinutes} min: ${soak.acked} readings, PUBACK p50 ${soak.p50Ms.toFixed(1)} ms, p99 ${soak.p99Ms.toFixed(1)} ms, ` +
          `ledger p50 ${soak.ledger?.p50Ms.toFixed(1)} ms, p99 ${soak.ledger?.p99Ms.toFixed(1)} ms (${soak.ledger?.unseen} unseen); ` +
          `RSS MB first ${head.join('/')} last ${tail.join('/')} max ${Math.max(...samples)}`,
      );
    }
  } finally {
    ledger.close();
    await gateway.stop();
    await bare.stop();
  }
} finally {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
}
