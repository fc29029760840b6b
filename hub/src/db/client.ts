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
