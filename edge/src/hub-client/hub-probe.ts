import { hubHealthSchema } from '@pourcast/protocol';
import type { Logger } from '../log.ts';
import { HubRejectedError, hubRequest } from './hub-http.ts';
import type { HubStatus } from './hub-status.ts';

export interface HubProbeOptions {
  hubUrl: string;
  status: HubStatus;
  log: Logger;
  /** How often the hub is asked when nothing else talked to it (default 15 s). */
  intervalMs?: number;
  /** How long a probe waits for the answer (default 5 s, at most the interval). */
  timeoutMs?: number;
}

/**
 * Keeps `HubStatus.reachable` current when the gateway has nothing to send: every interval it asks the hub's
 * public `GET /api/v1/health`, unless another request (a forwarded batch, the catalog) already reached or
 * missed the hub within that interval. The probe only fills the silence: when another request reports while
 * a probe waits, the probe's answer is dropped. The staff display's banner follows within about one interval.
 */
export class HubProbe {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #busy: Promise<void> = Promise.resolve();
  /** Probes sent (the others were skipped because the hub was heard from recently). */
  sent = 0;

  constructor(private readonly options: HubProbeOptions) {}

  get intervalMs(): number {
    return this.options.intervalMs ?? 15_000;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  /** Asks the hub now unless it was heard from within the interval; settles with the probe. */
  probeNow(): Promise<void> {
    this.#busy = this.#busy.then(() => this.#probe());
    return this.#busy;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#busy;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.probeNow().finally(() => this.#schedule());
    }, this.intervalMs);
  }

  async #probe(): Promise<void> {
    const { status } = this.options;
    const now = Date.now();
    if (this.#stopped) return;
    if (status.lastContactAt !== null && now - status.lastContactAt < this.intervalMs) return;
    const wasReachable = status.reachable && status.lastContactAt !== null;
    const contactBefore = status.lastContactAt;
    this.sent++;
    try {
      await hubRequest({
        method: 'GET',
        url: `${this.options.hubUrl.replace(/\/+$/, '')}/api/v1/health`,
        answer: hubHealthSchema,
        timeoutMs: Math.min(this.options.timeoutMs ?? 5_000, this.intervalMs),
      });
      if (status.lastContactAt === contactBefore) this.#answered(wasReachable);
    } catch (error) {
      // The outbox or the link reported while the probe waited: theirs is the word on the hub, not ours.
      if (status.lastContactAt !== contactBefore) return;
      // A refusal is still an answer: the hub is up (an older hub without the route, a proxy's 404).
      if (error instanceof HubRejectedError) return this.#answered(wasReachable);
      if (wasReachable) this.options.log.warn('hub unreachable', { error });
      status.failed(error);
    }
  }

  #answered(wasReachable: boolean): void {
    this.options.status.answered();
    if (!wasReachable) this.options.log.info('hub reachable');
  }
}
