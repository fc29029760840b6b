import type { MenuItem, RecipeLine } from '@pourcast/protocol';
import { newId, nowIso } from '../db/client.ts';
import type { ItemCategory } from '../db/types.ts';
import { AppError, notFound } from '../http/app-error.ts';
import type { IngredientPour } from './apply-modifiers.ts';

interface MenuRow {
  id: string;
  name: string;
  category: string;
  price: number;
  archived_at: string | null;
}

/** 422 naming each recipe line whose item is not an active item of the organization. */
async function checkItems(d1: D1Database, organizationId: string, lines: RecipeLine[]) {
  const { results } = await d1
    .prepare('SELECT id FROM items WHERE organization_id = ? AND archived_at IS NULL')
    .bind(organizationId)
    .all<{ id: string }>();
  const known = new Set(results.map((row) => row.id));
  const refused = lines.flatMap((line, index) =>
    known.has(line.itemId) ? [] : [`body.recipe.${index}.itemId: not an item of this organization`],
  );
  if (refused.length) throw new AppError(422, 'unknown_item', 'the recipe names unknown items', refused);
}

function versionStatements(
  d1: D1Database,
  menuItemId: string,
  version: number,
  validFrom: string,
  lines: RecipeLine[],
) {
  const versionId = newId();
  return [
    d1
      .prepare('INSERT INTO recipe_versions (id, menu_item_id, version, valid_from) VALUES (?, ?, ?, ?)')
      .bind(versionId, menuItemId, version, validFrom),
    ...lines.map((line) =>
      d1
        .prepare('INSERT INTO recipe_lines (recipe_version_id, item_id, ml) VALUES (?, ?, ?)')
        .bind(versionId, line.itemId, line.ml),
    ),
  ];
}

export interface MenuItemFields {
  name: string;
  category: string;
  price: number;
  recipe: RecipeLine[];
}

/** A menu item with recipe version 1, valid from the beginning of time (so older sales can be mapped too). */
export async function createMenuItem(d1: D1Database, organizationId: string, input: MenuItemFields) {
  await checkItems(d1, organizationId, input.recipe);
  const id = newId();
  await d1.batch([
    d1
      .prepare('INSERT INTO menu_items (id, organization_id, name, category, price) VALUES (?, ?, ?, ?, ?)')
      .bind(id, organizationId, input.name, input.category, input.price),
    ...versionStatements(d1, id, 1, '1970-01-01T00:00:00.000Z', input.recipe),
  ]);
  return getMenuItem(d1, organizationId, id);
}

/** Appends a recipe version; sales before `validFrom` keep the version they were recorded with. */
export async function changeRecipe(
  d1: D1Database,
  organizationId: string,
  id: string,
  lines: RecipeLine[],
  validFrom = nowIso(),
) {
  const current = await getMenuItem(d1, organizationId, id);
  await checkItems(d1, organizationId, lines);
  if (new Date(validFrom).toISOString() <= current.recipe.validFrom) {
    throw new AppError(409, 'recipe_not_newer', 'a new recipe must take effect after the current one', [
      `body.validFrom: must be after ${current.recipe.validFrom}`,
    ]);
  }
  await d1.batch(
    versionStatements(d1, id, current.recipe.version + 1, new Date(validFrom).toISOString(), lines),
  );
  return getMenuItem(d1, organizationId, id);
}

export async function updateMenuItem(
  d1: D1Database,
  organizationId: string,
  id: string,
  patch: Partial<Omit<MenuItemFields, 'recipe'>>,
) {
  const current = await getMenuItem(d1, organizationId, id);
  await d1
    .prepare('UPDATE menu_items SET name = ?, category = ?, price = ? WHERE id = ?')
    .bind(patch.name ?? current.name, patch.category ?? current.category, patch.price ?? current.price, id)
    .run();
  return getMenuItem(d1, organizationId, id);
}

export async function archiveMenuItem(d1: D1Database, organizationId: string, id: string) {
  await getMenuItem(d1, organizationId, id);
  await d1.prepare('UPDATE menu_items SET archived_at = ? WHERE id = ?').bind(nowIso(), id).run();
}

async function versionsOf(d1: D1Database, menuItemIds: string[]) {
  if (!menuItemIds.length) return [];
  const marks = menuItemIds.map(() => '?').join(',');
  const { results } = await d1
    .prepare(
      `SELECT v.menu_item_id, v.version, v.valid_from, l.item_id, l.ml
         FROM recipe_versions v JOIN recipe_lines l ON l.recipe_version_id = v.id
        WHERE v.menu_item_id IN (${marks}) ORDER BY v.menu_item_id, v.version, l.item_id`,
    )
    .bind(...menuItemIds)
    .all<{ menu_item_id: string; version: number; valid_from: string; item_id: string; ml: number }>();
  return results;
}

function assemble(rows: MenuRow[], versions: Awaited<ReturnType<typeof versionsOf>>): MenuItem[] {
  return rows.map((row) => {
    const mine = versions.filter((v) => v.menu_item_id === row.id);
    const numbers = [...new Set(mine.map((v) => v.version))];
    const latest = Math.max(...numbers);
    const lines = mine.filter((v) => v.version === latest);
    return {
      id: row.id,
      name: row.name,
      category: row.category,
      price: row.price,
      archived: row.archived_at !== null,
      recipe: {
        version: latest,
        validFrom: lines[0]!.valid_from,
        lines: lines.map((v) => ({ itemId: v.item_id, ml: v.ml })),
      },
      versions: numbers.map((version) => ({
        version,
        validFrom: mine.find((v) => v.version === version)!.valid_from,
      })),
    };
  });
}

export async function listMenuItems(d1: D1Database, organizationId: string): Promise<MenuItem[]> {
  const { results } = await d1
    .prepare(
      'SELECT id, name, category, price, archived_at FROM menu_items WHERE organization_id = ? ORDER BY name, id',
    )
    .bind(organizationId)
    .all<MenuRow>();
  return assemble(
    results,
    await versionsOf(
      d1,
      results.map((r) => r.id),
    ),
  );
}

export async function getMenuItem(d1: D1Database, organizationId: string, id: string): Promise<MenuItem> {
  const row = await d1
    .prepare(
      'SELECT id, name, category, price, archived_at FROM menu_items WHERE id = ? AND organization_id = ?',
    )
    .bind(id, organizationId)
    .first<MenuRow>();
  if (!row) throw notFound('menu item');
  return assemble([row], await versionsOf(d1, [id]))[0]!;
}

/** The recipe version of a menu item valid at `at`, with each line's item category (for modifiers). */
export async function recipeAt(
  d1: D1Database,
  menuItemId: string,
  at: string,
): Promise<{ versionId: string; lines: IngredientPour[] } | null> {
  const version = await d1
    .prepare(
      `SELECT id FROM recipe_versions WHERE menu_item_id = ? AND valid_from <= ?
        ORDER BY valid_from DESC, version DESC LIMIT 1`,
    )
    .bind(menuItemId, at)
    .first<{ id: string }>();
  if (!version) return null;
  const { results } = await d1
    .prepare(
      `SELECT l.item_id, l.ml, i.category FROM recipe_lines l JOIN items i ON i.id = l.item_id
        WHERE l.recipe_version_id = ?`,
    )
    .bind(version.id)
    .all<{ item_id: string; ml: number; category: ItemCategory }>();
  return {
    versionId: version.id,
    lines: results.map((row) => ({ itemId: row.item_id, ml: row.ml, category: row.category })),
  };
}
