import { eq } from 'drizzle-orm';
import type { GatewayClaimResponse } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { hubCredentials } from '../db/schema.ts';

export type HubCredentials = GatewayClaimResponse;

/** The gateway's identity at the hub, cached in memory; the token never leaves this object except in an Authorization header. */
export class CredentialStore {
  #current: HubCredentials | null = null;

  constructor(private readonly db: GatewayDb) {}

  async load(): Promise<HubCredentials | null> {
    const [row] = await this.db.select().from(hubCredentials).where(eq(hubCredentials.id, 1));
    this.#current = row
      ? {
          gatewayId: row.gatewayId,
          token: row.token,
          locationId: row.locationId,
          organizationId: row.organizationId,
        }
      : null;
    return this.#current;
  }

  async save(credentials: HubCredentials, now = Date.now()): Promise<void> {
    const row = { ...credentials, claimedAt: now };
    await this.db
      .insert(hubCredentials)
      .values({ id: 1, ...row })
      .onConflictDoUpdate({ target: hubCredentials.id, set: row });
    this.#current = { ...credentials };
  }

  get current(): HubCredentials | null {
    return this.#current;
  }
}
