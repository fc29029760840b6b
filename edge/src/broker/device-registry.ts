import { eq } from 'drizzle-orm';
import type { DeviceKind, ProvisionedDevice, ScanMode } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { devices } from '../db/schema.ts';

export interface RegisteredDevice {
  id: string;
  kind: DeviceKind;
  model: string;
  secretHash: string;
  slots: Array<{ platform: number; itemId: string }>;
  scanMode: ScanMode | null;
  revokedAt: number | null;
}

/** The devices table, mirrored in memory so authentication and the ACL never wait on the disk. */
export class DeviceRegistry {
  readonly #byId = new Map<string, RegisteredDevice>();

  constructor(private readonly db: GatewayDb) {}

  /**
   * Provisioned devices from the config file are upserted at start (hashes only) and a revocation is lifted.
   * Devices in `managed` belong to the admin API (added, replaced or revoked over HTTP): the database wins.
   */
  async load(
    provisioned: readonly ProvisionedDevice[],
    now = Date.now(),
    managed: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    for (const device of provisioned) {
      if (managed.has(device.id)) continue;
      const row = {
        kind: device.kind,
        model: device.model,
        secretHash: device.secretHash,
        slots: device.slots,
        scanMode: device.scanMode ?? null,
        area: device.area ?? null,
        revokedAt: null,
        updatedAt: now,
      };
      await this.db
        .insert(devices)
        .values({ id: device.id, ...row })
        .onConflictDoUpdate({ target: devices.id, set: row });
    }
    this.#byId.clear();
    for (const row of await this.db.select().from(devices)) this.#remember(row);
  }

  #remember(row: typeof devices.$inferSelect): void {
    this.#byId.set(row.id, {
      id: row.id,
      kind: row.kind,
      model: row.model,
      secretHash: row.secretHash,
      slots: row.slots,
      scanMode: row.scanMode,
      revokedAt: row.revokedAt,
    });
  }

  /** Registers a new device (admin API); false when the id is taken. */
  async add(device: ProvisionedDevice, now = Date.now()): Promise<boolean> {
    if (this.#byId.has(device.id)) return false;
    const [row] = await this.db
      .insert(devices)
      .values({
        id: device.id,
        kind: device.kind,
        model: device.model,
        secretHash: device.secretHash,
        slots: device.slots,
        scanMode: device.scanMode ?? null,
        area: device.area ?? null,
        revokedAt: null,
        updatedAt: now,
      })
      .returning();
    this.#remember(row!);
    return true;
  }

  /** A replacement unit: a new secret hash under the same id (history kept), revocation lifted. */
  async replaceSecret(id: string, secretHash: string, now = Date.now()): Promise<boolean> {
    const device = this.#byId.get(id);
    if (!device) return false;
    await this.db
      .update(devices)
      .set({ secretHash, revokedAt: null, updatedAt: now })
      .where(eq(devices.id, id));
    device.secretHash = secretHash;
    device.revokedAt = null;
    return true;
  }

  /** Which item each platform weighs; the pipelines read it from here on the next reading. */
  async setSlots(
    id: string,
    slots: Array<{ platform: number; itemId: string }>,
    now = Date.now(),
  ): Promise<boolean> {
    const device = this.#byId.get(id);
    if (!device) return false;
    await this.db.update(devices).set({ slots, updatedAt: now }).where(eq(devices.id, id));
    device.slots = slots;
    return true;
  }

  get(id: string): RegisteredDevice | undefined {
    return this.#byId.get(id);
  }

  all(): RegisteredDevice[] {
    return [...this.#byId.values()];
  }

  /** Revokes a device: it can no longer connect (existing sessions are the broker's to end). */
  async revoke(id: string, now = Date.now()): Promise<boolean> {
    const device = this.#byId.get(id);
    if (!device) return false;
    await this.db.update(devices).set({ revokedAt: now, updatedAt: now }).where(eq(devices.id, id));
    device.revokedAt = now;
    return true;
  }
}
