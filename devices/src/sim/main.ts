import { appendFile } from 'node:fs/promises';
import { stderrDeviceLog } from '../link/device-log.ts';
import { BarFileError, loadBarFile } from './bar-file.ts';
import { startCameraFollower, type CameraFollower } from './camera-follower.ts';
import { SIM_USAGE, parseSimArgs } from './cli-args.ts';
import { createRealtimeClock } from './realtime-clock.ts';
import { RunningBar } from './running-bar.ts';
import { playShift } from './shift.ts';
import { describeAction } from './shift-action.ts';
import { loadPosFile } from './pos/pos-file.ts';
import { TabitSimulator } from './pos/tabit-simulator.ts';
import type { ShiftReport } from './shift-report.ts';

/** `tsx devices/src/sim/main.ts --bar data/bar/sim.json --seed 42 --speed 60 [--loop]` — see SIM_USAGE. */
async function main(argv: string[]): Promise<number> {
  const parsed = parseSimArgs(argv);
  if (parsed.help) {
    process.stdout.write(`${SIM_USAGE}\n`);
    return 0;
  }
  if ('errors' in parsed) {
    process.stderr.write(`${parsed.errors.join('\n')}\n\n${SIM_USAGE}\n`);
    return 2;
  }
  const { args } = parsed;
  let bar;
  try {
    bar = await loadBarFile(args.bar);
  } catch (error) {
    if (!(error instanceof BarFileError)) throw error;
    process.stderr.write(`${args.bar} is not a valid bar file:\n${error.details.join('\n')}\n`);
    return 2;
  }

  const controller = new AbortController();
  const stop = (signal: string) => {
    if (controller.signal.aborted) return;
    process.stderr.write(`${signal}: closing the bar\n`);
    controller.abort(new Error(signal));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  const log = stderrDeviceLog('sim');
  const posFile = args.pos ? await loadPosFile(args.pos) : undefined;
  const pos = posFile
    ? new TabitSimulator({ pos: posFile, log: (line) => process.stderr.write(`${line}\n`) })
    : undefined;
  const clock = createRealtimeClock({
    speed: args.speed,
    ...(args.startAt !== undefined ? { startAt: args.startAt } : {}),
  });
  const running = await RunningBar.open(bar, {
    clock,
    seed: args.seed,
    log,
    ...(args.noiseSigmaG !== undefined ? { noiseSigmaG: args.noiseSigmaG } : {}),
  });
  let camera: CameraFollower | undefined;
  try {
    // The shelf camera films the scales' bottles by the wall clock, whatever the shift's speed.
    if (bar.camera) camera = await startCameraFollower({ bar, running, seed: args.seed, log });
  } catch (error) {
    await running.close();
    throw error;
  }
  log(
    'info',
    `${running.devices.size + (camera ? 1 : 0)} devices online; playing at ${args.speed}× (seed ${args.seed})`,
  );
  try {
    for (let shift = 0; shift === 0 || args.loop; shift++) {
      const report = await playShift(bar, {
        seed: args.seed + shift,
        durationMin: args.durationMin,
        roundsPerHour: args.roundsPerHour,
        running,
        signal: controller.signal,
        ...(posFile ? { finishDryPours: true } : {}),
        ...(posFile?.overpour ? { overpour: posFile.overpour } : {}),
        onAction: (action) => {
          if (!args.quiet) process.stdout.write(`${describeAction(action)}\n`);
          pos?.onAction(action);
        },
      });
      if (pos) {
        await pos.flush();
        const c = pos.counts;
        process.stdout.write(
          `pos: ${c.checks} checks (${c.lines} drinks) sent to the hub, ${c.failed} refused\n`,
        );
      }
      process.stdout.write(`${summary(shift, report)}\n`);
      if (args.report) await appendFile(args.report, `${JSON.stringify(report)}\n`, { mode: 0o600 });
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    await camera?.close();
    await running.close();
  }
  return 0;
}

function summary(shift: number, report: ShiftReport): string {
  const c = report.counts;
  const deltas = Object.entries(report.expectedDeltaMlByItem)
    .map(
      ([item, ml]) =>
        `${item} ${ml >= 0 ? '+' : ''}${ml} ml (${report.expectedContainersDeltaByItem[item]} sealed)`,
    )
    .join(', ');
  return `shift ${shift + 1} (seed ${report.seed}) done: ${c.rounds} rounds, ${c.pours} pours (${c.pouredMl} ml, ${c.freePours} free), ${c.bottlesReplaced} bottles replaced, ${c.receivedContainers} received, ${c.wastedContainers} wasted; expected ${deltas}`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sim failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
