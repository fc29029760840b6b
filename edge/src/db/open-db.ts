import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** edge/drizzle, found from this module whether it runs from edge/src/db or from the edge/dist bundle. */
function findMigrationsFolder(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++, dir = dirname(dir)) {
    const candidate = join(dir, 'drizzle');
    if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
  }
  throw new Error('edge/drizzle (the gateway database migrations) not found beside the gateway code');
}
const migrationsFolder = findMigrationsFolder();

/** Opens `<dataDir>/gateway.db` (WAL), applies pending migrations and returns a drizzle handle. */
export async function openDb(dataDir: string, options: OpenDbOptions = {}): Promise<OpenedDb> {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(join(dataDir, 'gateway.db'));
  // One connection: PRAGMA synchronous is per connection, and the gateway's writers are serialised anyway.
  const client = createClient({ url: `file:${path}`, concurrency: 1 });
  await client.execute('PRAGMA journal_mode = WAL');
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
