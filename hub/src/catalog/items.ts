import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Item, ItemInput } from '@pourcast/protocol';
import { newId, nowIso, type Db } from '../db/client.ts';
import { items } from '../db/schema.ts';
import { notFound } from '../http/app-error.ts';

type ItemRow = typeof items.$inferSelect;
export type ItemFields = Omit<Item, 'id' | 'organizationId'>;

export const toItem = (row: ItemRow): Item => ({
  id: row.id,
  organizationId: row.organizationId,
  name: row.name,
  category: row.category,
  containerMl: row.containerMl,
  unit: row.unit,
  barcodes: row.barcodes,
  emptyWeightG: row.emptyWeightG,
  densityGPerMl: row.densityGPerMl,
  cost: row.cost,
  parLevelMl: row.parLevelMl,
});

const activeIn = (organizationId: string) =>
  and(eq(items.organizationId, organizationId), isNull(items.archivedAt));

/** The organization's items that are not archived, by name. */
export async function listItems(db: Db, organizationId: string): Promise<Item[]> {
  const rows = await db.select().from(items).where(activeIn(organizationId)).orderBy(asc(items.name));
  return rows.map(toItem);
}

export async function getItem(db: Db, organizationId: string, id: string): Promise<Item> {
  const [row] = await db
    .select()
    .from(items)
    .where(and(eq(items.id, id), activeIn(organizationId)));
  if (!row) throw notFound('item');
  return toItem(row);
}

export async function createItem(db: Db, organizationId: string, input: ItemFields): Promise<Item> {
  const [row] = await db
    .insert(items)
    .values({ id: newId(), organizationId, ...input })
    .returning();
  return toItem(row!);
}

export async function updateItem(
  db: Db,
  organizationId: string,
  id: string,
  patch: Partial<ItemInput>,
): Promise<Item> {
  const current = await getItem(db, organizationId, id);
  if (Object.keys(patch).length === 0) return current;
  const [row] = await db
    .update(items)
    .set(patch as Partial<ItemFields>)
    .where(and(eq(items.id, id), activeIn(organizationId)))
    .returning();
  return toItem(row!);
}

/** Archives the item: it leaves lists, stock and gateway catalogs; its ledger history stays. */
export async function archiveItem(db: Db, organizationId: string, id: string): Promise<void> {
  await getItem(db, organizationId, id);
  await db
    .update(items)
    .set({ archivedAt: nowIso() })
    .where(and(eq(items.id, id), activeIn(organizationId)));
}
