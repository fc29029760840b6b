import { sql } from 'drizzle-orm';
import { openDb, runBatch } from '../db/client.ts';
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
  await runBatch(d1, [
    sql`DELETE FROM offer_case_discounts WHERE offer_id = ${offerId}`,
    ...tiers.map(
      (t) =>
        sql`INSERT INTO offer_case_discounts (offer_id, min_cases, discount) VALUES (${offerId}, ${t.minCases}, ${t.discount})`,
    ),
  ]);
  return caseDiscounts(d1, organizationId, supplierId, offerId);
}
