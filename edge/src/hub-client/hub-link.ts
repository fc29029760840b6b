import { gatewayCatalogSchema, gatewayClaimResponseSchema, gatewayParsSchema } from '@pourcast/protocol';
import type { Logger } from '../log.ts';
import { Backoff } from './backoff.ts';
import type { CatalogStore } from './catalog-store.ts';
import type { CredentialStore } from './credentials.ts';
import { hubRequest } from './hub-http.ts';
import type { HubStatus } from './hub-status.ts';
import type { ParStore } from './par-store.ts';

export interface HubLinkOptions {
  hubUrl: string;
  claimCode?: string;
  gatewayName: string;
  credentials: CredentialStore;
  catalog: CatalogStore;
  /** Where the bar's par levels go (fetched with the catalog); none: not fetched. */
  pars?: ParStore;
  status: HubStatus;
  log: Logger;
  /** Catalog and par refresh period; 10 min by default. */
  catalogRefreshMs?: number;
  random?: () => number;
  onClaimed?: () => void;
}

/**
 * The gateway's standing link to the hub: claims the gateway with its one-time code when it holds no
 * token yet, then keeps the catalog and the bar's par levels fresh. Every failure waits with backoff and tries again; the gateway
 * works from its cached catalog meanwhile.
 */
export class HubLink {
  readonly #backoff: Backoff;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #busy: Promise<void> = Promise.resolve();

  constructor(private readonly options: HubLinkOptions) {
    this.#backoff = new Backoff({ random: options.random });
  }

  start(): void {
    this.#schedule(0);
  }

  /** Fetches the catalog and the par levels now (outside the schedule). */
  refreshNow(): Promise<void> {
    return this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#busy;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#run(), delayMs);
  }

  #run(): Promise<void> {
    this.#busy = this.#busy.then(() => this.#step());
    return this.#busy;
  }

  async #step(): Promise<void> {
    const { options } = this;
    const base = options.hubUrl.replace(/\/+$/, '');
    try {
      let credentials = options.credentials.current;
      if (!credentials) {
        if (!options.claimCode) {
          options.log.warn('gateway not claimed and no hub.claimCode configured; working offline');
          return;
        }
        credentials = await hubRequest({
          method: 'POST',
          url: `${base}/api/v1/gateways/claim`,
          body: { code: options.claimCode, name: options.gatewayName },
          answer: gatewayClaimResponseSchema,
        });
        await options.credentials.save(credentials);
        options.log.info('gateway claimed', {
          gatewayId: credentials.gatewayId,
          locationId: credentials.locationId,
        });
        options.onClaimed?.();
      }
      const catalog = await hubRequest({
        method: 'GET',
        url: `${base}/api/v1/gateways/${encodeURIComponent(credentials.gatewayId)}/catalog`,
        token: credentials.token,
        answer: gatewayCatalogSchema,
      });
      await options.catalog.save(catalog);
      if (options.pars) {
        const pars = await hubRequest({
          method: 'GET',
          url: `${base}/api/v1/gateways/${encodeURIComponent(credentials.gatewayId)}/pars`,
          token: credentials.token,
          answer: gatewayParsSchema,
        });
        await options.pars.save(pars);
      }
      options.status.succeeded();
      this.#backoff.reset();
      options.log.debug('catalog refreshed', { items: catalog.items.length });
      this.#schedule(options.catalogRefreshMs ?? 600_000);
    } catch (error) {
      options.status.failed(error);
      const delay = this.#backoff.next();
      options.log.warn('hub link failed; retrying', { error, retryInMs: delay });
      this.#schedule(delay);
    }
  }
}
