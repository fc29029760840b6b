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

  /** Provisioned devices from the config file are upserted at start (hashes only) and a revocation is lifted. */
  async load(provisioned: readonly ProvisionedDevice[], now = Date.now()): Promise<void> {
    for (const device of provisioned) {
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
    for (const row of await this.db.select().from(devices)) {
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
