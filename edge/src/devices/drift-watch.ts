import type { WeightReading } from '@pourcast/protocol';

export interface DriftWatchOptions {
  /** Readings below this many grams (either sign) count as an empty platform (default 50, the lift threshold). */
  emptyBelowG?: number;
  /** An empty platform whose average strays further than this from 0 g has drifted (default 5). */
  toleranceG?: number;
  /** Empty readings the average needs before it is trusted (default 50: 5 s at 10 Hz). */
  minReadings?: number;
  /** Weight of each new empty reading in the moving average (default 0.02: about the last 50). */
  alpha?: number;
}

export interface PlatformDrift {
  platform: number;
  /** The empty platform's average reading (g); 0 when the scale holds its calibration. */
  emptyG: number;
  drifted: boolean;
  /** When the average first left the tolerance (ISO), null while within it. */
  since: string | null;
}

interface PlatformState {
  emptyG: number;
  readings: number;
  since: number | null;
}

/**
 * Zero drift: a tared, calibrated scale reads about 0 g with nothing on it. When the empty-platform
 * readings creep away (temperature, a load cell settling, something left on the platform), the scale
 * needs a recalibration; the devices list shows it until the next calibration resets the watch.
 */
export class DriftWatch {
  readonly #state = new Map<string, Map<number, PlatformState>>();
  readonly #emptyBelowG: number;
  readonly #toleranceG: number;
  readonly #minReadings: number;
  readonly #alpha: number;
  readonly #listeners = new Set<(deviceId: string) => void>();

  constructor(
    options: DriftWatchOptions = {},
    private readonly onDrift: (deviceId: string, drift: PlatformDrift) => void = () => {},
  ) {
    this.#emptyBelowG = options.emptyBelowG ?? 50;
    this.#toleranceG = options.toleranceG ?? 5;
    this.#minReadings = options.minReadings ?? 50;
    this.#alpha = options.alpha ?? 0.02;
  }

  observe(deviceId: string, reading: WeightReading, receivedAt = Date.now()): void {
    if (Math.abs(reading.grams) >= this.#emptyBelowG) return; // a bottle is on it: says nothing of zero
    let platforms = this.#state.get(deviceId);
    if (!platforms) this.#state.set(deviceId, (platforms = new Map()));
    const state = platforms.get(reading.platform) ?? { emptyG: reading.grams, readings: 0, since: null };
    state.emptyG =
      state.readings === 0 ? reading.grams : state.emptyG + this.#alpha * (reading.grams - state.emptyG);
    state.readings++;
    platforms.set(reading.platform, state);
    const drifted = state.readings >= this.#minReadings && Math.abs(state.emptyG) > this.#toleranceG;
    if (drifted && state.since === null) {
      state.since = receivedAt;
      this.onDrift(deviceId, this.#describe(reading.platform, state));
      this.#changed(deviceId);
    } else if (!drifted && state.since !== null && Math.abs(state.emptyG) <= this.#toleranceG / 2) {
      state.since = null; // back well within tolerance (re-tared on the device)
      this.#changed(deviceId);
    }
  }

  drift(deviceId: string): PlatformDrift[] {
    return [...(this.#state.get(deviceId) ?? new Map<number, PlatformState>())]
      .filter(([, state]) => state.readings >= this.#minReadings)
      .map(([platform, state]) => this.#describe(platform, state));
  }

  /** A new calibration: watch from scratch. */
  reset(deviceId: string): void {
    this.#state.delete(deviceId);
    this.#changed(deviceId);
  }

  /** Called with the device's id whenever a platform starts or stops being drifted; returns an unsubscribe. */
  onChange(listener: (deviceId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(deviceId: string): void {
    for (const listener of this.#listeners) listener(deviceId);
  }

  #describe(platform: number, state: PlatformState): PlatformDrift {
    return {
      platform,
      emptyG: Math.round(state.emptyG * 10) / 10,
      drifted: state.since !== null,
      since: state.since === null ? null : new Date(state.since).toISOString(),
    };
  }
}
