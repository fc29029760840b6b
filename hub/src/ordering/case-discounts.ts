import { AppError } from '../http/app-error.ts';
import type { CaseDiscount } from './stock-policy.ts';

/** The offer if it belongs to a supplier of the organization; 404 otherwise. */
async function ownOffer(d1: D1Database, organizationId: string, supplierId: string, offerId: string) {
  const row = await d1
    .prepare(
      `SELECT o.id FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id
        WHERE o.id = ? AND s.id = ? AND s.organization_id = ?`,
    )
    .bind(offerId, supplierId, organizationId)
    .first();
  if (!row) throw new AppError(404, 'not_found', 'offer not found');
}

export async function caseDiscounts(
  d1: D1Database,
  organizationId: string,
  supplierId: string,
  offerId: string,
): Promise<CaseDiscount[]> {
  await ownOffer(d1, organizationId, supplierId, offerId);
  const { results } = await d1
    .prepare(
      'SELECT min_cases AS minCases, discount FROM offer_case_discounts WHERE offer_id = ? ORDER BY min_cases',
    )
    .bind(offerId)
    .all<CaseDiscount>();
  return results;
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
