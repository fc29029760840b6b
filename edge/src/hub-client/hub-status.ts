import { HubRejectedError } from './hub-http.ts';

/** Whether the hub answered the last request (any 2xx-4xx answer counts as reachable). */
export class HubStatus {
  reachable = false;
  lastError: string | null = null;
  /** When the hub last answered or failed to (ms since the epoch); null before the first request. */
  lastContactAt: number | null = null;
  readonly #recovered = new Set<() => void>();

  succeeded(now = Date.now()): void {
    this.lastError = null;
    this.#set(true, now);
  }

  failed(error: unknown, now = Date.now()): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    this.#set(error instanceof HubRejectedError, now);
  }

  /**
   * The hub answered a probe. It is reachable again, which ends an unreachability error; a refusal the link
   * or the outbox recorded (a wrong claim code, a rejected batch) stays until their next request.
   */
  answered(now = Date.now()): void {
    if (!this.reachable) this.lastError = null;
    this.#set(true, now);
  }

  /**
   * Calls `listener` each time the hub answers again after it was found unreachable (not on the first answer
   * after start), whichever request noticed: the probe, a forwarded batch or the catalog.
   */
  onRecovered(listener: () => void): () => void {
    this.#recovered.add(listener);
    return () => this.#recovered.delete(listener);
  }

  #set(reachable: boolean, now: number): void {
    const back = reachable && !this.reachable && this.lastContactAt !== null;
    this.reachable = reachable;
    this.lastContactAt = now;
    if (back) for (const listener of this.#recovered) listener();
  }
}
