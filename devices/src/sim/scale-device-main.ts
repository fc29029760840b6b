#!/usr/bin/env -S npx tsx
import { createInterface } from 'node:readline';
import { MqttDevice } from '../mqtt-device.ts';
import {
  COMMON_OPTIONS,
  COMMON_USAGE,
  loadBundle,
  mqttOption,
  numberOption,
  parseDriverArgs,
  requiredText,
  runDriverProgram,
} from '../drivers/cli/driver-cli.ts';
import { driverSessionOptions } from '../drivers/cli/driver-session.ts';
import { ScaleDriver } from '../drivers/scale-hx711/scale-driver.ts';
import {
  controlLoadCell,
  LOAD_CELL_COUNTS_PER_GRAM,
  LOAD_CELL_ZERO_COUNTS,
  SimulatedLoadCell,
} from './load-cell.ts';

const SIM_SCALE_USAGE = `One simulated load-cell scale, for trying a bar's set-up without hardware: the HX711 scale driver
(tare, calibrate, filtering, the calibration the gateway pushes) over a simulated load cell in raw counts.

usage: tsx devices/src/sim/scale-device-main.ts --bundle <file> [options]

${COMMON_USAGE}
  --zero <counts>          the load cell's count with nothing on it (default ${LOAD_CELL_ZERO_COUNTS})
  --counts-per-gram <n>    its sensitivity in counts per gram (default ${LOAD_CELL_COUNTS_PER_GRAM})
  --noise <counts>         Gaussian noise σ in counts (default 40)
  --rate 10|80             conversions per second (default 10)
  --seed <n>               noise seed (default 1)

Control, one line at a time on stdin (each answered on stdout once the load cell feels it):
  load <grams>             what stands on the platform now (0: empty); e.g. a 500 g calibration weight
  creep <grams>            the cell's zero drifts by this much (temperature, settling)
End of stdin, SIGINT or SIGTERM stops the scale.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  zero: { type: 'string' },
  'counts-per-gram': { type: 'string' },
  noise: { type: 'string' },
  rate: { type: 'string' },
  seed: { type: 'string' },
} as const;

async function start(argv: string[], requestStop: () => void): Promise<() => Promise<void>> {
  const values = parseDriverArgs(argv, OPTIONS);
  const bundle = await loadBundle(requiredText(values, 'bundle'), 'scale');
  const rate = numberOption(values, 'rate', { min: 10, max: 80, integer: true, fallback: 10 })!;
  const cell = new SimulatedLoadCell({
    zeroCounts: numberOption(values, 'zero', { min: -0x800000, max: 0x7fffff }),
    countsPerGram: numberOption(values, 'counts-per-gram', { min: -1e6, max: 1e6 }),
    noiseCounts: numberOption(values, 'noise', { min: 0, max: 100_000 }),
    samplesPerSecond: rate === 80 ? 80 : 10,
    seed: numberOption(values, 'seed', { min: 0, max: 2 ** 32 - 1, integer: true }),
  });
  const session = driverSessionOptions(bundle, mqttOption(values), 'pourcast-sim-scale');
  const device = await MqttDevice.connect(session);
  const driver = new ScaleDriver({
    device,
    source: cell,
    sampleHz: session.definition?.scale?.sampleHz ?? 10,
    log: session.log,
  });
  driver.start();
  session.log('info', `simulated load cell → ${bundle.brokerUrl}; control lines on stdin`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const answer = controlLoadCell(cell, line);
    // A fresh conversion must have happened after the change before the caller relies on it.
    const after = cell.conversions;
    const tell = () =>
      cell.conversions > after ? process.stdout.write(`${answer}\n`) : setTimeout(tell, cell.periodMs);
    tell();
  });
  lines.on('close', requestStop);
  return async () => {
    lines.close();
    await driver.stop();
    await device.close();
  };
}

await runDriverProgram(process.argv.slice(2), SIM_SCALE_USAGE, start);
