import type { BarFile } from './bar-file.ts';
import type { SimClock } from './clock.ts';
import { createRealtimeClock } from './realtime-clock.ts';
import { RunningBar, type OpenBarOptions } from './running-bar.ts';
import { planShift, type PlanOptions } from './scenario.ts';
import { buildShiftReport, type ShiftReport } from './shift-report.ts';
import type { ShiftAction } from './shift-action.ts';

/**
 * Playing a shift, and how acceleration works.
 *
 * A scale streams at its sample rate on the wall clock whatever the speed: 10 readings a second for an
 * HX711, each with the simulated time as `at`. `speed` only shortens the idle gaps between service rounds
 * (60× turns ten quiet minutes into ten seconds); lifting, pouring and putting a bottle back take their
 * physical time, transients and settling included, so the gateway's stability window sees exactly what it
 * would in a bar. A busy simulated hour therefore takes a little longer than 60 s at 60×: the rounds
 * themselves (a few seconds each) are not compressed. With a virtual clock (tests) no wall time passes at all
 * and the readings' `at` values are the ones a real-time run would give.
 */
export interface PlayShiftOptions extends Omit<PlanOptions, 'startAt'> {
  /** Idle gaps pass this many times faster. Default 1 (real time). */
  speed?: number;
  signal?: AbortSignal;
  /** Default a real-time clock at `speed`, starting now (or at `startAt`). */
  clock?: SimClock;
  /** Simulated start, epoch ms; default the clock's now. */
  startAt?: number;
  /** Called at each gesture, before its readings settle (a camera or POS simulator follows the shift here). */
  onAction?: (action: ShiftAction) => void;
  /** An already running bar (loop mode keeps the devices connected between shifts). */
  running?: RunningBar;
  /** For opening the bar when `running` is not given. */
  device?: Omit<OpenBarOptions, 'clock' | 'seed' | 'levelsMl'>;
}

/**
 * Plays one shift over MQTT and returns what happened. The report comes from the seeded plan, so it is
 * the same for a seed whatever the clock; playing checks the platforms end where the plan says.
 */
export async function playShift(bar: BarFile, options: PlayShiftOptions): Promise<ShiftReport> {
  const clock =
    options.running?.clock ??
    options.clock ??
    createRealtimeClock({
      speed: options.speed ?? 1,
      ...(options.startAt ? { startAt: options.startAt } : {}),
    });
  const running =
    options.running ??
    (await RunningBar.open(bar, {
      ...options.device,
      clock,
      seed: options.seed,
      ...(options.levelsMl ? { levelsMl: options.levelsMl } : {}),
    }));
  try {
    // The platforms are the truth: a running bar carries its levels from the previous shift.
    const levelsMl = running.levelsMl();
    const plan = planShift(bar, { ...options, startAt: clock.now(), levelsMl });
    const report = buildShiftReport(bar, plan);
    // Physical, not idle: the gateway needs settled readings of every bottle before the first gesture.
    await running.settle(options.signal);
    await perform(running, plan.actions, options);
    const tail = plan.endAt - clock.now();
    if (tail > 0)
      await clock.sleep(tail, { idle: true, ...(options.signal ? { signal: options.signal } : {}) });
    const actual = running.levelsMl();
    for (const [slot, level] of Object.entries(plan.endLevelsMl)) {
      if (actual[slot] !== level)
        throw new Error(`simulation drifted: ${slot} holds ${actual[slot]} ml, planned ${level} ml`);
    }
    return report;
  } finally {
    if (!options.running) await running.close();
  }
}

async function perform(
  running: RunningBar,
  actions: ShiftAction[],
  options: PlayShiftOptions,
): Promise<void> {
  const { clock } = running;
  const signal = options.signal ? { signal: options.signal } : {};
  let round = -1;
  for (const action of actions) {
    const gap = action.at - clock.now();
    // Between rounds nobody is at the bar: that gap is what `speed` shortens.
    if (gap > 0) await clock.sleep(gap, { idle: action.round !== round, ...signal });
    round = action.round;
    if (action.type === 'scan') {
      if (!running.scanner) throw new Error('the bar has no scanner');
      await running.scanner.scan(action.barcode, action.mode, action.quantity, action.reason);
    } else {
      const platform = running.scale(action.deviceId).platform(action.platform);
      if (action.type === 'lift') platform.lift();
      else if (action.type === 'pour') platform.pour(action.ml);
      else if (action.type === 'put-back') platform.putBack();
      else platform.replaceWithNewBottle();
    }
    options.onAction?.(action);
    await clock.sleep(action.durationMs, signal);
  }
}
