import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/d1';
import { ulid } from 'ulid';
import * as schema from './schema.ts';

export type Db = ReturnType<typeof openDb>;

export function openDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

export const newId = (): string => ulid();

/** Now as a UTC ISO string, the form every timestamp column holds. */
export const nowIso = (): string => new Date().toISOString();

const dialect = new SQLiteAsyncDialect();

/**
 * drizzle `sql` templates run as one D1 batch (a transaction), each value bound as drizzle's parameter;
 * answers D1's result per statement (`.results`, `.meta.changes`). drizzle 0.45's own `db.batch` fails on
 * `db.run(sql…)`/`db.all(sql…)` items that carry parameters (drizzle-orm issue #2277: its `SQLiteRaw` item
 * has no `.stmt`), so batches of templates go through here; query-builder items can use `db.batch`.
 */
export async function runBatch<T = Record<string, unknown>>(
  d1: D1Database,
  queries: readonly SQL[],
): Promise<D1Result<T>[]> {
  if (queries.length === 0) return [];
  return d1.batch<T>(
    queries.map((query) => {
      const built = dialect.sqlToQuery(query);
      return d1.prepare(built.sql).bind(...built.params);
    }),
  );
}
