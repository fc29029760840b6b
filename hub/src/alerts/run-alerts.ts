import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { channelsFromEnv, type AlertBindings, type Channels } from './channels.ts';
import { fanOut, sendDue, type DeliveryOptions } from './deliver.ts';
import { evaluateAlerts } from './evaluate.ts';

export interface AlertRunResult {
  raised: number;
  deduplicated: number;
  resolved: number;
  delivered: number;
  failed: number;
}

/** Evaluate the rules for one organization, notify the recipients of new alerts, send what is due. */
export async function runAlerts(
  d1: D1Database,
  organizationId: string,
  now: Date,
  channels: Channels,
  options: DeliveryOptions = {},
): Promise<AlertRunResult> {
  const evaluation = await evaluateAlerts(d1, organizationId, now);
  await fanOut(d1, organizationId, evaluation.raised, now, options);
  const sent = await sendDue(d1, channels, now, organizationId);
  return {
    raised: evaluation.raised.length,
    deduplicated: evaluation.deduplicated,
    resolved: evaluation.resolved,
    delivered: sent.sent,
    failed: sent.failed,
  };
}

/**
 * The cron tick's part (index.ts `scheduled`, beside the forecasting tick): every organization, then the
 * deliveries of any organization that came due (held by quiet hours or waiting for a retry).
 */
export async function alertsTick(env: AlertBindings & { DB: D1Database }, now: Date, doFetch?: typeof fetch) {
  const channels = channelsFromEnv(env, doFetch);
  const results = await openDb(env.DB).all<{ id: string }>(sql`SELECT id FROM organizations`);
  const runs: AlertRunResult[] = [];
  for (const org of results) runs.push(await runAlerts(env.DB, org.id, now, channels));
  await sendDue(env.DB, channels, now);
  return runs;
}
