/**
 * Load-cell counts are noisy and now and then wild (a knock on the bar, a glass set down hard, a bit
 * slipped on the wire). A window's median with MAD rejection keeps the honest samples and averages them.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface FilteredValue {
  value: number;
  kept: number;
  rejected: number;
}

/**
 * Drops samples whose modified z-score 0.6745·|x − median| / MAD exceeds `threshold` (3.5, after
 * Iglewicz and Hoaglin), then averages the rest. With MAD 0 (more than half the samples equal) only
 * samples equal to the median are kept.
 */
export function rejectOutliers(samples: readonly number[], threshold = 3.5): FilteredValue {
  const center = median(samples);
  const mad = median(samples.map((x) => Math.abs(x - center)));
  const kept =
    mad === 0
      ? samples.filter((x) => x === center)
      : samples.filter((x) => (0.6745 * Math.abs(x - center)) / mad <= threshold);
  const value = kept.reduce((sum, x) => sum + x, 0) / kept.length;
  return { value, kept: kept.length, rejected: samples.length - kept.length };
}

/** The last `size` samples, oldest dropped first. */
export class SampleWindow {
  private readonly samples: number[] = [];
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('window size must be a positive integer');
  }
  push(sample: number): void {
    this.samples.push(sample);
    if (this.samples.length > this.size) this.samples.shift();
  }
  get length(): number {
    return this.samples.length;
  }
  get full(): boolean {
    return this.samples.length === this.size;
  }
  values(): readonly number[] {
    return this.samples;
  }
  clear(): void {
    this.samples.length = 0;
  }
  /** The filtered value of the window, or undefined while it is not yet full. */
  filtered(threshold?: number): FilteredValue | undefined {
    return this.full ? rejectOutliers(this.samples, threshold) : undefined;
  }
}
