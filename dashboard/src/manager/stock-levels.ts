import type { StockLine } from '@pourcast/protocol';
import { formatVolume, t } from '../shared/i18n.ts';
import { containerLabelOf, containersOf, type ContainerLabel } from './pars.ts';

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

/** What an amount of an item is counted in: the item's unit (ml for liquids, units for countables) and container. */
export type Counted = Pick<StockLine, 'category' | 'containerMl' | 'unit'>;

/** A count of containers by what the bar counts them in: "7.5 bottles", "2 kegs", "24 units". */
export function countText(count: number, label: ContainerLabel): string {
  return label === 'kegs'
    ? t('orders.why.kegs', { count })
    : label === 'units'
      ? t('orders.why.units', { count })
      : t('orders.why.bottles', { count });
}

/** An amount in the item's containers, to a tenth: "7.5 bottles", "2 kegs", "24 units". */
export const containersText = (amount: number, item: Counted): string =>
  countText(containersOf(amount, item.containerMl), containerLabelOf(item));

/**
 * An amount of an item as the bar counts it: a liquid's millilitres as a volume ("1.5 L"), a countable's
 * (bottled beer, cans, garnish counted in units, whose stock and pars the hub keeps in units) as units
 * ("24 units"), never as millilitres. An item not (or not yet) known is shown as a volume, as the hub keeps it.
 */
export const amountText = (amount: number, item: Counted | undefined): string =>
  item?.unit === 'unit' ? containersText(amount, item) : formatVolume(amount);
