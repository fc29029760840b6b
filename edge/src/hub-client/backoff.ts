export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: the n-th retry waits a uniform random time in
 * [0, min(cap, base × 2^n)) (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015).
 */
export class Backoff {
  #attempt = 0;
  readonly #base: number;
  readonly #cap: number;
  readonly #random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.#base = options.baseMs ?? 1000;
    this.#cap = options.capMs ?? 300_000;
    this.#random = options.random ?? Math.random;
  }

  /** The ceiling of the next delay (before jitter). */
  get ceilingMs(): number {
    return Math.min(this.#cap, this.#base * 2 ** Math.min(this.#attempt, 30));
  }

  next(): number {
    const delay = Math.floor(this.#random() * this.ceilingMs);
    this.#attempt++;
    return delay;
  }

  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}
