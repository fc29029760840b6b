import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateSecret, sha256Base64Url } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import type { Logger } from '../log.ts';
import { adminToken } from './tables.ts';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * The gateway admin token guards device administration. It is made at first start, stored as a SHA-256
 * hash, and written once to `<dataDir>/admin-token` (mode 0600) for the technician; never logged.
 */
export class AdminToken {
  #hash: string | undefined;

  constructor(private readonly db: GatewayDb) {}

  /** Loads the hash, or creates the token and its file; returns the file path when one was written. */
  async ensure(dataDir: string, log: Logger, now = Date.now()): Promise<string | null> {
    const [row] = await this.db.select().from(adminToken);
    if (row) {
      this.#hash = row.tokenHash;
      return null;
    }
    const token = generateSecret();
    const path = resolve(join(dataDir, ADMIN_TOKEN_FILE));
    // Written before the hash is committed: a crash in between leaves a file that a restart overwrites.
    writeFileSync(path, token + '\n', { mode: 0o600, flag: 'w' });
    chmodSync(path, 0o600);
    this.#hash = await sha256Base64Url(token);
    await this.db.insert(adminToken).values({ id: 1, tokenHash: this.#hash, createdAt: now });
    log.info('gateway admin token created; read it from the file (shown once)', { path });
    return path;
  }

  /** Compares a presented token with the stored hash (both hashed: equal length, no early exit on content). */
  async verify(presented: string | undefined): Promise<boolean> {
    if (!presented || !this.#hash) return false;
    const hash = await sha256Base64Url(presented);
    if (hash.length !== this.#hash.length) return false;
    let diff = 0;
    for (let i = 0; i < hash.length; i++) diff |= hash.charCodeAt(i) ^ this.#hash.charCodeAt(i);
    return diff === 0;
  }
}
