import type { WeightReading } from '@pourcast/protocol';
import type { ScaleDefinition } from '../definitions/definition.ts';
import { silentDeviceLog, type DeviceLog } from '../link/device-log.ts';
import type { MqttDevice } from '../mqtt-device.ts';
import type { SimClock } from './clock.ts';
import type { Prng } from './prng.ts';
import { LOAD_CELL_COUNTS_PER_GRAM, LOAD_CELL_ZERO_COUNTS } from './load-cell.ts';
import { PlatformModel, type Bottle, type SimItem } from './scale-physics.ts';

/** Where readings go: usually MqttDevice.publish('weight', …). */
export type WeightSink = (reading: WeightReading) => Promise<void>;

export interface ScaleSimulatorOptions {
  deviceId: string;
  definition: ScaleDefinition;
  clock: SimClock;
  prng: Prng;
  send: WeightSink;
  /** Noise σ in grams; default the definition's (0.2 g for the HX711 bottle scale). */
  noiseSigmaG?: number;
  log?: DeviceLog;
}

/** Readings to wait after a transient before a platform counts as settled (the gateway needs 5 by default). */
export const SETTLE_READINGS = 8;
/** Lengths of the transients in scale-physics.ts. */
export const LIFT_TRANSIENT_READINGS = 2;
export const PUT_DOWN_TRANSIENT_READINGS = 4;

/** Time for a transient of `transientReadings` readings plus SETTLE_READINGS settled ones. */
export function settleMs(transientReadings: number, readingIntervalMs: number): number {
  return Math.ceil((transientReadings + SETTLE_READINGS) * readingIntervalMs);
}

/**
 * A simulated scale device: one PlatformModel per platform, a reading per platform at the sample rate
 * (one `weight` message each, device-side `seq` and `at`), and the bartender's gestures, each of which
 * waits until the platform has settled.
 */
export class ScaleSimulator {
  readonly deviceId: string;
  readonly definition: ScaleDefinition;
  readonly platforms: PlatformModel[];
  readingsSent = 0;
  readingsLost = 0;
  #seq = 0;
  #sampleHz: number;
  #stopTicking: (() => void) | undefined;
  readonly #options: ScaleSimulatorOptions;
  readonly #log: DeviceLog;

  constructor(options: ScaleSimulatorOptions) {
    this.#options = options;
    this.deviceId = options.deviceId;
    this.definition = options.definition;
    this.#sampleHz = options.definition.scale.sampleHz;
    this.#log = options.log ?? silentDeviceLog;
    this.platforms = Array.from(
      { length: options.definition.scale.platforms },
      (_, i) =>
        new PlatformModel(options.definition.scale, options.prng.fork(`platform-${i}`), options.noiseSigmaG),
    );
  }

  get sampleHz(): number {
    return this.#sampleHz;
  }

  get readingIntervalMs(): number {
    return 1000 / this.#sampleHz;
  }

  platform(index: number): PlatformModel {
    const platform = this.platforms[index];
    if (!platform) throw new RangeError(`${this.deviceId} has no platform ${index}`);
    return platform;
  }

  /** Starts the reading stream. */
  start(): void {
    this.#stopTicking?.();
    this.#stopTicking = this.#options.clock.every(this.readingIntervalMs, () => this.tick());
  }

  stop(): void {
    this.#stopTicking?.();
    this.#stopTicking = undefined;
  }

  /** Changes the sample rate (a config push); the stream restarts at the new rate. */
  setSampleHz(hz: number): void {
    this.#sampleHz = hz;
    if (this.#stopTicking) this.start();
  }

  /** One reading per platform, now. */
  async tick(): Promise<void> {
    const at = this.#options.clock.now();
    for (let platform = 0; platform < this.platforms.length; platform++) {
      const reading: WeightReading = {
        seq: this.#seq++,
        at,
        grams: this.platforms[platform]!.read(),
        platform,
      };
      try {
        await this.#options.send(reading);
        this.readingsSent++;
      } catch (error) {
        this.readingsLost++;
        this.#log('warn', `reading ${reading.seq} lost: ${(error as Error).message}`);
      }
    }
  }

  /** Puts a bottle on a platform at start-up (no gesture, no transient). */
  place(platform: number, bottle: Bottle): void {
    this.platform(platform).place(bottle);
  }

  async lift(platform = 0, options: { durationMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    this.platform(platform).lift();
    await this.#settle(platform, options);
  }

  /** Pours from the lifted bottle at about 25 ml/s (a speed pourer), at least one reading long. */
  async pour(
    ml: number,
    platform = 0,
    options: { durationMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    this.platform(platform).pour(ml);
    const durationMs = options.durationMs ?? pourDurationMs(ml, this.readingIntervalMs);
    await this.#options.clock.sleep(durationMs, { signal: options.signal });
  }

  async putBack(platform = 0, options: { durationMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    this.platform(platform).putBack();
    await this.#settle(platform, options);
  }

  async replaceWithNewBottle(
    platform = 0,
    options: { item?: SimItem; durationMs?: number; signal?: AbortSignal } = {},
  ): Promise<void> {
    this.platform(platform).replaceWithNewBottle(options.item);
    await this.#settle(platform, options);
  }

  /** The `tare` command: every platform reads zero with what stands on it now. */
  tare(): { tareG: number[] } {
    for (const platform of this.platforms) platform.tare();
    return { tareG: this.platforms.map((p) => p.tareG) };
  }

  async #settle(platform: number, options: { durationMs?: number; signal?: AbortSignal }): Promise<void> {
    const durationMs =
      options.durationMs ?? settleMs(this.platform(platform).transientLeft, this.readingIntervalMs);
    await this.#options.clock.sleep(durationMs, { signal: options.signal });
  }
}

/** About 25 ml/s through a speed pourer, rounded up to whole readings. */
export function pourDurationMs(ml: number, readingIntervalMs: number): number {
  return Math.max(1, Math.ceil(ml / 25 / (readingIntervalMs / 1000))) * readingIntervalMs;
}

/** Wires a scale simulator to its MQTT device: readings out, sampleHz config and tare/calibrate commands in. */
export function attachScaleToDevice(scale: ScaleSimulator, device: MqttDevice): void {
  device.onConfig((config) => {
    if (config.sampleHz !== undefined) scale.setSampleHz(config.sampleHz);
  });
  // What an HX711 would count for the load on platform 0: an offset plus counts per gram of gross weight,
  // so the gateway's two-weight calibration computes offset and factor from the answers as on real hardware.
  const rawCount = () => {
    const platform = scale.platform(0);
    return Math.round(LOAD_CELL_ZERO_COUNTS + LOAD_CELL_COUNTS_PER_GRAM * (platform.read() + platform.tareG));
  };
  device.onCommand((command) => {
    if (command.command === 'tare') {
      const raw = rawCount();
      return { raw, ...scale.tare() };
    }
    if (command.command === 'calibrate') {
      const measuredG = scale.platform(0).read();
      return { raw: rawCount(), knownGrams: command.knownGrams, measuredG };
    }
    throw new Error(`${command.command} is not supported by a scale`);
  });
}
