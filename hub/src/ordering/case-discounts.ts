import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import type { CaseDiscount } from './stock-policy.ts';

/** The offer if it belongs to a supplier of the organization; 404 otherwise. */
async function ownOffer(d1: D1Database, organizationId: string, supplierId: string, offerId: string) {
  const row = await openDb(d1).get(
    sql`SELECT o.id FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id
         WHERE o.id = ${offerId} AND s.id = ${supplierId} AND s.organization_id = ${organizationId}`,
  );
  if (!row) throw new AppError(404, 'not_found', 'offer not found');
}

export async function caseDiscounts(
  d1: D1Database,
  organizationId: string,
  supplierId: string,
  offerId: string,
): Promise<CaseDiscount[]> {
  await ownOffer(d1, organizationId, supplierId, offerId);
  return openDb(d1).all<CaseDiscount>(
    sql`SELECT min_cases AS minCases, discount FROM offer_case_discounts WHERE offer_id = ${offerId} ORDER BY min_cases`,
  );
}

/** Replaces an offer's case-discount tiers (an empty list removes them), in one batch. */
export async function setCaseDiscounts(
  d1: D1Database,
  organizationId: string,
  supplierId: string,
  offerId: string,
  tiers: readonly CaseDiscount[],
): Promise<CaseDiscount[]> {
  await ownOffer(d1, organizationId, supplierId, offerId);
  // One D1 batch, prepare/bind (values bound): drizzle 0.45's D1 batch cannot run a parameterised `sql` item
  // (drizzle-orm#2277).
  await d1.batch([
    d1.prepare('DELETE FROM offer_case_discounts WHERE offer_id = ?').bind(offerId),
    ...tiers.map((t) =>
      d1
        .prepare('INSERT INTO offer_case_discounts (offer_id, min_cases, discount) VALUES (?, ?, ?)')
        .bind(offerId, t.minCases, t.discount),
    ),
  ]);
  return caseDiscounts(d1, organizationId, supplierId, offerId);
}
