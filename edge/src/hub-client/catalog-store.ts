import { eq } from 'drizzle-orm';
import { gatewayCatalogSchema, type GatewayCatalog } from '@pourcast/protocol';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { catalogCache } from '../db/schema.ts';
import type { Logger } from '../log.ts';

export type CatalogItem = GatewayCatalog['items'][number];

/** The hub's catalog as last fetched, cached in the DB so the gateway starts and works offline. */
export class CatalogStore {
  #catalog: GatewayCatalog | null = null;
  #fetchedAt: number | null = null;
  #byId = new Map<string, CatalogItem>();
  #byBarcode = new Map<string, CatalogItem>();

  constructor(
    private readonly db: GatewayDb,
    private readonly bus: GatewayBus,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    const [row] = await this.db.select().from(catalogCache).where(eq(catalogCache.id, 1));
    if (!row) return;
    const parsed = gatewayCatalogSchema.safeParse(JSON.parse(row.catalog));
    if (!parsed.success) {
      this.log.warn('cached catalog no longer valid; waiting for the hub');
      return;
    }
    this.#index(parsed.data, row.fetchedAt);
  }

  async save(catalog: GatewayCatalog, now = Date.now()): Promise<void> {
    const row = { locationId: catalog.locationId, catalog: JSON.stringify(catalog), fetchedAt: now };
    await this.db
      .insert(catalogCache)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: catalogCache.id, set: row });
    this.#index(catalog, now);
    this.bus.emit('catalog', { locationId: catalog.locationId, items: catalog.items.length });
  }

  get loaded(): boolean {
    return this.#catalog !== null;
  }

  get fetchedAt(): number | null {
    return this.#fetchedAt;
  }

  item(id: string): CatalogItem | undefined {
    return this.#byId.get(id);
  }

  byBarcode(barcode: string): CatalogItem | undefined {
    return this.#byBarcode.get(barcode);
  }

  items(): CatalogItem[] {
    return this.#catalog ? [...this.#catalog.items] : [];
  }

  #index(catalog: GatewayCatalog, fetchedAt: number): void {
    this.#catalog = catalog;
    this.#fetchedAt = fetchedAt;
    this.#byId = new Map(catalog.items.map((item) => [item.id, item]));
    this.#byBarcode = new Map(
      catalog.items.flatMap((item) => item.barcodes.map((code) => [code, item] as const)),
    );
  }
}
