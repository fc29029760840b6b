import type { AlertRule, AlertSeverity } from '@pourcast/protocol';
import { localParts } from '../pos/local-time.ts';

/**
 * The alert rules as pure functions: facts in, candidate alerts out. The runner (evaluate.ts) loads the facts
 * from D1 and records the candidates; nothing here reads a clock or a database.
 */
export interface AlertCandidate {
  rule: AlertRule;
  severity: AlertSeverity;
  locationId: string | null;
  /**
   * Stable de-duplication key: rule + subject (+ the reminder step for licences). While an alert with this key
   * is open, the condition seen again only bumps it; it never opens a second one.
   */
  dedupKey: string;
  title: string;
  body: string;
  /** After an acknowledgement, hours before the same key may open a new alert (Infinity: never). */
  snoozeHours: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface StockFact {
  locationId: string;
  locationName: string;
  itemId: string;
  itemName: string;
  onHandMl: number;
  arrivingMl: number;
  parMl: number | null;
  /** P90 of demand over the lead time of the next delivery; null without a forecast. */
  demandP90BeforeDeliveryMl: number | null;
  leadTimeDays: number;
  /** Countables (lemons, bottled beer) are counted in units, liquids in ml. */
  countable: boolean;
}

const amount = (f: StockFact, n: number) =>
  f.countable ? `${Math.round(n)} units` : `${Math.round(n / 10) / 100} l`;

/** Stock-out before the next delivery (when a forecast exists) is critical; below par is a warning. */
export function lowStockAlerts(facts: readonly StockFact[]): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const f of facts) {
    const base = {
      rule: 'low_stock' as const,
      locationId: f.locationId,
      dedupKey: `low_stock:${f.locationId}:${f.itemId}`,
      snoozeHours: 24,
    };
    const expected = f.onHandMl + f.arrivingMl;
    if (f.demandP90BeforeDeliveryMl !== null && expected < f.demandP90BeforeDeliveryMl) {
      out.push({
        ...base,
        severity: 'critical',
        title: `${f.itemName} runs out before the next delivery at ${f.locationName}`,
        body:
          `${amount(f, f.onHandMl)} on hand and ${amount(f, f.arrivingMl)} arriving; up to ` +
          `${amount(f, f.demandP90BeforeDeliveryMl)} may be used in the ${f.leadTimeDays} day(s) a delivery takes (P90).`,
      });
    } else if (f.parMl !== null && f.onHandMl < f.parMl) {
      out.push({
        ...base,
        severity: f.onHandMl <= 0 ? 'critical' : 'warning',
        title: `${f.itemName} is below par at ${f.locationName}`,
        body: `${amount(f, f.onHandMl)} on hand, par ${amount(f, f.parMl)}.`,
      });
    }
  }
  return out;
}

export interface VarianceFact {
  locationId: string;
  locationName: string;
  itemId: string;
  itemName: string;
  varianceMl: number;
  variancePct: number | null;
  bandMl: number;
}

/** Lines the variance engine flagged (beyond the measurement band and the owner's tolerance). */
export function varianceAlerts(flagged: readonly VarianceFact[], periodLabel: string): AlertCandidate[] {
  return flagged.map((f) => {
    const pct = f.variancePct === null ? '' : ` (${Math.round(f.variancePct * 10) / 10} %)`;
    const direction = f.varianceMl > 0 ? 'more poured than sold' : 'less poured than sold';
    return {
      rule: 'variance',
      severity: 'warning',
      locationId: f.locationId,
      dedupKey: `variance:${f.locationId}:${f.itemId}`,
      title: `Variance on ${f.itemName} at ${f.locationName}`,
      body: `${Math.abs(f.varianceMl)} ml ${direction}${pct} over ${periodLabel}, beyond the ±${f.bandMl} ml band.`,
      snoozeHours: 24,
    };
  });
}

export interface GatewayFact {
  gatewayId: string;
  name: string;
  locationId: string;
  locationName: string;
  /** Last contact; the claim time for a gateway never heard from. */
  lastSeenAt: string;
}

export const GATEWAY_OFFLINE_MINUTES = 15;

/** Silent longer than the threshold: a warning, critical after an hour. */
export function gatewayOfflineAlerts(
  gateways: readonly GatewayFact[],
  now: Date,
  thresholdMinutes = GATEWAY_OFFLINE_MINUTES,
): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const g of gateways) {
    const silentMinutes = Math.floor((now.getTime() - new Date(g.lastSeenAt).getTime()) / 60_000);
    if (silentMinutes < thresholdMinutes) continue;
    out.push({
      rule: 'gateway_offline',
      severity: silentMinutes >= 60 ? 'critical' : 'warning',
      locationId: g.locationId,
      dedupKey: `gateway_offline:${g.gatewayId}`,
      title: `Gateway ${g.name} at ${g.locationName} is offline`,
      body: `Nothing heard from it for ${silentMinutes} minutes (since ${g.lastSeenAt}).`,
      snoozeHours: 4,
    });
  }
  return out;
}

export interface DraftOrderFact {
  orderId: string;
  locationId: string;
  locationName: string;
  supplierName: string;
  createdAt: string;
}

export const APPROVAL_WAIT_HOURS = 4;

export function awaitingApprovalAlerts(
  drafts: readonly DraftOrderFact[],
  now: Date,
  waitHours = APPROVAL_WAIT_HOURS,
): AlertCandidate[] {
  return drafts
    .filter((d) => now.getTime() - new Date(d.createdAt).getTime() >= waitHours * HOUR_MS)
    .map((d) => ({
      rule: 'order_awaiting_approval' as const,
      severity: 'info' as const,
      locationId: d.locationId,
      dedupKey: `order_awaiting_approval:${d.orderId}`,
      title: `An order to ${d.supplierName} for ${d.locationName} waits for approval`,
      body: `Drafted ${d.createdAt}; approve, edit or cancel it in Orders.`,
      snoozeHours: 24,
    }));
}

export interface DiscrepancyFact {
  orderId: string;
  locationId: string;
  locationName: string;
  supplierName: string;
  /** One line per difference, e.g. "Gin: short (10 of 12)". */
  differences: string[];
  /**
   * A partially received order: when its delivery was expected (sent, or approved when it was never sent, plus
   * its lead time) and one line per line still short, e.g. "Gin: short (4 of 12)". Null for any other order.
   */
  awaiting: { expectedAt: string; short: string[] } | null;
}

/**
 * Days of grace past an order's expected delivery (ordering/expected-delivery.ts) before the supplier is
 * chased: an order on which nothing has come is late (delivery_late), one on which only part came is short
 * (delivery_discrepancy). The default of the manager's setting (ordering settings' `deliveryGraceDays`).
 */
export const DELIVERY_GRACE_DAYS = 2;

/** Whole days from the expected delivery to `now` (negative before it). */
export const daysPastExpected = (expectedAt: string, now: Date) =>
  Math.floor((now.getTime() - Date.parse(expectedAt)) / DAY_MS);

/** `graceDays` or more past the expected delivery. */
const pastGrace = (expectedAt: string, now: Date, graceDays: number) =>
  now.getTime() - Date.parse(expectedAt) >= graceDays * DAY_MS;

/**
 * A delivery that differs from its order, once the order is received or closed (or within a week of a delivery
 * for over, substituted and price changed); and, apart, an order still partially received `shortAfterDays`
 * past its expected delivery: the rest has not come, so its lines are short now rather than when it is closed.
 */
export function deliveryDiscrepancyAlerts(
  facts: readonly DiscrepancyFact[],
  now: Date,
  shortAfterDays = DELIVERY_GRACE_DAYS,
): AlertCandidate[] {
  const differing = facts
    .filter((f) => f.differences.length > 0)
    .map((f) => ({
      rule: 'delivery_discrepancy' as const,
      severity: 'warning' as const,
      locationId: f.locationId,
      dedupKey: `delivery_discrepancy:${f.orderId}`,
      title: `The delivery from ${f.supplierName} to ${f.locationName} differs from the order`,
      body: f.differences.join('\n'),
      snoozeHours: Number.POSITIVE_INFINITY,
    }));
  const overdue = facts.flatMap((f) =>
    f.awaiting && f.awaiting.short.length > 0 && pastGrace(f.awaiting.expectedAt, now, shortAfterDays)
      ? [
          {
            rule: 'delivery_discrepancy' as const,
            severity: 'warning' as const,
            locationId: f.locationId,
            dedupKey: `delivery_discrepancy:${f.orderId}:short`,
            title: `The delivery from ${f.supplierName} to ${f.locationName} is short, past its expected date`,
            body: [
              ...f.awaiting.short,
              `Expected ${f.awaiting.expectedAt}; the rest has not come. Ask ${f.supplierName} for it, or close the order to accept the shortfall.`,
            ].join('\n'),
            snoozeHours: Number.POSITIVE_INFINITY,
          },
        ]
      : [],
  );
  return [...differing, ...overdue];
}

export interface LateOrderFact {
  orderId: string;
  locationId: string;
  locationName: string;
  supplierName: string;
  /** When it went to the supplier: sent, or approved when it was never sent (phoned in). */
  placedAt: string;
  /** False for an approved order never marked sent: it may have been phoned in, or never ordered at all. */
  sent: boolean;
  leadTimeDays: number;
  /** placedAt + leadTimeDays (ordering/expected-delivery.ts). */
  expectedAt: string;
}

/**
 * A sent (or approved, phoned-in) order on which nothing has arrived `graceDays` past its expected delivery:
 * the manager chases the supplier before the bar runs out. Facts are orders still awaiting their first
 * delivery, so the alert resolves once a delivery lands (partially received: the short rule takes over) or
 * the order is closed or cancelled.
 */
export function deliveryLateAlerts(
  facts: readonly LateOrderFact[],
  now: Date,
  graceDays = DELIVERY_GRACE_DAYS,
): AlertCandidate[] {
  return facts
    .filter((f) => pastGrace(f.expectedAt, now, graceDays))
    .map((f) => {
      const daysLate = daysPastExpected(f.expectedAt, now);
      const placed = f.sent ? `sent ${f.placedAt}` : `approved ${f.placedAt}, never marked sent`;
      const chase = f.sent
        ? `Ask ${f.supplierName} when it comes.`
        : `If it was phoned in, ask ${f.supplierName} when it comes; if not, send it or cancel it.`;
      return {
        rule: 'delivery_late' as const,
        severity: 'warning' as const,
        locationId: f.locationId,
        dedupKey: `delivery_late:${f.orderId}`,
        title: `The order from ${f.supplierName} for ${f.locationName} is ${daysLate} day(s) late`,
        body:
          `Order ${f.orderId}: expected ${f.expectedAt} (${placed}; lead time ${f.leadTimeDays} day(s)); ` +
          `nothing has arrived. ${chase}`,
        snoozeHours: 24,
      };
    });
}

export interface LicenceFact {
  licenceId: string;
  locationId: string;
  locationName: string;
  name: string;
  kind: 'licence' | 'permit';
  expiresOn: string;
  /** The bar's IANA zone: a reminder day is the bar's day. */
  timezone: string;
}

/** Reminder steps, days before expiry. */
export const LICENCE_REMINDER_DAYS = [60, 30, 7] as const;

/** The calendar date (YYYY-MM-DD) at `now` in the zone. */
export function localDate(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Whole days from `today` (YYYY-MM-DD) to `date` (YYYY-MM-DD). */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * One reminder per step (60, 30, 7 days ahead, then expired): the step is part of the key, so each is sent
 * once and a later step opens a new alert.
 */
export function licenceExpiryAlerts(licences: readonly LicenceFact[], now: Date): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const l of licences) {
    const daysLeft = daysBetween(localDate(now, l.timezone), l.expiresOn);
    const step =
      daysLeft < 0 ? 'expired' : [...LICENCE_REMINDER_DAYS].reverse().find((days) => daysLeft <= days);
    if (step === undefined) continue;
    const severity: AlertSeverity =
      step === 'expired' || step === 7 ? 'critical' : step === 30 ? 'warning' : 'info';
    out.push({
      rule: 'licence_expiry',
      severity,
      locationId: l.locationId,
      dedupKey: `licence_expiry:${l.licenceId}:${l.expiresOn}:${step}`,
      title:
        step === 'expired'
          ? `The ${l.kind} "${l.name}" at ${l.locationName} has expired`
          : `The ${l.kind} "${l.name}" at ${l.locationName} expires in ${daysLeft} day(s)`,
      body: `Expiry date ${l.expiresOn}; renew it and record the new date in Licences.`,
      snoozeHours: Number.POSITIVE_INFINITY,
    });
  }
  return out;
}
