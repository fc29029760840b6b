/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { scanSql } from './sql-scan.ts';

/** Every hub source file, read at build time by Vite (workerd has no file system). */
const sources = import.meta.glob<string>(['../src/**/*.ts', '!../src/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe("SQL only through drizzle's parameterised queries", () => {
  it('reads the hub sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it('finds no SQL around drizzle in hub/src', () => {
    const findings = Object.entries(sources).flatMap(([file, source]) => scanSql(file, source));
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.reason}: ${f.text}`)).toEqual([]);
  });

  it('catches each way around drizzle, and passes drizzle', () => {
    const bad = [
      'db.run(sql.raw(`DELETE FROM items WHERE id = ${id}`))',
      "d1.prepare('SELECT * FROM items WHERE id = ?').bind(id).all()",
      'c.env.DB.prepare(`SELECT * FROM items WHERE id = ${id}`).all()',
      'd1.exec(`DELETE FROM ${table}`)',
      "await db.all('SELECT * FROM items')",
      'await openDb(d1).run(`DELETE FROM items WHERE id = ${id}`)',
      'await db.get<{ n: number }>(`SELECT count(*) AS n FROM items`)',
    ];
    for (const source of bad) expect(scanSql('x.ts', source), source).toHaveLength(1);
    const good = [
      'db.select().from(items).where(sql`${items.id} = ${id}`)',
      'await db.all<Row>(sql`SELECT * FROM items WHERE id = ${id}`)',
      'await db.run(sql`DELETE FROM items WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`)',
      'await runBatch(d1, [sql`DELETE FROM items WHERE id = ${id}`])',
      'await db.get(ORDER_SQL)',
      '/^Bearer (\\S+)$/.exec(header)',
    ];
    for (const source of good) expect(scanSql('x.ts', source), source).toEqual([]);
    // runBatch itself prepares what drizzle wrote.
    expect(scanSql('../src/db/client.ts', 'd1.prepare(built.sql).bind(...built.params)')).toEqual([]);
  });
});
