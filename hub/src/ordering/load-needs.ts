import type { ItemUnit } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { tradingDayOf } from '../demand/business-day.ts';
import { forecastOutlook } from './demand-outlook.ts';
import type { ItemNeed, OfferTerms } from './plan-orders.ts';

/** Orders whose deliveries are still expected. */
export const OPEN_STATUSES = ['approved', 'sent', 'partially_received'] as const;
/** OPEN_STATUSES as the items of an SQL `IN (…)`, each a bound value. */
export const OPEN_STATUSES_SQL = sql.join(
  OPEN_STATUSES.map((status) => sql`${status}`),
  sql`, `,
);

interface ItemRow {
  id: string;
  name: string;
  category: string;
  unit: ItemUnit;
  container_ml: number;
  par_level_ml: number | null;
  sealed: number | null;
  open_ml: number | null;
  pinned_ml: number | null;
  days: string | null;
  dispersion: number | null;
  dispersion_power: 1 | 2 | null;
  correlation: number | null;
  observed_days: number | null;
  arriving: number | null;
}

interface OfferRow {
  id: string;
  item_id: string;
  supplier_id: string;
  supplier_name: string;
  price: number;
  case_size: number;
  lead_time_days: number;
  minimum_order: number;
  delivery_fee: number;
  discounts: string | null;
}

export const containerLabel = (row: { category: string; unit: string }) =>
  row.unit === 'unit' ? 'units' : row.category === 'keg' ? 'kegs' : 'bottles';

/** Fewer forecast days than this left from today, and the forecast is too old to order from. */
export const MIN_FORECAST_DAYS_LEFT = 7;

/**
 * The days of a stored forecast from the bar's trading day `today` on. A forecast whose nightly run is
 * days old still holds the days already past; counting them as demand to come would order for a past
 * weekend. With fewer than a week left the weekly shape cannot be carried on, so there is none (null) and
 * the item is ordered to its par, as an item without a forecast is.
 */
export function daysFrom<T extends { date: string }>(days: readonly T[], today: string): T[] | null {
  const left = days.filter((d) => d.date >= today);
  return left.length >= MIN_FORECAST_DAYS_LEFT ? left : null;
}

/**
 * Everything the ordering rules need per active item at a bar: stock on hand (the ledger's fold), what is
 * still arriving on open orders, the stored forecast (usable once anything was measured; only its days from
 * the bar's trading day at `now` on, see daysFrom), the pinned and catalog pars, and every supplier's offer
 * with its case discounts.
 */
export async function loadNeeds(
  d1: D1Database,
  organizationId: string,
  locationId: string,
  now: Date = new Date(),
): Promise<ItemNeed[]> {
  const db = openDb(d1);
  const place = await db.get<{ timezone: string }>(
    sql`SELECT timezone FROM locations WHERE id = ${locationId} AND organization_id = ${organizationId}`,
  );
  const today = tradingDayOf(place?.timezone ?? 'UTC', now);
  const [items, offers] = await Promise.all([
    db.all<ItemRow>(
      sql`SELECT i.id, i.name, i.category, i.unit, i.container_ml, i.par_level_ml,
                 s.sealed_containers AS sealed, s.open_ml, p.par_ml AS pinned_ml,
                 f.days, f.dispersion, f.dispersion_power, f.correlation, f.observed_days,
                 (SELECT SUM(MAX(l.quantity - l.received_quantity, 0)) FROM purchase_order_lines l
                    JOIN purchase_orders o ON o.id = l.order_id
                   WHERE o.location_id = ${locationId} AND o.status IN (${OPEN_STATUSES_SQL}) AND l.item_id = i.id) AS arriving
            FROM items i
            LEFT JOIN stock_levels s ON s.item_id = i.id AND s.location_id = ${locationId}
            LEFT JOIN par_levels p ON p.item_id = i.id AND p.location_id = ${locationId}
            LEFT JOIN forecasts f ON f.item_id = i.id AND f.location_id = ${locationId}
           WHERE i.organization_id = ${organizationId} AND i.archived_at IS NULL
           ORDER BY i.name, i.id`,
    ),
    db.all<OfferRow>(
      sql`SELECT o.id, o.item_id, o.supplier_id, s.name AS supplier_name, o.price, o.case_size, o.lead_time_days,
                 o.minimum_order, s.delivery_fee,
                 (SELECT json_group_array(json_object('minCases', d.min_cases, 'discount', d.discount))
                    FROM offer_case_discounts d WHERE d.offer_id = o.id) AS discounts
            FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id
           WHERE s.organization_id = ${organizationId}`,
    ),
  ]);
  const offersByItem = new Map<string, OfferTerms[]>();
  for (const o of offers) {
    const terms: OfferTerms = {
      offerId: o.id,
      supplierId: o.supplier_id,
      supplierName: o.supplier_name,
      price: o.price,
      caseSize: o.case_size,
      leadTimeDays: o.lead_time_days,
      minimumOrder: o.minimum_order,
      deliveryFee: o.delivery_fee,
      discounts: o.discounts ? JSON.parse(o.discounts) : [],
    };
    offersByItem.set(o.item_id, [...(offersByItem.get(o.item_id) ?? []), terms]);
  }
  return items.map((row) => {
    const days =
      row.days && row.observed_days
        ? daysFrom<{ date: string; mean: number }>(JSON.parse(row.days), today)
        : null;
    return {
      itemId: row.id,
      itemName: row.name,
      containerMl: row.container_ml,
      containerLabel: containerLabel(row),
      onHandMl: Math.max(0, (row.sealed ?? 0) * row.container_ml + (row.open_ml ?? 0)),
      arrivingMl: (row.arriving ?? 0) * row.container_ml,
      outlook: days
        ? forecastOutlook({
            days,
            spread: { dispersion: row.dispersion!, power: row.dispersion_power! },
            correlation: row.correlation!,
          })
        : null,
      pinnedParMl: row.pinned_ml,
      catalogParMl: row.par_level_ml,
      offers: offersByItem.get(row.id) ?? [],
    };
  });
}
