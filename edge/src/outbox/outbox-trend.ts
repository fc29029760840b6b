/**
 * How fast unsent events pile up while the hub is away (or drain once it is back): samples of the
 * outbox's pending count over the last hour, reported as events per hour. With the disk's free bytes and
 * the bytes per event, a technician can tell how long the gateway can stay offline.
 */
export class OutboxTrend {
  readonly #samples: Array<{ at: number; pending: number }> = [];

  constructor(private readonly windowMs = 3_600_000) {}

  sample(at: number, pending: number): void {
    const last = this.#samples.at(-1);
    if (last && at < last.at) this.#samples.length = 0; // the clock went back: start over
    this.#samples.push({ at, pending });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= this.windowMs) this.#samples.shift();
  }

  /** Events per hour between the oldest and newest sample in the window; null before a minute of data. */
  perHour(): number | null {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at - first.at < 60_000) return null;
    return Math.round(((last.pending - first.pending) * 3_600_000) / (last.at - first.at));
  }
}
