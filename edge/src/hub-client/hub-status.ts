import { HubRejectedError } from './hub-http.ts';

/** Whether the hub answered the last request (any 2xx-4xx answer counts as reachable). */
export class HubStatus {
  reachable = false;
  lastError: string | null = null;
  /** When the hub last answered or failed to (ms since the epoch); null before the first request. */
  lastContactAt: number | null = null;

  succeeded(now = Date.now()): void {
    this.reachable = true;
    this.lastError = null;
    this.lastContactAt = now;
  }

  failed(error: unknown, now = Date.now()): void {
    this.reachable = error instanceof HubRejectedError;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.lastContactAt = now;
  }

  /**
   * The hub answered a probe. It is reachable again, which ends an unreachability error; a refusal the link
   * or the outbox recorded (a wrong claim code, a rejected batch) stays until their next request.
   */
  answered(now = Date.now()): void {
    if (!this.reachable) this.lastError = null;
    this.reachable = true;
    this.lastContactAt = now;
  }
}
