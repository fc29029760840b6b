/** Reconnect delays: exponential with full jitter, capped, reset after a successful connection. */
export interface BackoffOptions {
  /** First delay, ms. Default 500. */
  initialMs?: number;
  /** Largest delay, ms. Default 30,000. */
  maxMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /** 0..1 share of the delay that is randomised (spreads a bar's devices after a gateway restart). Default 0.5. */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  #attempt = 0;
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 500;
    this.#maxMs = options.maxMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 0.5;
    this.#random = options.random ?? Math.random;
    if (!(this.#initialMs > 0 && this.#maxMs >= this.#initialMs && this.#factor >= 1))
      throw new RangeError('backoff needs 0 < initialMs <= maxMs and factor >= 1');
  }

  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt; each call grows the next one. */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * this.#factor ** this.#attempt);
    this.#attempt++;
    return Math.round(base * (1 - this.#jitter * this.#random()));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
