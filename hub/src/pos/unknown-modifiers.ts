import type { UnknownModifier } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { modifierKey } from '../recipes/apply-modifiers.ts';
import { modifierRules } from '../recipes/modifiers.ts';

/**
 * The POS modifier names on the organization's sale lines that match none of its modifiers (the recorder
 * counts such a line at the plain recipe: `pourUsage` reports them, this lists them for the manager), most
 * frequent first. Names are matched the way the recorder matches them: trimmed, case-insensitive.
 */
export async function unknownModifiers(d1: D1Database, organizationId: string): Promise<UnknownModifier[]> {
  const results = await openDb(d1).all<{ modifiers: string; lines: number; last_sold_at: string }>(
    sql`SELECT modifiers, COUNT(*) AS lines, MAX(sold_at) AS last_sold_at FROM sale_lines
         WHERE organization_id = ${organizationId} AND modifiers <> '[]' GROUP BY modifiers`,
  );
  const rules = await modifierRules(d1, organizationId);
  const unknown = new Map<string, UnknownModifier>();
  for (const row of results) {
    const keys = new Map<string, string>();
    for (const name of JSON.parse(row.modifiers) as string[]) {
      const key = modifierKey(name);
      if (key && !rules.has(key) && !keys.has(key)) keys.set(key, name.trim());
    }
    for (const [key, name] of keys) {
      const seen = unknown.get(key);
      if (!seen) unknown.set(key, { name, lines: row.lines, lastSoldAt: row.last_sold_at });
      else {
        seen.lines += row.lines;
        if (row.last_sold_at > seen.lastSoldAt) seen.lastSoldAt = row.last_sold_at;
      }
    }
  }
  return [...unknown.values()].sort((a, b) => b.lines - a.lines || a.name.localeCompare(b.name));
}
