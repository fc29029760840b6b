import type { AlertRule } from '@pourcast/protocol';
import { sql, type SQL } from 'drizzle-orm';
import { newId, openDb, runBatch } from '../db/client.ts';
import { orderingSettings, type OrderingSettings } from '../ordering/ordering-settings.ts';
import {
  discrepancyFacts,
  draftOrderFacts,
  gatewayFacts,
  lateOrderFacts,
  licenceFacts,
  loadLocations,
  stockFacts,
  varianceFacts,
} from './facts.ts';
import {
  awaitingApprovalAlerts,
  deliveryDiscrepancyAlerts,
  deliveryLateAlerts,
  gatewayOfflineAlerts,
  licenceExpiryAlerts,
  lowStockAlerts,
  varianceAlerts,
  type AlertCandidate,
} from './rules.ts';
import { scaleDriftFacts, scaleRecalibrationAlerts } from './scale-recalibration.ts';
import { deviceOfflineAlerts, deviceOfflineFacts } from './device-offline.ts';

export interface RaisedAlert extends AlertCandidate {
  id: string;
}

export interface Evaluation {
  /** Alerts opened by this run (to be delivered). */
  raised: RaisedAlert[];
  /** Conditions seen again while their alert is open, or inside an acknowledgement's snooze. */
  deduplicated: number;
  /** Open alerts whose condition is gone. */
  resolved: number;
  /** `rule: message` for rules that failed this run. */
  errors?: string[];
}

export interface Candidates {
  candidates: AlertCandidate[];
  /** Rules that ran to the end; a rule that failed resolves nothing this run. */
  evaluated: AlertRule[];
  /** `rule: message` for each rule that failed (its loader threw). */
  errors: string[];
}

/**
 * Every rule's candidates for one organization at `now`. Rules are independent: one failing (a query error)
 * is reported and skipped, the others still run.
 */
export async function candidateAlerts(
  d1: D1Database,
  organizationId: string,
  now: Date,
): Promise<Candidates> {
  const locations = await loadLocations(d1, organizationId);
  let settings: Promise<OrderingSettings> | undefined;
  /** The manager's days of grace past an expected delivery, read once for both delivery rules. */
  const graceDays = async () => (await (settings ??= orderingSettings(d1, organizationId))).deliveryGraceDays;
  const rules: Record<AlertRule, () => Promise<AlertCandidate[]>> = {
    low_stock: async () =>
      lowStockAlerts(
        (await Promise.all(locations.map((l) => stockFacts(d1, organizationId, l, now)))).flat(),
      ),
    variance: async () =>
      varianceAlerts(
        (await Promise.all(locations.map((l) => varianceFacts(d1, organizationId, l, now)))).flat(),
        'the last 24 hours',
      ),
    gateway_offline: async () => gatewayOfflineAlerts(await gatewayFacts(d1, organizationId), now),
    order_awaiting_approval: async () =>
      awaitingApprovalAlerts(await draftOrderFacts(d1, organizationId), now),
    delivery_discrepancy: async () =>
      deliveryDiscrepancyAlerts(await discrepancyFacts(d1, organizationId, now), now, await graceDays()),
    delivery_late: async () =>
      deliveryLateAlerts(await lateOrderFacts(d1, organizationId), now, await graceDays()),
    licence_expiry: async () => licenceExpiryAlerts(await licenceFacts(d1, organizationId), now),
    scale_recalibration: async () => scaleRecalibrationAlerts(await scaleDriftFacts(d1, organizationId)),
    device_offline: async () => deviceOfflineAlerts(await deviceOfflineFacts(d1, organizationId), now),
  };
  const result: Candidates = { candidates: [], evaluated: [], errors: [] };
  const outcomes = await Promise.allSettled(Object.values(rules).map((run) => run()));
  (Object.keys(rules) as AlertRule[]).forEach((rule, i) => {
    const outcome = outcomes[i]!;
    if (outcome.status === 'fulfilled') {
      result.candidates.push(...outcome.value);
      result.evaluated.push(rule);
    } else result.errors.push(`${rule}: ${(outcome.reason as Error)?.message ?? String(outcome.reason)}`);
  });
  return result;
}

interface ExistingRow {
  id: string;
  dedup_key: string;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledged_at: string | null;
}

/**
 * Records candidates: a key with an open alert bumps it (occurrences, last seen, current severity and text);
 * a key acknowledged within its rule's snooze (for ever for one-shot reminders) is skipped; anything else
 * opens a new alert. Open alerts of the evaluated rules whose condition is gone are resolved.
 */
export async function recordAlerts(
  d1: D1Database,
  organizationId: string,
  candidates: readonly AlertCandidate[],
  now: Date,
  rules: readonly AlertRule[],
): Promise<Evaluation> {
  const at = now.toISOString();
  const keys = JSON.stringify(candidates.map((c) => c.dedupKey));
  const existing = await openDb(d1).all<ExistingRow>(
    sql`SELECT id, dedup_key, status, acknowledged_at FROM alerts
         WHERE organization_id = ${organizationId} AND (status = 'open' OR dedup_key IN (SELECT value FROM json_each(${keys})))
         ORDER BY created_at`,
  );
  const open = new Map(existing.filter((r) => r.status === 'open').map((r) => [r.dedup_key, r]));
  const closed = new Map<string, ExistingRow[]>();
  for (const row of existing.filter((r) => r.status !== 'open'))
    closed.set(row.dedup_key, [...(closed.get(row.dedup_key) ?? []), row]);

  const writes: SQL[] = [];
  const raised: RaisedAlert[] = [];
  const insertAt: number[] = [];
  let deduplicated = 0;
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.dedupKey)) continue;
    seen.add(c.dedupKey);
    const current = open.get(c.dedupKey);
    if (current) {
      deduplicated++;
      writes.push(
        sql`UPDATE alerts SET occurrences = occurrences + 1, last_seen_at = ${at}, severity = ${c.severity},
              title = ${c.title}, body = ${c.body}
             WHERE id = ${current.id}`,
      );
      continue;
    }
    const earlier = closed.get(c.dedupKey) ?? [];
    const snoozed = earlier.some((row) =>
      c.snoozeHours === Number.POSITIVE_INFINITY
        ? true
        : row.status === 'acknowledged' &&
          row.acknowledged_at !== null &&
          now.getTime() - Date.parse(row.acknowledged_at) < c.snoozeHours * 3_600_000,
    );
    if (snoozed) {
      deduplicated++;
      continue;
    }
    const id = newId();
    raised.push({ ...c, id });
    insertAt.push(writes.length);
    writes.push(
      sql`INSERT OR IGNORE INTO alerts (id, organization_id, location_id, rule, severity, dedup_key, title, body,
            occurrences, created_at, last_seen_at, status)
          VALUES (${id}, ${organizationId}, ${c.locationId}, ${c.rule}, ${c.severity}, ${c.dedupKey}, ${c.title},
                  ${c.body}, 1, ${at}, ${at}, 'open')`,
    );
  }
  const gone = [...open.values()].filter((row) => !seen.has(row.dedup_key));
  const ruleSet = new Set<string>(rules);
  const resolvable = gone.filter((row) => ruleSet.has(row.dedup_key.split(':')[0]!));
  for (const row of resolvable)
    writes.push(sql`UPDATE alerts SET status = 'resolved', resolved_at = ${at} WHERE id = ${row.id}`);
  if (writes.length) {
    const results = await runBatch(d1, writes);
    // A concurrent run may have opened the same key first (the partial unique index): deliver only ours.
    const ours = raised.filter((_alert, i) => results[insertAt[i]!]!.meta.changes > 0);
    raised.splice(0, raised.length, ...ours);
  }
  return { raised, deduplicated, resolved: resolvable.length };
}

/** Runs every rule for the organization and records what they see; failed rules are logged, not fatal. */
export async function evaluateAlerts(d1: D1Database, organizationId: string, now: Date): Promise<Evaluation> {
  const { candidates, evaluated, errors } = await candidateAlerts(d1, organizationId, now);
  for (const error of errors) console.error(`alerts: organization ${organizationId}: ${error}`);
  return { ...(await recordAlerts(d1, organizationId, candidates, now, evaluated)), errors };
}
