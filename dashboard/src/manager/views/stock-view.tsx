import type { StockLine } from '@pourcast/protocol';
import { formatDateTime, formatNumber, formatVolume, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { LevelBadge } from '../components/level-badge.tsx';
import { usePoll } from '../poll.ts';
import { hrefOf } from '../router.ts';
import { levelOf } from '../stock-levels.ts';

const LEVEL_ORDER = { out: 0, critical: 1, low: 2, ok: 3, unset: 4 } as const;

/** Stock by item at the chosen bar, coloured against par, searchable and sortable, live. */
export function StockView(props: { barId: string }) {
  const stock = usePoll(
    async () => ok(await hub.locations[':id'].stock.$get({ param: { id: props.barId } })),
    [props.barId],
  );
  const columns: Column<StockLine>[] = [
    {
      key: 'item',
      label: t('stock.item'),
      value: (row) => row.itemName,
      render: (row) => <a href={hrefOf({ name: 'item', itemId: row.itemId })}>{row.itemName}</a>,
    },
    { key: 'category', label: t('stock.category'), value: (row) => t(`category.${row.category}`) },
    {
      key: 'sealed',
      label: t('stock.sealed'),
      numeric: true,
      value: (row) => row.sealedContainers,
      render: (row) => formatNumber(row.sealedContainers),
    },
    {
      key: 'open',
      label: t('stock.open'),
      numeric: true,
      value: (row) => row.openMl,
      render: (row) => formatVolume(row.openMl),
    },
    {
      key: 'total',
      label: t('stock.total'),
      numeric: true,
      value: (row) => row.totalMl,
      render: (row) => <span data-testid={`total-${row.itemId}`}>{formatVolume(row.totalMl)}</span>,
    },
    {
      key: 'par',
      label: t('stock.par'),
      numeric: true,
      value: (row) => row.parLevelMl,
      render: (row) => (row.parLevelMl === null ? '—' : formatVolume(row.parLevelMl)),
    },
    {
      key: 'level',
      label: t('stock.level'),
      value: (row) => LEVEL_ORDER[levelOf(row)],
      render: (row) => <LevelBadge level={levelOf(row)} />,
    },
    {
      key: 'seen',
      label: t('stock.lastSeen'),
      value: (row) => row.lastObservedAt,
      render: (row) => (row.lastObservedAt ? formatDateTime(row.lastObservedAt) : '—'),
    },
  ];
  const filters = [
    { id: 'all', label: t('filter.all'), keep: () => true },
    {
      id: 'below',
      label: t('filter.belowPar'),
      keep: (row: StockLine) => ['out', 'critical', 'low'].includes(levelOf(row)),
    },
    ...(['spirit', 'wine', 'beer', 'mixer'] as const).map((category) => ({
      id: category,
      label: t(`category.${category}`),
      keep: (row: StockLine) => row.category === category,
    })),
  ];
  return (
    <section aria-labelledby="stock-title">
      <h2 id="stock-title">{t('nav.stock')}</h2>
      {stock.error && (
        <p class="error" role="alert">
          {t('error.load')}
        </p>
      )}
      {stock.data && (
        <DataTable
          testId="stock-table"
          caption={t('nav.stock')}
          rows={stock.data.items}
          columns={columns}
          rowKey={(row) => row.itemId}
          searchText={(row) => `${row.itemName} ${t(`category.${row.category}`)}`}
          filters={filters}
          initialSort={{ key: 'level', descending: false }}
          rowClass={(row) => `row-${levelOf(row)}`}
        />
      )}
    </section>
  );
}
