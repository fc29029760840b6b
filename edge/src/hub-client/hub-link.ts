import { gatewayCatalogSchema, gatewayClaimResponseSchema, gatewayParsSchema } from '@pourcast/protocol';
import type { Logger } from '../log.ts';
import { Backoff } from './backoff.ts';
import type { CatalogStore } from './catalog-store.ts';
import type { CredentialStore } from './credentials.ts';
import { HubRejectedError, hubRequest } from './hub-http.ts';
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
    if (this.#stopped) return this.#busy;
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

  /**
   * The bar's pars, or null when the hub refuses them (a hub older than the route, an answer that breaks the
   * contract): the catalog is still taken and the display keeps its cached pars or its fill rule. A hub that
   * cannot be reached fails the whole step, which is retried with backoff.
   */
  async #fetchPars(base: string, credentials: { gatewayId: string; token: string }) {
    try {
      return await hubRequest({
        method: 'GET',
        url: `${base}/api/v1/gateways/${encodeURIComponent(credentials.gatewayId)}/pars`,
        token: credentials.token,
        answer: gatewayParsSchema,
      });
    } catch (error) {
      if (!(error instanceof HubRejectedError)) throw error;
      this.options.log.warn('hub refused the par levels; tiles keep the last ones or the fill rule', {
        error,
      });
      return null;
    }
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
      // Both answers first, then both saved: once the catalog shows loaded, this step asks the hub nothing more.
      const pars = options.pars ? await this.#fetchPars(base, credentials) : null;
      if (pars) await options.pars?.save(pars);
      await options.catalog.save(catalog);
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
