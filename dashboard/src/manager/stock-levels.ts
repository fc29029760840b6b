import type { StockLine } from '@pourcast/protocol';

export type Level = 'out' | 'critical' | 'low' | 'ok' | 'unset';

/** Stock against par: out (nothing), critical (under half), low (under par), ok, or no par set. */
export function levelOf(line: Pick<StockLine, 'totalMl' | 'parLevelMl'>): Level {
  if (line.totalMl <= 0) return 'out';
  if (line.parLevelMl === null || line.parLevelMl <= 0) return 'unset';
  const share = line.totalMl / line.parLevelMl;
  return share < 0.5 ? 'critical' : share < 1 ? 'low' : 'ok';
}

/** Share of par, for a bar-shaped gauge (capped at 150 %). */
export const parShare = (line: Pick<StockLine, 'totalMl' | 'parLevelMl'>) =>
  line.parLevelMl ? Math.min(1.5, Math.max(0, line.totalMl / line.parLevelMl)) : null;

export interface DailyDemand {
  date: string;
  p50: number;
  p90: number;
}

/**
 * The first day the forecast empties the shelf: demand summed day by day against what is on hand.
 * At P90 it is the cautious date, at P50 the likely one; null when it lasts the whole horizon.
 */
export function runOutDate(
  onHand: number,
  days: readonly DailyDemand[],
  quantile: 'p50' | 'p90',
): string | null {
  let left = onHand;
  for (const day of days) {
    left -= day[quantile];
    if (left <= 0) return day.date;
  }
  return null;
}
