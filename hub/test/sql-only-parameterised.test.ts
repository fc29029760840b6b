/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import { scanSql } from './sql-scan.ts';

/** Every hub source file, read at build time by Vite (workerd has no file system). */
const sources = import.meta.glob<string>(['../src/**/*.ts', '!../src/**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('SQL only through parameterised queries', () => {
  it('reads the hub sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it('finds no string-built SQL in hub/src', () => {
    const findings = Object.entries(sources).flatMap(([file, source]) => scanSql(file, source));
    expect(findings.map((f) => `${f.file}:${f.line}: ${f.reason}: ${f.text}`)).toEqual([]);
  });

  it('catches each way of building SQL from strings, and passes the parameterised ones', () => {
    const bad = [
      'db.run(sql.raw(`DELETE FROM items WHERE id = ${id}`))',
      'd1.prepare(`SELECT * FROM items WHERE id = ${id}`).all()',
      "d1.prepare('SELECT * FROM items WHERE name = ' + name).all()",
      'd1.prepare(query).all()',
      'd1.exec(`DELETE FROM ${table}`)',
      "const where = `name = '${name}'`;\nd1.prepare(`SELECT * FROM items WHERE ${where}`)",
      'd1.prepare(`SELECT * FROM items WHERE id IN (${ids.join(",")})`)',
    ];
    for (const source of bad) expect(scanSql('x.ts', source), source).toHaveLength(1);
    const good = [
      "d1.prepare('SELECT * FROM items WHERE id = ?').bind(id).all()",
      'd1.prepare(\n  `SELECT *\n   FROM items WHERE id = ?`,\n).bind(id)',
      'db.select().from(items).where(sql`${items.id} = ${id}`)',
      '/^Bearer (\\S+)$/.exec(header)',
      "const usable = 'used_at IS NULL';\nd1.prepare(`UPDATE claim_codes SET used_at = ? WHERE ${usable}`)",
      "d1.prepare(`SELECT * FROM items WHERE id IN (${ids.map(() => '?').join(',')})`)",
      'd1.prepare(`${ORDER_SQL} WHERE o.id = ?`)',
      "const placeholders = ids.map((_, i) => `?${i + 2}`).join(', ');\nd1.prepare(`SELECT 1 WHERE id IN (${placeholders})`)",
    ];
    for (const source of good) expect(scanSql('x.ts', source), source).toEqual([]);
  });
});
