import { and, asc, eq } from 'drizzle-orm';
import type { Supplier, SupplierOffer, SupplierOfferInput } from '@pourcast/protocol';
import { newId, type Db } from '../db/client.ts';
import { items, supplierOffers, suppliers } from '../db/schema.ts';
import { AppError, notFound } from '../http/app-error.ts';

type SupplierFields = Omit<Supplier, 'id' | 'organizationId'>;
type OfferFields = Omit<SupplierOffer, 'id' | 'supplierId'>;

const toSupplier = (row: typeof suppliers.$inferSelect): Supplier => ({
  id: row.id,
  organizationId: row.organizationId,
  name: row.name,
  email: row.email,
  phone: row.phone,
  deliveryFee: row.deliveryFee,
});

const toOffer = (row: typeof supplierOffers.$inferSelect): SupplierOffer => ({
  id: row.id,
  supplierId: row.supplierId,
  itemId: row.itemId,
  price: row.price,
  caseSize: row.caseSize,
  leadTimeDays: row.leadTimeDays,
  minimumOrder: row.minimumOrder,
});

const inOrg = (organizationId: string, id: string) =>
  and(eq(suppliers.id, id), eq(suppliers.organizationId, organizationId));

export async function listSuppliers(db: Db, organizationId: string): Promise<Supplier[]> {
  const rows = await db
    .select()
    .from(suppliers)
    .where(eq(suppliers.organizationId, organizationId))
    .orderBy(asc(suppliers.name));
  return rows.map(toSupplier);
}

export async function getSupplier(db: Db, organizationId: string, id: string): Promise<Supplier> {
  const [row] = await db.select().from(suppliers).where(inOrg(organizationId, id));
  if (!row) throw notFound('supplier');
  return toSupplier(row);
}

export async function createSupplier(
  db: Db,
  organizationId: string,
  input: SupplierFields,
): Promise<Supplier> {
  const [row] = await db
    .insert(suppliers)
    .values({ id: newId(), organizationId, ...input })
    .returning();
  return toSupplier(row!);
}

export async function updateSupplier(
  db: Db,
  organizationId: string,
  id: string,
  patch: Partial<SupplierFields>,
) {
  const current = await getSupplier(db, organizationId, id);
  if (Object.keys(patch).length === 0) return current;
  const [row] = await db.update(suppliers).set(patch).where(inOrg(organizationId, id)).returning();
  return toSupplier(row!);
}

/** Deletes the supplier and its offers (one batch). */
export async function deleteSupplier(db: Db, organizationId: string, id: string): Promise<void> {
  await getSupplier(db, organizationId, id);
  await db.batch([
    db.delete(supplierOffers).where(eq(supplierOffers.supplierId, id)),
    db.delete(suppliers).where(inOrg(organizationId, id)),
  ]);
}

export async function listOffers(
  db: Db,
  organizationId: string,
  supplierId: string,
): Promise<SupplierOffer[]> {
  await getSupplier(db, organizationId, supplierId);
  const rows = await db
    .select()
    .from(supplierOffers)
    .where(eq(supplierOffers.supplierId, supplierId))
    .orderBy(asc(supplierOffers.createdAt), asc(supplierOffers.id));
  return rows.map(toOffer);
}

async function assertOwnItem(db: Db, organizationId: string, itemId: string) {
  const [item] = await db
    .select({ id: items.id })
    .from(items)
    .where(and(eq(items.id, itemId), eq(items.organizationId, organizationId)));
  if (!item) {
    throw new AppError(422, 'unknown_item', 'the offer names an item this organization does not have', [
      'body.itemId: not an item of this organization',
    ]);
  }
}

export async function createOffer(
  db: Db,
  organizationId: string,
  supplierId: string,
  input: OfferFields,
): Promise<SupplierOffer> {
  await getSupplier(db, organizationId, supplierId);
  await assertOwnItem(db, organizationId, input.itemId);
  const [row] = await db
    .insert(supplierOffers)
    .values({ id: newId(), supplierId, ...input })
    .returning();
  return toOffer(row!);
}

async function getOfferRow(db: Db, organizationId: string, supplierId: string, offerId: string) {
  await getSupplier(db, organizationId, supplierId);
  const [row] = await db
    .select()
    .from(supplierOffers)
    .where(and(eq(supplierOffers.id, offerId), eq(supplierOffers.supplierId, supplierId)));
  if (!row) throw notFound('offer');
  return row;
}

export async function updateOffer(
  db: Db,
  organizationId: string,
  supplierId: string,
  offerId: string,
  patch: Partial<SupplierOfferInput>,
): Promise<SupplierOffer> {
  const current = await getOfferRow(db, organizationId, supplierId, offerId);
  if (Object.keys(patch).length === 0) return toOffer(current);
  if (patch.itemId) await assertOwnItem(db, organizationId, patch.itemId);
  const [row] = await db
    .update(supplierOffers)
    .set(patch as Partial<OfferFields>)
    .where(eq(supplierOffers.id, offerId))
    .returning();
  return toOffer(row!);
}

export async function deleteOffer(db: Db, organizationId: string, supplierId: string, offerId: string) {
  await getOfferRow(db, organizationId, supplierId, offerId);
  await db.delete(supplierOffers).where(eq(supplierOffers.id, offerId));
}
