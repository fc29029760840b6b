import { eq } from 'drizzle-orm';
import { gatewayParsSchema, type GatewayPars } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { parCache } from '../db/schema.ts';
import type { Logger } from '../log.ts';

/**
 * The hub's par levels and on-hand stock for this bar as last fetched, cached in the DB so the staff display
 * knows what is below par after a restart and while the hub is unreachable.
 */
export class ParStore {
  #pars: GatewayPars | null = null;
  #fetchedAt: number | null = null;
  readonly #listeners = new Set<(pars: GatewayPars) => void>();

  constructor(
    private readonly db: GatewayDb,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    const [row] = await this.db.select().from(parCache).where(eq(parCache.id, 1));
    if (!row) return;
    let json: unknown;
    try {
      json = JSON.parse(row.pars);
    } catch {
      json = null;
    }
    const parsed = gatewayParsSchema.safeParse(json);
    if (!parsed.success) {
      this.log.warn('cached par levels no longer valid; waiting for the hub');
      return;
    }
    this.#set(parsed.data, row.fetchedAt);
  }

  async save(pars: GatewayPars, now = Date.now()): Promise<void> {
    const row = { locationId: pars.locationId, pars: JSON.stringify(pars), fetchedAt: now };
    await this.db
      .insert(parCache)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: parCache.id, set: row });
    this.#set(pars, now);
  }

  get current(): GatewayPars | null {
    return this.#pars;
  }

  get fetchedAt(): number | null {
    return this.#fetchedAt;
  }

  /** Called with each new set of pars (loaded or fetched); answers a function that stops listening. */
  onChange(listener: (pars: GatewayPars) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #set(pars: GatewayPars, fetchedAt: number): void {
    this.#pars = pars;
    this.#fetchedAt = fetchedAt;
    for (const listener of this.#listeners) listener(pars);
  }
}
