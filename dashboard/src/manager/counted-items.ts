import type { StockLine } from '@pourcast/protocol';
import { useMemo } from 'preact/hooks';
import { formatVolume } from '../shared/i18n.ts';
import { hub, ok } from './api.ts';
import { containersOf } from './pars.ts';
import { usePoll } from './poll.ts';
import { countText } from './stock-levels.ts';

/** Items change their unit seldom: the stock answer is asked for again this often (a 304 when unchanged). */
const COUNTED_POLL_MS = 60_000;

/**
 * The organization's items with what each is counted in (unit, category, container), by item id, from the
 * bar's stock answer (it lists every active item): for screens whose own hub answer names an item but not
 * its unit, so a countable is shown in units (amountText) and not in ml.
 */
export function useCountedItems(barId: string | null): ReadonlyMap<string, StockLine> {
  const stock = usePoll(
    async () => (barId ? ok(await hub.locations[':id'].stock.$get({ param: { id: barId } })) : null),
    [barId],
    COUNTED_POLL_MS,
  );
  return useMemo(() => new Map((stock.data?.items ?? []).map((line) => [line.itemId, line])), [stock.data]);
}

/**
 * An amount from a hub report, in the unit its row (or total) says: a liquid's millilitres as a volume
 * ("1.5 L"), a countable's units as units ("44 units"), to a tenth. Reports carry the unit themselves, so
 * rows with no item (waste by reason) and totals read right too.
 */
export const reportAmountText = (amount: number, unit: StockLine['unit']): string =>
  unit === 'unit' ? countText(containersOf(amount, 1), 'units') : formatVolume(amount);
