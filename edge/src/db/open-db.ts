import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { edgePackageFolder } from '../package-paths.ts';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema.ts';

export type GatewayDb = LibSQLDatabase<typeof schema>;
export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface OpenDbOptions {
  /** SQLite `synchronous`; FULL (the default) makes every commit durable across power loss in WAL mode. */
  synchronous?: SynchronousMode;
}

export interface OpenedDb {
  db: GatewayDb;
  client: Client;
  path: string;
  /** Bytes on disk: the database file plus its write-ahead log. */
  sizeBytes(): number;
  close(): void;
}

/** The database file cannot be read as a sound SQLite database: the gateway refuses to start on it. */
export class DatabaseDamagedError extends Error {
  override readonly name = 'DatabaseDamagedError';
  constructor(
    readonly path: string,
    dataDir: string,
    detail: string,
  ) {
    super(
      `gateway database ${path} is damaged (${detail}); the gateway will not start on it. ` +
        `Restore the newest sound backup with: npm run gateway:backup -- restore --latest --data-dir ${dataDir} ` +
        `(the damaged file is kept beside it as gateway.db.replaced-<time>)`,
    );
  }
}

export const migrationsFolder = edgePackageFolder(import.meta.url, 'drizzle', 'meta/_journal.json');

/** Opens `<dataDir>/gateway.db` (WAL), applies pending migrations and returns a drizzle handle. */
export async function openDb(dataDir: string, options: OpenDbOptions = {}): Promise<OpenedDb> {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(join(dataDir, 'gateway.db'));
  // One connection: PRAGMA synchronous is per connection, and the gateway's writers are serialised anyway.
  const client = createClient({ url: `file:${path}`, concurrency: 1 });
  try {
    await client.execute('PRAGMA journal_mode = WAL');
    // A damaged file must stop the gateway here, before it takes a reading it could not keep.
    const check = await client.execute('PRAGMA quick_check(1)');
    const verdict = String(Object.values(check.rows[0] ?? {})[0] ?? '');
    if (verdict !== 'ok') throw new Error(verdict || 'quick_check gave no answer');
  } catch (error) {
    client.close();
    throw new DatabaseDamagedError(path, dataDir, (error as Error).message);
  }
  await client.execute(`PRAGMA synchronous = ${options.synchronous ?? 'FULL'}`);
  await client.execute('PRAGMA busy_timeout = 5000');
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return {
    db,
    client,
    path,
    sizeBytes: () => fileSize(path) + fileSize(`${path}-wal`),
    close: () => client.close(),
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
