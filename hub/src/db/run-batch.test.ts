import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, runBatch } from './client.ts';

describe('runBatch', () => {
  // The hub's test files share a database over a worker's life (isolate: false): leave no table behind.
  afterAll(() => env.DB.exec('DROP TABLE IF EXISTS batch_probe; DROP TABLE IF EXISTS batch_atomic;'));

  it('runs drizzle sql statements in order, their values as parameters, and answers their rows', async () => {
    const name = "O'Brien's; DROP TABLE items; --";
    const results = await runBatch<{ n: number; name: string; twice: number }>(env.DB, [
      sql`CREATE TABLE IF NOT EXISTS batch_probe (n INTEGER, name TEXT)`,
      sql`INSERT INTO batch_probe (n, name) VALUES (${1}, ${name}), (${2}, ${name})`,
      sql`SELECT n, name, ${21} * 2 AS twice FROM batch_probe WHERE name = ${name} ORDER BY n`,
    ]);
    expect(results).toHaveLength(3);
    expect(results[1]!.meta.changes).toBe(2);
    expect(results[2]!.results).toEqual([
      { n: 1, name, twice: 42 },
      { n: 2, name, twice: 42 },
    ]);
  });

  it('is all or nothing: a failing statement leaves no row of the others', async () => {
    const db = openDb(env.DB);
    await db.run(sql`CREATE TABLE IF NOT EXISTS batch_atomic (n INTEGER PRIMARY KEY)`);
    await expect(
      runBatch(env.DB, [
        sql`INSERT INTO batch_atomic (n) VALUES (${1})`,
        sql`INSERT INTO batch_atomic (n) VALUES (${1})`, // the same key: the batch fails
      ]),
    ).rejects.toThrow(/UNIQUE/);
    expect(await db.all(sql`SELECT n FROM batch_atomic`)).toEqual([]);
  });

  it('answers an empty list without calling D1', async () => {
    expect(await runBatch(env.DB, [])).toEqual([]);
  });
});
