import type { VarianceLine } from '@pourcast/protocol';
import { useState } from 'preact/hooks';
import { formatDate, formatMoney, formatPercent, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { BarChart } from '../components/band-chart.tsx';
import { DataTable, type Column } from '../components/data-table.tsx';
import { PERIODS, PeriodPicker, type Period } from '../components/period-picker.tsx';
import { useCountedItems } from '../counted-items.ts';
import { usePoll } from '../poll.ts';
import { hrefOf } from '../router.ts';
import { currency, seesMoney } from '../state.ts';
import { amountText } from '../stock-levels.ts';

/** Expected vs measured usage, costliest first (by ml for roles without money), with the weekly trend. */
export function VarianceView(props: { barId: string }) {
  const [period, setPeriod] = useState<Period>('week');
  const report = usePoll(
    async () =>
      ok(await hub.locations[':id'].variance.$get({ param: { id: props.barId }, query: PERIODS[period]() })),
    [props.barId, period],
    15_000,
  );
  const counted = useCountedItems(props.barId);
  const amount = (r: VarianceLine, value: number) => amountText(value, counted.get(r.itemId));
  const money = seesMoney.value;
  const columns: Column<VarianceLine>[] = [
    {
      key: 'item',
      label: t('stock.item'),
      value: (r) => r.itemName,
      render: (r) => <a href={hrefOf({ name: 'item', itemId: r.itemId })}>{r.itemName}</a>,
    },
    {
      key: 'expected',
      label: t('variance.expected'),
      numeric: true,
      value: (r) => r.expectedMl,
      render: (r) => amount(r, r.expectedMl),
    },
    {
      key: 'measured',
      label: t('variance.measured'),
      numeric: true,
      value: (r) => r.measuredMl,
      render: (r) => amount(r, r.measuredMl),
    },
    {
      key: 'variance',
      label: t('variance.variance'),
      numeric: true,
      value: (r) => r.varianceMl,
      render: (r) => `${amount(r, r.varianceMl)} ± ${amount(r, r.bandMl)}`,
    },
    {
      key: 'pct',
      label: '%',
      numeric: true,
      value: (r) => r.variancePct,
      render: (r) => (r.variancePct === null ? '—' : formatPercent(r.variancePct / 100)),
    },
    ...(money
      ? [
          {
            key: 'cost',
            label: t('variance.cost'),
            numeric: true,
            value: (r: VarianceLine) => r.varianceCost ?? 0,
            render: (r: VarianceLine) => formatMoney(r.varianceCost ?? 0, currency.value),
          },
        ]
      : []),
    {
      key: 'flag',
      label: t('variance.flagged'),
      value: (r) => (r.flagged ? 1 : 0),
      render: (r) => (r.flagged ? <span class="badge level-critical">{t('variance.flag')}</span> : ''),
    },
  ];
  return (
    <section aria-labelledby="variance-h">
      <h2 id="variance-h">{t('nav.variance')}</h2>
      <PeriodPicker period={period} onChange={setPeriod} />
      {report.error && (
        <p class="error" role="alert">
          {t('error.load')}
        </p>
      )}
      {report.data && (
        <>
          <BarChart
            title={t('variance.trend')}
            bars={report.data.weeks.map((week) => ({
              label: formatDate(week.weekStart, { month: 'short', day: 'numeric' }),
              value: money && week.varianceCost !== undefined ? week.varianceCost : week.varianceMl,
            }))}
          />
          <DataTable
            testId="variance-table"
            caption={t('nav.variance')}
            rows={report.data.lines}
            columns={columns}
            rowKey={(r) => r.itemId}
            searchText={(r) => r.itemName}
            filters={[
              { id: 'all', label: t('filter.all'), keep: () => true },
              { id: 'flagged', label: t('variance.flaggedOnly'), keep: (r) => r.flagged },
            ]}
            initialSort={money ? { key: 'cost', descending: true } : { key: 'variance', descending: true }}
          />
        </>
      )}
    </section>
  );
}
