/**
 * `npm run bench:rate [-- --hz 10 --start 25 --max 800 --seconds 8 --p99 50] [-- --soak-minutes 10]`
 * Finds the gateway's sustainable rate: the most scales × Hz before the p99 of publish → PUBACK exceeds the
 * target (a PUBACK means the reading is committed to the SQLite inbox, so this is publish → durable), by
 * doubling the device count and then bisecting; bare aedes (its own process, like the gateway) runs the
 * same load at each step for comparison. With --soak-minutes, 100 scales run that long and the gateway's
 * RSS is sampled every 10 s: flat memory means the last samples sit at the first ones.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../scripts/lib/hub-process.ts';
import { seedDemoOnce } from '../scripts/lib/system.ts';
import { startBareAedes, startBenchGateway } from './gateway-ingest.ts';
import { runScaleLoad, type LoadResult } from './mqtt-load.ts';
import { largestRssMb } from './proc-stats.ts';

const { values } = parseArgs({
  options: {
    hz: { type: 'string', default: '10' },
    start: { type: 'string', default: '25' },
    max: { type: 'string', default: '800' },
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
  const rows: Array<{ devices: number; gateway: LoadResult; bare: LoadResult }> = [];
  const step = async (count: number) => {
    log(`rate: ${count} scales × ${hz} Hz…`);
    const devices = gateway.devices.slice(0, count);
    const onGateway = await runScaleLoad({ brokerUrl: gateway.mqttUrl, devices, hz, durationMs });
    const onBare = await runScaleLoad({
      brokerUrl: bare.mqttUrl,
      devices: devices.map(({ id }) => ({ id })),
      hz,
      durationMs,
    });
    rows.push({ devices: count, gateway: onGateway, bare: onBare });
    // Sustainable: p99 within the target and every offered reading acknowledged at the offered rate.
    return onGateway.p99Ms <= targetP99 && onGateway.readingsPerSec >= 0.95 * onGateway.offeredPerSec;
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
      `\nSustainable rate (p99 publish → PUBACK ≤ ${targetP99} ms): ${good} scales × ${hz} Hz = ${good * hz} readings/s`,
    );
    console.log('devices  gw/s   gw p50  gw p99   bare/s  bare p99');
    for (const row of rows.sort((a, b) => a.devices - b.devices))
      console.log(
        `${String(row.devices).padStart(7)} ${row.gateway.readingsPerSec.toFixed(0).padStart(6)} ${row.gateway.p50Ms.toFixed(1).padStart(7)} ` +
          `${row.gateway.p99Ms.toFixed(1).padStart(7)} ${row.bare.readingsPerSec.toFixed(0).padStart(8)} ${row.bare.p99Ms.toFixed(1).padStart(9)}`,
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
      });
      clearInterval(sampler);
      const head = samples.slice(0, 3);
      const tail = samples.slice(-3);
      console.log(
        `\nSoak ${soakMinutes} min: ${soak.acked} readings, p50 ${soak.p50Ms.toFixed(1)} ms, p99 ${soak.p99Ms.toFixed(1)} ms; ` +
          `RSS MB first ${head.join('/')} last ${tail.join('/')} max ${Math.max(...samples)}`,
      );
    }
  } finally {
    await gateway.stop();
    await bare.stop();
  }
} finally {
  await hub.stop();
  rmSync(dir, { recursive: true, force: true });
}
