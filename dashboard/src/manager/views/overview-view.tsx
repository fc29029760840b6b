import type { StockLine } from '@pourcast/protocol';
import { formatDate, formatMoney, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { LevelBadge } from '../components/level-badge.tsx';
import { lastDays, today } from '../periods.ts';
import { usePoll } from '../poll.ts';
import { rmsseText, shareText } from '../forecast-text.ts';
import { hrefOf } from '../router.ts';
import { can, currency, seesMoney } from '../state.ts';
import { amountText, levelOf, runOutDate } from '../stock-levels.ts';

/** Days until the next delivery when the app cannot see orders (staff) or none is on its way. */
const DEFAULT_HORIZON_DAYS = 7;
/** Lines a list shows before it points to the Stock page for the rest. */
const SHOWN = 12;

/** What needs a manager now: below par, running out before the next delivery, drafts, variance. */
export function OverviewView(props: { barId: string }) {
  const id = props.barId;
  const stock = usePoll(async () => ok(await hub.locations[':id'].stock.$get({ param: { id } })), [id]);
  const forecasts = usePoll(
    async () => (can('forecasts:read') ? ok(await hub.forecasts.$get({ query: { locationId: id } })) : null),
    [id],
    30_000,
  );
  const orders = usePoll(
    async () => (can('orders:read') ? ok(await hub.orders.$get({ query: { locationId: id } })) : null),
    [id],
  );
  const accuracy = usePoll(
    async () =>
      can('forecasts:read') ? ok(await hub.forecasts.accuracy.$get({ query: { locationId: id } })) : null,
    [id],
    60_000,
  );
  const variance = usePoll(
    async () => {
      if (!can('variance:read')) return null;
      const [day, week] = await Promise.all([
        hub.locations[':id'].variance.$get({ param: { id }, query: today() }).then(ok),
        hub.locations[':id'].variance.$get({ param: { id }, query: lastDays(7) }).then(ok),
      ]);
      return { day, week };
    },
    [id],
    15_000,
  );

  const drafts = orders.data?.filter((order) => order.status === 'draft') ?? [];
  const horizon = nextDeliveryDays(orders.data ?? null);
  const lines = stock.data?.items ?? [];
  const counted = new Map(lines.map((line) => [line.itemId, line]));
  const belowPar = lines.filter((line) => ['out', 'critical', 'low'].includes(levelOf(line)));
  const runningOut = (forecasts.data?.forecasts ?? [])
    .map((forecast) => {
      const line = lines.find((l) => l.itemId === forecast.itemId);
      if (!line) return null;
      const onHand = forecast.unit === 'unit' ? line.totalMl / line.containerMl : line.totalMl;
      const days = forecast.days.slice(0, horizon);
      const cautious = runOutDate(onHand, days, 'p90');
      return cautious ? { line, cautious, likely: runOutDate(onHand, days, 'p50') } : null;
    })
    .filter((entry) => entry !== null)
    .sort((a, b) => a.cautious.localeCompare(b.cautious));

  const missedMost = leastAccurate(accuracy.data?.items ?? []);

  return (
    <div class="grid">
      {!stock.data && <p class="muted wide">{t('app.loading')}</p>}
      {stock.data && (
        <section class="card" aria-labelledby="below-title" data-testid="below-par">
          <h2 id="below-title">{t('overview.belowPar', { count: belowPar.length })}</h2>
          <ul class="plain">
            {belowPar.slice(0, SHOWN).map((line) => (
              <li key={line.itemId}>
                <a href={hrefOf({ name: 'item', itemId: line.itemId })}>{line.itemName}</a>{' '}
                <span class="muted">{amountText(line.totalMl, line)}</span>{' '}
                <LevelBadge level={levelOf(line)} />
              </li>
            ))}
            <MoreOnStock count={belowPar.length - SHOWN} />
          </ul>
        </section>
      )}
      {forecasts.data && (
        <section class="card" aria-labelledby="runout-title">
          <h2 id="runout-title">{t('overview.runningOut', { days: horizon })}</h2>
          {runningOut.length === 0 ? (
            <p class="muted">{t('overview.noneRunningOut')}</p>
          ) : (
            <ul class="plain">
              {runningOut.slice(0, SHOWN).map((entry) => (
                <li key={entry.line.itemId}>
                  <a href={hrefOf({ name: 'item', itemId: entry.line.itemId })}>{entry.line.itemName}</a>{' '}
                  <span>{t('overview.runsOutBy', { date: formatDate(entry.cautious) })}</span>
                </li>
              ))}
              <MoreOnStock count={runningOut.length - SHOWN} />
            </ul>
          )}
        </section>
      )}
      {orders.data && (
        <section class="card" aria-labelledby="drafts-title">
          <h2 id="drafts-title">{t('overview.drafts', { count: drafts.length })}</h2>
          <ul class="plain">
            {drafts.map((order) => (
              <li key={order.id}>
                <a href={hrefOf({ name: 'orders' })}>{order.supplierName}</a>{' '}
                <span class="muted">{formatMoney(order.total, currency.value)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {accuracy.data && (
        <section class="card" aria-labelledby="accuracy-title" data-testid="forecast-accuracy">
          <h2 id="accuracy-title">{t('overview.accuracy')}</h2>
          <p>{accuracyText(accuracy.data.bar)}</p>
          {missedMost.length > 0 && (
            <>
              <h3>{t('overview.leastAccurate')}</h3>
              <ul class="plain">
                {missedMost.map((item) => (
                  <li key={item.itemId}>
                    <a href={hrefOf({ name: 'item', itemId: item.itemId })}>{item.itemName}</a>{' '}
                    <span class="muted">RMSSE {rmsseText(item.rmsse)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      {variance.data && (
        <section class="card wide" aria-labelledby="variance-title">
          <h2 id="variance-title">{t('nav.variance')}</h2>
          <div class="split">
            <VarianceList title={t('overview.today')} lines={variance.data.day.ranked} counted={counted} />
            <VarianceList
              title={t('overview.thisWeek')}
              lines={variance.data.week.ranked}
              counted={counted}
            />
          </div>
        </section>
      )}
      {!seesMoney.value && <p class="muted wide">{t('overview.noMoney')}</p>}
    </div>
  );
}

/** The bar's forecasts scored against what happened, in a sentence; what to expect before any night is scored. */
export function accuracyText(bar: {
  days: number;
  rmsse: number | null;
  belowP10: number | null;
  aboveP90: number | null;
}): string {
  if (bar.days === 0 || bar.rmsse === null) return t('overview.accuracyNone');
  return t('overview.accuracyLine', {
    count: bar.days,
    rmsse: rmsseText(bar.rmsse),
    below: shareText(bar.belowP10),
    above: shareText(bar.aboveP90),
  });
}

/** The three scored items the forecast missed most (highest RMSSE), to look at first. */
export function leastAccurate<T extends { days: number; rmsse: number | null }>(items: readonly T[]): T[] {
  return items
    .filter((item) => item.days > 0 && item.rmsse !== null)
    .sort((a, b) => b.rmsse! - a.rmsse!)
    .slice(0, 3);
}

/** The last line of a list cut at SHOWN: how many more the Stock page has. */
function MoreOnStock({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <li>
      <a href={hrefOf({ name: 'stock' })} data-testid="more-on-stock">
        {t('overview.more', { count })}
      </a>
    </li>
  );
}

function VarianceList(props: {
  title: string;
  lines: readonly { itemId: string; itemName: string; varianceMl: number; varianceCost?: number }[];
  /** The bar's stock lines by item: each variance in its item's unit. */
  counted: ReadonlyMap<string, StockLine>;
}) {
  return (
    <div>
      <h3>{props.title}</h3>
      {props.lines.length === 0 ? (
        <p class="muted">{t('variance.none')}</p>
      ) : (
        <ol>
          {props.lines.slice(0, 8).map((line) => (
            <li key={line.itemId}>
              {line.itemName}: {amountText(line.varianceMl, props.counted.get(line.itemId))}
              {line.varianceCost !== undefined && ` · ${formatMoney(line.varianceCost, currency.value)}`}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The soonest expected delivery (sent or approved orders' lead time), else the default horizon. */
function nextDeliveryDays(
  orders:
    | readonly { status: string; sentAt: string | null; approvedAt: string | null; leadTimeDays: number }[]
    | null,
): number {
  const now = Date.now();
  const due = (orders ?? [])
    .filter((order) => order.status === 'sent' || order.status === 'approved')
    .map((order) => {
      const from = new Date(order.sentAt ?? order.approvedAt ?? now).getTime();
      return Math.ceil((from + order.leadTimeDays * 86_400_000 - now) / 86_400_000);
    })
    .filter((days) => days > 0);
  return due.length > 0 ? Math.min(...due) : DEFAULT_HORIZON_DAYS;
}
