import type { CountSource } from '../drivers/scale-hx711/scale-driver.ts';
import { COUNT_MAX, COUNT_MIN, type Hx711Conversion } from '../drivers/scale-hx711/hx711.ts';
import { createPrng, type Prng } from './prng.ts';

/** Raw counts of an HX711 at gain 128 on a 5 kg bar load cell, roughly: what the demo bar's scales read. */
export const LOAD_CELL_ZERO_COUNTS = 8_421;
export const LOAD_CELL_COUNTS_PER_GRAM = 419.7;

export interface SimulatedLoadCellOptions {
  /** Count with nothing on the platform (the cell's offset). */
  zeroCounts?: number;
  /** Counts per gram of load (the cell's sensitivity times the HX711 gain); negative when wired reversed. */
  countsPerGram?: number;
  /** Gaussian noise σ in counts (default 40, about 0.1 g). */
  noiseCounts?: number;
  /** Conversions per second: the HX711's RATE pin, 10 or 80 (default 10). */
  samplesPerSecond?: number;
  seed?: number;
  prng?: Prng;
}

/**
 * A load cell behind an HX711, in counts: zero + countsPerGram × load + creep + noise, one conversion per
 * 1/SPS seconds, clipped to the 24-bit range (saturated) like the chip. It knows nothing of grams after
 * that: the scale driver above it tares, calibrates and converts exactly as on a real board.
 */
export class SimulatedLoadCell implements CountSource {
  readonly zeroCounts: number;
  readonly countsPerGram: number;
  readonly noiseCounts: number;
  readonly periodMs: number;
  /** Grams standing on the platform. */
  loadG = 0;
  /** Zero drift, in grams' worth of counts (temperature, a settling cell). */
  creepG = 0;
  conversions = 0;
  readonly #prng: Prng;

  constructor(options: SimulatedLoadCellOptions = {}) {
    this.zeroCounts = options.zeroCounts ?? LOAD_CELL_ZERO_COUNTS;
    this.countsPerGram = options.countsPerGram ?? LOAD_CELL_COUNTS_PER_GRAM;
    this.noiseCounts = options.noiseCounts ?? 40;
    this.periodMs = 1000 / (options.samplesPerSecond ?? 10);
    this.#prng = options.prng ?? createPrng(options.seed ?? 1);
  }

  /** The count the chip would convert now. */
  count(): Hx711Conversion {
    const exact =
      this.zeroCounts +
      this.countsPerGram * (this.loadG + this.creepG) +
      this.noiseCounts * this.#prng.normal();
    const count = Math.round(exact);
    this.conversions++;
    if (count >= COUNT_MAX) return { count: COUNT_MAX, gain: 'A128', saturated: true };
    if (count <= COUNT_MIN) return { count: COUNT_MIN, gain: 'A128', saturated: true };
    return { count, gain: 'A128', saturated: false };
  }

  /** Waits one conversion period, as DOUT going low does on the chip, then reads. */
  async read(): Promise<Hx711Conversion> {
    await new Promise((resolve) => setTimeout(resolve, this.periodMs));
    return this.count();
  }
}

/** Applies one control line to the load cell; the answer line, or an error line. */
export function controlLoadCell(cell: SimulatedLoadCell, line: string): string {
  const [verb, amount, ...rest] = line.trim().split(/\s+/);
  const grams = Number(amount);
  if ((verb !== 'load' && verb !== 'creep') || rest.length > 0 || !Number.isFinite(grams) || amount === '')
    return `error: not a control line: ${JSON.stringify(line)} (load <grams> | creep <grams>)`;
  if (verb === 'load') {
    if (grams < 0) return 'error: load: grams must be 0 or more';
    cell.loadG = grams;
  } else cell.creepG = grams;
  return `ok ${verb} ${grams}`;
}
