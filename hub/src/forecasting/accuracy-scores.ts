import { type SQL, sql } from 'drizzle-orm';
import { dateOf, dayNumber } from './calendar.ts';
import { naiveScale } from './metrics.ts';
import type { DemandHistory, ForecastDay } from './types.ts';

export interface StoredForecastDays {
  model: string;
  days: ForecastDay[];
}

/**
 * Scores the forecast a series had for `yesterday` (made while that day was ahead) against what the
 * ledger measured. Nothing when yesterday was not measured or no forecast covered it. The M5 scales of
 * the history before yesterday go with the row, so RMSSE and scaled pinball can be averaged later.
 */
export function scoreYesterday(
  series: { location_id: string; item_id: string; organization_id: string },
  history: DemandHistory,
  yesterday: string,
  previous: StoredForecastDays | undefined,
): SQL | null {
  const day = previous?.days.find((d) => d.date === yesterday);
  if (!previous || !day) return null;
  const index = dayNumber(yesterday) - dayNumber(history.startDate);
  const actual = history.values[index];
  if (actual === null || actual === undefined) return null;
  const train = history.values.slice(0, index);
  const scale = (power: 1 | 2) => {
    const s = naiveScale(train, 1, power);
    return Number.isFinite(s) && s > 0 ? s : null;
  };
  return sql`INSERT OR REPLACE INTO forecast_scores (location_id, item_id, organization_id, date,
          actual, mean, p10, p50, p90, scale1, scale2, model)
        VALUES (${series.location_id}, ${series.item_id}, ${series.organization_id}, ${yesterday},
          ${actual}, ${day.mean}, ${day.p10}, ${day.p50}, ${day.p90}, ${scale(1)}, ${scale(2)}, ${previous.model})`;
}

export interface ScoreRow {
  actual: number;
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  scale1: number | null;
  scale2: number | null;
}

export interface RecentAccuracy {
  /** Scored days. */
  days: number;
  /** √(mean of squared error / scale2) over days with a scale; null without any. */
  rmsse: number | null;
  /** Mean over days of the pinball loss at 0.1, 0.5, 0.9 (averaged) / scale1. */
  spl: number | null;
  /** Shares of days below P10 and above P90 (a calibrated forecast has about 0.1 each). */
  belowP10: number | null;
  aboveP90: number | null;
}

const pinball = (y: number, q: number, level: number) => (y >= q ? level * (y - q) : (1 - level) * (q - y));

/** Pools scored days (one item's, or a whole bar's) into the tracked measures. */
export function summarizeScores(rows: readonly ScoreRow[]): RecentAccuracy {
  let squared = 0;
  let nSquared = 0;
  let pin = 0;
  let nPin = 0;
  let below = 0;
  let above = 0;
  for (const r of rows) {
    if (r.scale2) ((squared += (r.actual - r.mean) ** 2 / r.scale2), nSquared++);
    if (r.scale1) {
      const loss =
        (pinball(r.actual, r.p10, 0.1) + pinball(r.actual, r.p50, 0.5) + pinball(r.actual, r.p90, 0.9)) / 3;
      pin += loss / r.scale1;
      nPin++;
    }
    if (r.actual < r.p10) below++;
    if (r.actual > r.p90) above++;
  }
  const n = rows.length;
  return {
    days: n,
    rmsse: nSquared ? Math.sqrt(squared / nSquared) : null,
    spl: nPin ? pin / nPin : null,
    belowP10: n ? below / n : null,
    aboveP90: n ? above / n : null,
  };
}

/** Days of scores the accuracy figures cover. */
export const ACCURACY_WINDOW_DAYS = 28;

/** The day before a window of ACCURACY_WINDOW_DAYS ending at `last` (inclusive). */
export const accuracySince = (last: string) => dateOf(dayNumber(last) - ACCURACY_WINDOW_DAYS);
