import type { MenuItem, RecipeLine } from '@pourcast/protocol';
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { newId, nowIso, openDb, type Db } from '../db/client.ts';
import { menuItems, recipeLines, recipeVersions } from '../db/schema.ts';
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
  const results = await openDb(d1).all<{ id: string }>(
    sql`SELECT id FROM items WHERE organization_id = ${organizationId} AND archived_at IS NULL`,
  );
  const known = new Set(results.map((row) => row.id));
  const refused = lines.flatMap((line, index) =>
    known.has(line.itemId) ? [] : [`body.recipe.${index}.itemId: not an item of this organization`],
  );
  if (refused.length) throw new AppError(422, 'unknown_item', 'the recipe names unknown items', refused);
}

/**
 * The inserts of one recipe version, as query-builder statements: drizzle's D1 batch cannot run a raw `sql`
 * item with parameters (drizzle-orm#2277), and these go into a batch.
 */
function versionStatements(
  db: Db,
  menuItemId: string,
  version: number,
  validFrom: string,
  lines: RecipeLine[],
): [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]] {
  const versionId = newId();
  return [
    db.insert(recipeVersions).values({ id: versionId, menuItemId, version, validFrom }),
    ...lines.map((line) =>
      db.insert(recipeLines).values({ recipeVersionId: versionId, itemId: line.itemId, ml: line.ml }),
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
  const db = openDb(d1);
  await db.batch([
    db.insert(menuItems).values({
      id,
      organizationId,
      name: input.name,
      category: input.category,
      price: input.price,
    }),
    ...versionStatements(db, id, 1, '1970-01-01T00:00:00.000Z', input.recipe),
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
  const db = openDb(d1);
  await db.batch(
    versionStatements(db, id, current.recipe.version + 1, new Date(validFrom).toISOString(), lines),
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
  await openDb(d1).run(
    sql`UPDATE menu_items SET name = ${patch.name ?? current.name}, category = ${patch.category ?? current.category},
          price = ${patch.price ?? current.price} WHERE id = ${id}`,
  );
  return getMenuItem(d1, organizationId, id);
}

export async function archiveMenuItem(d1: D1Database, organizationId: string, id: string) {
  await getMenuItem(d1, organizationId, id);
  await openDb(d1).run(sql`UPDATE menu_items SET archived_at = ${nowIso()} WHERE id = ${id}`);
}

interface VersionRow {
  version_id: string;
  menu_item_id: string;
  version: number;
  valid_from: string;
  item_id: string;
  ml: number;
  category: ItemCategory;
}

/**
 * Every recipe version, with its lines, of the menu items `menuItems` selects (a subquery of menu item ids),
 * in version order. Selected by a subquery rather than a list of ids: D1 binds at most 100 parameters a
 * query, and a bar's menu has more items than that.
 */
async function versionRows(d1: D1Database, menuItems: SQL): Promise<VersionRow[]> {
  return openDb(d1).all<VersionRow>(
    sql`SELECT v.id AS version_id, v.menu_item_id, v.version, v.valid_from, l.item_id, l.ml, i.category
          FROM recipe_versions v JOIN recipe_lines l ON l.recipe_version_id = v.id JOIN items i ON i.id = l.item_id
         WHERE v.menu_item_id IN (${menuItems}) ORDER BY v.menu_item_id, v.version, l.item_id`,
  );
}

function assemble(rows: MenuRow[], versions: readonly VersionRow[]): MenuItem[] {
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
  const results = await openDb(d1).all<MenuRow>(
    sql`SELECT id, name, category, price, archived_at FROM menu_items WHERE organization_id = ${organizationId}
         ORDER BY name, id`,
  );
  return assemble(
    results,
    await versionRows(d1, sql`SELECT id FROM menu_items WHERE organization_id = ${organizationId}`),
  );
}

export async function getMenuItem(d1: D1Database, organizationId: string, id: string): Promise<MenuItem> {
  const row = await openDb(d1).get<MenuRow>(
    sql`SELECT id, name, category, price, archived_at FROM menu_items
         WHERE id = ${id} AND organization_id = ${organizationId}`,
  );
  if (!row) throw notFound('menu item');
  return assemble([row], await versionRows(d1, sql`SELECT ${id}`))[0]!;
}

export interface RecipeAt {
  versionId: string;
  /** Each line's item and ml, with the item's category (for modifiers). */
  lines: IngredientPour[];
}

/**
 * The recipes through time of the menu items `menuItems` selects (a subquery of menu item ids), read once:
 * answers the recipe version of a menu item valid at `at` (the latest version whose valid_from is not after
 * it), or null when none was yet. Applying a file of sales asks this for every line; one read instead of two
 * queries a line.
 */
export async function recipeTimeline(
  d1: D1Database,
  menuItems: SQL,
): Promise<(menuItemId: string, at: string) => RecipeAt | null> {
  const byMenuItem = new Map<string, { validFrom: string; version: number; recipe: RecipeAt }[]>();
  for (const row of await versionRows(d1, menuItems)) {
    let versions = byMenuItem.get(row.menu_item_id);
    if (!versions) byMenuItem.set(row.menu_item_id, (versions = []));
    let last = versions.at(-1);
    if (last?.recipe.versionId !== row.version_id) {
      last = {
        validFrom: row.valid_from,
        version: row.version,
        recipe: { versionId: row.version_id, lines: [] },
      };
      versions.push(last);
    }
    last.recipe.lines.push({ itemId: row.item_id, ml: row.ml, category: row.category });
  }
  // Latest first: by valid_from, then by version among versions valid from the same moment.
  for (const versions of byMenuItem.values()) {
    versions.sort((a, b) =>
      a.validFrom === b.validFrom ? b.version - a.version : a.validFrom < b.validFrom ? 1 : -1,
    );
  }
  return (menuItemId, at) => byMenuItem.get(menuItemId)?.find((v) => v.validFrom <= at)?.recipe ?? null;
}
