import { scalePipelineSettingsSchema, type ScalePipelineSettings } from '@pourcast/protocol';
import { getScaleDefinition } from '../definitions/registry.ts';
import type { BarFile, BarScale } from './bar-file.ts';
import { createPrng, type Prng } from './prng.ts';
import {
  LIFT_TRANSIENT_READINGS,
  PUT_DOWN_TRANSIENT_READINGS,
  pourDurationMs,
  settleMs,
} from './scale-simulator.ts';
import type { WasteReason } from './scanner-simulator.ts';
import { slotKey, type ShiftAction } from './shift-action.ts';

/**
 * A shift as steps (what the bar staff set out to do, in minutes from the start), resolved against the
 * bottles' levels into gestures (ShiftAction). Pure and seeded: the same bar, seed and options give the same
 * actions, whatever the clock.
 */
export type ShiftStep =
  /** Lift a bottle, pour these measures, put it back; a bottle that runs dry is replaced by a sealed one. */
  | {
      type: 'serve';
      atMin: number;
      deviceId: string;
      platform?: number;
      measuresMl: number[];
      /** What the POS rings up for each measure; default the nominal measure it was meant as. */
      soldMl?: number[];
    }
  /** Lift a bottle and swap it for a sealed one (what is left in the old one goes with it). */
  | { type: 'replace'; atMin: number; deviceId: string; platform?: number }
  | { type: 'receive'; atMin: number; barcode: string; quantity: number }
  | { type: 'waste'; atMin: number; barcode: string; quantity?: number; reason?: WasteReason };

export const MEASURES_ML = [25, 30, 45, 60] as const;

export interface PlanOptions {
  seed: number;
  /** Simulated epoch ms of the shift's start. */
  startAt: number;
  /** Default 240 (a four-hour shift). */
  durationMin?: number;
  /** A number of service rounds, spread at random; or a script of steps played as given. */
  actions?: number | ShiftStep[];
  /** Service rounds per hour when `actions` is not given. Default 30. */
  roundsPerHour?: number;
  /** Share of measures poured freehand, a few ml over. Default 0.15. */
  freePourShare?: number;
  /** Levels at the start by `deviceId/platform` (a shift that follows another); default the bar file's. */
  levelsMl?: Record<string, number>;
  /** The gateway's scale settings the expectations must hold for; default the protocol defaults. */
  pipeline?: ScalePipelineSettings;
  /** A heavy hand: every measure poured from these slots (`deviceId/platform`) is `factor` × the measure rung up. */
  overpour?: { slots: readonly string[]; factor: number };
  /**
   * A bottle that runs dry mid-measure is swapped and the measure finished from the new one (a bar with a
   * POS: the drink is served and rung up whole). Default false: the measure stays short.
   */
  finishDryPours?: boolean;
}

/** The menu measure a pour was meant as: the largest nominal measure not above it (a free pour is a few ml over). */
export function nominalMeasure(ml: number): number {
  return [...MEASURES_ML].reverse().find((m) => m <= ml) ?? ml;
}

export interface ShiftPlan {
  seed: number;
  startAt: number;
  endAt: number;
  steps: ShiftStep[];
  actions: ShiftAction[];
  startLevelsMl: Record<string, number>;
  endLevelsMl: Record<string, number>;
}

const SCAN_MS = 1_500;
const GAP_BETWEEN_ROUNDS_MS = 2_000;

/** Random steps for a shift: service rounds (Poisson arrivals), a delivery midway, one breakage. */
export function randomSteps(
  bar: BarFile,
  prng: Prng,
  options: Required<Pick<PlanOptions, 'durationMin' | 'roundsPerHour' | 'freePourShare'>> & {
    rounds?: number;
    overpour?: PlanOptions['overpour'];
  },
): ShiftStep[] {
  const { durationMin } = options;
  const times: number[] = [];
  if (options.rounds !== undefined) {
    for (let i = 0; i < options.rounds; i++) times.push(prng.next() * durationMin);
    times.sort((a, b) => a - b);
  } else {
    for (
      let t = prng.exponential(60 / options.roundsPerHour);
      t < durationMin;
      t += prng.exponential(60 / options.roundsPerHour)
    )
      times.push(t);
  }
  const steps: ShiftStep[] = times.map((atMin) => {
    const scale = prng.pick(bar.scales);
    const measure = prng.pick(MEASURES_ML);
    const count = prng.int(1, 3);
    const measuresMl = Array.from({ length: count }, () =>
      // 1-4 ml over never lands on another nominal measure, so a free pour stays recognisable.
      prng.chance(options.freePourShare) ? measure + prng.int(1, 4) : measure,
    );
    const step = { type: 'serve' as const, atMin, deviceId: scale.deviceId, platform: scale.platform };
    const heavy = options.overpour?.slots.includes(slotKey(scale.deviceId, scale.platform));
    if (!heavy) return { ...step, measuresMl };
    const soldMl = measuresMl.map(nominalMeasure);
    return { ...step, measuresMl: soldMl.map((ml) => Math.round(ml * options.overpour!.factor)), soldMl };
  });
  if (bar.scanner) {
    const deliveryAt = durationMin / 2 + (prng.next() - 0.5) * (durationMin / 10);
    bar.deliveries.forEach((delivery, i) =>
      steps.push({
        type: 'receive',
        atMin: deliveryAt + i / 60,
        barcode: delivery.barcode,
        quantity: delivery.quantity,
      }),
    );
    const barcodes = bar.deliveries.length
      ? bar.deliveries.map((d) => d.barcode)
      : bar.scales.map((s) => s.item.barcodes[0]!);
    steps.push({
      type: 'waste',
      atMin: durationMin * (0.1 + 0.8 * prng.next()),
      barcode: prng.pick(barcodes),
      quantity: 1,
      reason: 'breakage',
    });
  }
  return steps.sort((a, b) => a.atMin - b.atMin);
}

/** Plans a shift: random or scripted steps, resolved into gestures with their simulated times. */
export function planShift(bar: BarFile, options: PlanOptions): ShiftPlan {
  const durationMin = options.durationMin ?? 240;
  if (!(durationMin > 0)) throw new RangeError('durationMin must be positive');
  const prng = createPrng(options.seed).fork('scenario');
  const steps = Array.isArray(options.actions)
    ? [...options.actions].sort((a, b) => a.atMin - b.atMin)
    : randomSteps(bar, prng, {
        durationMin,
        roundsPerHour: options.roundsPerHour ?? 30,
        freePourShare: options.freePourShare ?? 0.15,
        ...(typeof options.actions === 'number' ? { rounds: options.actions } : {}),
        ...(options.overpour ? { overpour: options.overpour } : {}),
      });
  const pipeline = options.pipeline ?? scalePipelineSettingsSchema.parse({});
  const resolver = new StepResolver(
    bar,
    options.startAt,
    options.levelsMl,
    pipeline,
    options.finishDryPours ?? false,
  );
  for (const step of steps) resolver.resolve(step);
  return {
    seed: options.seed,
    startAt: options.startAt,
    endAt: Math.max(options.startAt + Math.round(durationMin * 60_000), resolver.freeAt),
    steps,
    actions: resolver.actions,
    startLevelsMl: resolver.startLevels,
    endLevelsMl: { ...resolver.levels },
  };
}

class StepResolver {
  readonly actions: ShiftAction[] = [];
  readonly levels: Record<string, number> = {};
  readonly startLevels: Record<string, number>;
  /** When the staff are free for the next round (rounds never overlap). */
  freeAt: number;
  #round = 0;

  constructor(
    private readonly bar: BarFile,
    private readonly startAt: number,
    levelsMl: Record<string, number> | undefined,
    private readonly pipeline: ScalePipelineSettings,
    private readonly finishDryPours: boolean,
  ) {
    for (const scale of bar.scales) {
      const key = slotKey(scale.deviceId, scale.platform);
      this.levels[key] = levelsMl?.[key] ?? scale.initialLevelMl;
    }
    this.startLevels = { ...this.levels };
    // The gateway needs the first settled readings before anything moves.
    this.freeAt = startAt + Math.max(...bar.scales.map((s) => settleMs(0, this.#interval(s))));
  }

  resolve(step: ShiftStep): void {
    const at = Math.max(this.startAt + Math.round(step.atMin * 60_000), this.freeAt);
    const round = this.#round++;
    let t = at;
    const push = (action: ShiftAction) => {
      this.actions.push(action);
      t += action.durationMs;
    };
    if (step.type === 'receive' || step.type === 'waste') {
      const item = this.#itemByBarcode(step.barcode);
      const deviceId = this.bar.scanner?.deviceId;
      if (!deviceId)
        throw new Error(`step at ${step.atMin} min scans ${step.barcode} but the bar has no scanner`);
      push({
        type: 'scan',
        at: t,
        durationMs: SCAN_MS,
        round,
        deviceId,
        barcode: step.barcode,
        itemId: item.id,
        mode: step.type,
        quantity: step.quantity ?? 1,
        ...(step.type === 'waste' ? { reason: step.reason ?? 'breakage' } : {}),
      });
    } else {
      const scale = this.#scale(step.deviceId, step.platform ?? 0);
      const { item } = scale;
      const key = slotKey(scale.deviceId, scale.platform);
      const interval = this.#interval(scale);
      const where = { round, deviceId: scale.deviceId, platform: scale.platform, itemId: item.id };
      let level = this.levels[key]!;
      push({
        type: 'lift',
        at: t,
        durationMs: settleMs(LIFT_TRANSIENT_READINGS, interval),
        ...where,
        levelMl: level,
      });
      let dry = step.type === 'replace';
      if (step.type === 'replace' && level >= this.pipeline.fullBottleShare * item.containerMl)
        throw new Error(
          `replace at ${step.atMin} min: a bottle at ${level} ml looks sealed to the gateway; nothing to replace`,
        );
      let unfinished: { ml: number; soldMl: number } | undefined;
      const measures = step.type === 'serve' ? step.measuresMl : [];
      for (const [index, measureMl] of measures.entries()) {
        const soldMl = step.type === 'serve' ? (step.soldMl?.[index] ?? nominalMeasure(measureMl)) : 0;
        if (!Number.isInteger(measureMl) || measureMl < this.pipeline.minPourMl)
          throw new Error(
            `serve at ${step.atMin} min: a measure must be a whole number of ml ≥ ${this.pipeline.minPourMl}`,
          );
        if (level === 0) {
          dry = true;
          break;
        }
        const ml = Math.min(measureMl, level);
        const nominal = MEASURES_ML.includes(measureMl as (typeof MEASURES_ML)[number]);
        level -= ml;
        push({
          type: 'pour',
          at: t,
          durationMs: pourDurationMs(ml, interval),
          ...where,
          ml,
          measureMl,
          free: !nominal,
          levelAfterMl: level,
          ...(ml === measureMl ? { soldMl } : {}),
        });
        if (ml < measureMl) unfinished = { ml: measureMl - ml, soldMl };
        if (ml < measureMl || level === 0) {
          dry = true;
          break;
        }
      }
      const putDownMs = settleMs(PUT_DOWN_TRANSIENT_READINGS, interval);
      if (dry) {
        push({
          type: 'replace-bottle',
          at: t,
          durationMs: putDownMs,
          ...where,
          removedLevelMl: level,
          levelMl: item.containerMl,
        });
        level = item.containerMl;
        if (unfinished && this.finishDryPours && unfinished.ml >= this.pipeline.minPourMl) {
          // The rest of the measure from the new bottle: lift it, pour, put it back.
          push({
            type: 'lift',
            at: t,
            durationMs: settleMs(LIFT_TRANSIENT_READINGS, interval),
            ...where,
            levelMl: level,
          });
          level -= unfinished.ml;
          push({
            type: 'pour',
            at: t,
            durationMs: pourDurationMs(unfinished.ml, interval),
            ...where,
            ml: unfinished.ml,
            measureMl: unfinished.ml,
            free: false,
            levelAfterMl: level,
            soldMl: unfinished.soldMl,
          });
          push({ type: 'put-back', at: t, durationMs: putDownMs, ...where, levelMl: level });
        }
      } else {
        push({ type: 'put-back', at: t, durationMs: putDownMs, ...where, levelMl: level });
      }
      this.levels[key] = level;
    }
    this.freeAt = t + GAP_BETWEEN_ROUNDS_MS;
  }

  #scale(deviceId: string, platform: number): BarScale {
    const scale = this.bar.scales.find((s) => s.deviceId === deviceId && s.platform === platform);
    if (!scale) throw new Error(`no bottle on ${slotKey(deviceId, platform)} in the bar file`);
    return scale;
  }

  #itemByBarcode(barcode: string) {
    const scale = this.bar.scales.find((s) => s.item.barcodes.includes(barcode));
    if (!scale) throw new Error(`barcode ${barcode} is not an item of the bar`);
    return scale.item;
  }

  #interval(scale: BarScale): number {
    const model = this.bar.devices.find((d) => d.deviceId === scale.deviceId)!.model;
    return 1000 / getScaleDefinition(model).scale.sampleHz;
  }
}
