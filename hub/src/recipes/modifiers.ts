import type { Modifier } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { newId, openDb } from '../db/client.ts';
import type { ItemCategory } from '../db/types.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { modifierKey, type ModifierRule } from './apply-modifiers.ts';

interface ModifierRow {
  id: string;
  name: string;
  name_key: string;
  multiplier: number;
  drop_categories: string;
}

const toModifier = (row: ModifierRow): Modifier => ({
  id: row.id,
  name: row.name,
  multiplier: row.multiplier,
  dropCategories: JSON.parse(row.drop_categories) as ItemCategory[],
});

export async function listModifiers(d1: D1Database, organizationId: string): Promise<Modifier[]> {
  const results = await openDb(d1).all<ModifierRow>(
    sql`SELECT * FROM modifiers WHERE organization_id = ${organizationId} ORDER BY name_key`,
  );
  return results.map(toModifier);
}

/** Modifier rules by lower-cased name, as the sale recorder matches POS modifier names. */
export async function modifierRules(
  d1: D1Database,
  organizationId: string,
): Promise<Map<string, ModifierRule>> {
  const modifiers = await listModifiers(d1, organizationId);
  return new Map(
    modifiers.map((m) => [
      modifierKey(m.name),
      { nameKey: modifierKey(m.name), multiplier: m.multiplier, dropCategories: m.dropCategories },
    ]),
  );
}

export async function createModifier(
  d1: D1Database,
  organizationId: string,
  input: Omit<Modifier, 'id'>,
): Promise<Modifier> {
  const id = newId();
  const inserted = await openDb(d1).all<{ id: string }>(
    sql`INSERT INTO modifiers (id, organization_id, name, name_key, multiplier, drop_categories)
        VALUES (${id}, ${organizationId}, ${input.name}, ${modifierKey(input.name)}, ${input.multiplier},
                ${JSON.stringify(input.dropCategories)}) ON CONFLICT DO NOTHING RETURNING id`,
  );
  if (!inserted.length) {
    throw new AppError(409, 'duplicate_modifier', `a modifier named "${input.name}" exists`, [
      'body.name: already used',
    ]);
  }
  return { id, ...input };
}

export async function deleteModifier(d1: D1Database, organizationId: string, id: string) {
  const deleted = await openDb(d1).all<{ id: string }>(
    sql`DELETE FROM modifiers WHERE id = ${id} AND organization_id = ${organizationId} RETURNING id`,
  );
  if (!deleted.length) throw notFound('modifier');
}
