import { formatMoney, formatNumber, formatVolume, locale, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { BandChart, type BandPoint } from '../components/band-chart.tsx';
import { LevelBadge } from '../components/level-badge.tsx';
import { lastDays } from '../periods.ts';
import { usePoll } from '../poll.ts';
import { can, currency, seesMoney } from '../state.ts';
import { rmsseText, shareText } from '../forecast-text.ts';
import { amountText, levelOf } from '../stock-levels.ts';

const HISTORY_DAYS = 28;

/**
 * Stock ahead: what is on hand less the forecast demand summed day by day. The band runs from stock
 * after P90 demand (low) to stock after P10 demand (high); the line is stock after P50 demand.
 */
export function projectedStock(
  onHand: number,
  days: readonly { date: string; p10: number; p50: number; p90: number }[],
): BandPoint[] {
  let low = 0;
  let mid = 0;
  let high = 0;
  return days.map((day) => {
    low += day.p90;
    mid += day.p50;
    high += day.p10;
    const left = (used: number) => Math.max(0, onHand - used);
    return { date: day.date, p10: left(low), p50: left(mid), p90: left(high) };
  });
}

/**
 * How the forecast did on its own history, in words: what the page shows before any night's forecast
 * has been scored. Null when the item had too little history to backtest.
 */
export function backtestLine(
  backtest: { windows: number; rmsse: number | null; wape: number | null; bias: number | null } | null,
): string | null {
  if (!backtest || backtest.windows === 0) return null;
  const { rmsse, wape, bias } = backtest;
  return t('item.backtest', {
    windows: backtest.windows,
    rmsse: rmsseText(rmsse),
    wape: shareText(wape),
    bias:
      bias === null
        ? '—'
        : new Intl.NumberFormat(locale.value, {
            style: 'percent',
            signDisplay: 'exceptZero',
            maximumFractionDigits: 0,
          }).format(bias),
  });
}

/**
 * The chart's points: the stock at the end of each trading day (the last, the day in progress, is stock
 * now), then the stock left after forecast demand from the day in progress on, a day in both drawn once
 * with its dot and its band. Forecast days already over (a forecast from an earlier night) are left out.
 */
export function stockChartPoints(
  history: readonly { date: string; stock: number }[],
  onHand: number,
  forecastDays: readonly { date: string; p10: number; p50: number; p90: number }[],
): BandPoint[] {
  const today = history.at(-1)?.date;
  const ahead = projectedStock(
    onHand,
    forecastDays.filter((day) => today === undefined || day.date >= today),
  );
  const byDate = new Map<string, BandPoint>(history.map((p) => [p.date, { date: p.date, actual: p.stock }]));
  for (const point of ahead) byDate.set(point.date, { ...byDate.get(point.date), ...point });
  return [...byDate.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** One item at the chosen bar: stock and its history, forecast band, accuracy, suppliers, variance. */
export function ItemView(props: { barId: string; itemId: string }) {
  const { barId, itemId } = props;
  const stock = usePoll(
    async () => ok(await hub.locations[':id'].stock.$get({ param: { id: barId } })),
    [barId],
  );
  const history = usePoll(
    async () =>
      ok(
        await hub.reports['stock-history'].$get({
          query: { locationId: barId, itemId, days: String(HISTORY_DAYS) },
        }),
      ),
    [barId, itemId],
    30_000,
  );
  const forecast = usePoll(
    async () =>
      can('forecasts:read') ? ok(await hub.forecasts.$get({ query: { locationId: barId, itemId } })) : null,
    [barId, itemId],
    60_000,
  );
  const offers = usePoll(
    async () => {
      if (!can('suppliers:read')) return null;
      const suppliers = await ok(await hub.suppliers.$get());
      const lists = await Promise.all(
        suppliers.map(async (supplier) => ({
          supplier,
          offers: await ok(await hub.suppliers[':id'].offers.$get({ param: { id: supplier.id } })),
        })),
      );
      return lists.flatMap(({ supplier, offers: list }) =>
        list.filter((offer) => offer.itemId === itemId).map((offer) => ({ supplier, offer })),
      );
    },
    [itemId],
    60_000,
  );
  const variance = usePoll(
    async () =>
      can('variance:read')
        ? ok(await hub.locations[':id'].variance.$get({ param: { id: barId }, query: lastDays(28) }))
        : null,
    [barId],
    30_000,
  );

  const line = stock.data?.items.find((entry) => entry.itemId === itemId);
  const prediction = forecast.data?.forecasts[0];
  // A countable is drawn in units: its forecast says so, else (no forecast yet) the item's unit.
  const inUnits = (prediction?.unit ?? line?.unit) === 'unit';
  const perUnit = inUnits && line ? line.containerMl : 1;
  const points = stockChartPoints(
    (history.data?.points ?? []).map((p) => ({ date: p.date, stock: p.totalMl / perUnit })),
    line ? line.totalMl / perUnit : 0,
    prediction?.days ?? [],
  );
  const varianceLine = variance.data?.lines.find((entry) => entry.itemId === itemId);
  const unit = inUnits ? t('unit.units') : 'ml';
  const backtest = prediction ? backtestLine(prediction.backtest) : null;
  /** A forecast quantity as the stock figures read: litres and ml, or whole units for a countable. */
  const demandText = (amount: number) =>
    inUnits ? `${formatNumber(Math.round(amount))} ${unit}` : formatVolume(Math.round(amount));
  return (
    <article aria-labelledby="item-h" data-testid="item-page">
      <p>
        <a href="#/stock">← {t('nav.stock')}</a>
      </p>
      <h2 id="item-h">{line?.itemName ?? '…'}</h2>
      {line && (
        <dl class="facts">
          <div>
            <dt>{t('stock.total')}</dt>
            <dd data-testid="item-total">{amountText(line.totalMl, line)}</dd>
          </div>
          <div>
            <dt>{t('stock.sealed')}</dt>
            <dd>{formatNumber(line.sealedContainers)}</dd>
          </div>
          <div>
            <dt>{t('stock.open')}</dt>
            <dd>{amountText(line.openMl, line)}</dd>
          </div>
          <div>
            <dt>{t('stock.par')}</dt>
            <dd>{line.parLevelMl === null ? '—' : amountText(line.parLevelMl, line)}</dd>
          </div>
          <div>
            <dt>{t('stock.level')}</dt>
            <dd>
              <LevelBadge level={levelOf(line)} />
            </dd>
          </div>
        </dl>
      )}
      <section class="card" aria-labelledby="chart-h">
        <h3 id="chart-h">{t('item.historyAndForecast')}</h3>
        <p class="muted">{t('item.chartLegend', { unit })}</p>
        <BandChart title={t('item.historyAndForecast')} points={points} unit={unit} />
        {prediction && (
          <table>
            <caption>{t('item.forecastTotals')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('item.days')}</th>
                <th scope="col" class="num">
                  P10
                </th>
                <th scope="col" class="num">
                  P50
                </th>
                <th scope="col" class="num">
                  P90
                </th>
              </tr>
            </thead>
            <tbody>
              {prediction.totals.map((total) => (
                <tr key={total.days}>
                  <td>{t('item.nextDays', { count: total.days })}</td>
                  <td class="num">{demandText(total.p10)}</td>
                  <td class="num">{demandText(total.p50)}</td>
                  <td class="num">{demandText(total.p90)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {forecast.data && !prediction && <p class="muted">{t('item.noForecast')}</p>}
      </section>
      {prediction && (
        <section class="card" aria-labelledby="acc-h">
          <h3 id="acc-h">{t('item.accuracy')}</h3>
          <dl class="facts">
            <div>
              <dt>{t('item.model')}</dt>
              <dd>{t(`model.${prediction.model}`)}</dd>
            </div>
            <div>
              <dt>{t('item.scoredDays')}</dt>
              <dd>{formatNumber(prediction.accuracy.days)}</dd>
            </div>
            <div>
              <dt>RMSSE</dt>
              <dd>{rmsseText(prediction.accuracy.rmsse)}</dd>
            </div>
            <div>
              <dt>{t('item.belowP10')}</dt>
              <dd>{shareText(prediction.accuracy.belowP10)}</dd>
            </div>
            <div>
              <dt>{t('item.aboveP90')}</dt>
              <dd>{shareText(prediction.accuracy.aboveP90)}</dd>
            </div>
          </dl>
          {backtest && (
            <p class="muted" data-testid="backtest">
              {backtest}
            </p>
          )}
        </section>
      )}
      {offers.data && (
        <section class="card" aria-labelledby="sup-h">
          <h3 id="sup-h">{t('item.suppliers')}</h3>
          {offers.data.length === 0 && <p class="muted">{t('item.noSuppliers')}</p>}
          <ul class="plain">
            {offers.data.map(({ supplier, offer }) => (
              <li key={offer.id}>
                <strong>{supplier.name}</strong>{' '}
                {t('item.offer', {
                  caseSize: offer.caseSize,
                  price: formatMoney(offer.price, currency.value),
                  days: offer.leadTimeDays,
                })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {variance.data && (
        <section class="card" aria-labelledby="var-h">
          <h3 id="var-h">{t('item.variance28')}</h3>
          {varianceLine ? (
            <p>
              {t('item.varianceLine', {
                expected: amountText(varianceLine.expectedMl, line),
                measured: amountText(varianceLine.measuredMl, line),
                variance: amountText(varianceLine.varianceMl, line),
              })}
              {seesMoney.value &&
                varianceLine.varianceCost !== undefined &&
                ` (${formatMoney(varianceLine.varianceCost, currency.value)})`}
            </p>
          ) : (
            <p class="muted">{t('variance.none')}</p>
          )}
        </section>
      )}
    </article>
  );
}
