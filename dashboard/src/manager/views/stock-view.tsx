import type { StockLine } from '@pourcast/protocol';
import type { InferResponseType } from 'hono/client';
import { useMemo, useState } from 'preact/hooks';
import { formatDateTime, formatNumber, formatPercent, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { LevelBadge } from '../components/level-badge.tsx';
import { parGap } from '../pars.ts';
import { usePoll } from '../poll.ts';
import { hrefOf } from '../router.ts';
import { can } from '../state.ts';
import { amountText, containersText, levelOf } from '../stock-levels.ts';
import { ParActions } from './par-actions.tsx';

const LEVEL_ORDER = { out: 0, critical: 1, low: 2, ok: 3, unset: 4 } as const;
/** The suggested pars cost the hub a pass over every forecast: asked for less often than the stock. */
const PARS_POLL_MS = 30_000;

type ParLine = InferResponseType<(typeof hub.locations)[':id']['pars']['$get'], 200>['pars'][number];
/** A stock line (with the item's unit) and its pars. */
type StockRow = StockLine & { par: ParLine | undefined };

/** The forecast's par for a row, and a badge when it differs materially from the par in force. */
function SuggestedPar(props: { row: StockRow }) {
  const { row } = props;
  const suggested = row.par?.suggestedParMl ?? null;
  if (suggested === null) return <>—</>;
  const gap = parGap(row.parLevelMl, suggested, row.containerMl);
  const share = formatPercent(Math.abs(gap?.share ?? 0), 0);
  return (
    <span data-testid={`suggested-${row.itemId}`}>
      {amountText(suggested, row)}
      {row.unit === 'ml' && (
        <>
          <br />
          <span class="muted">{containersText(suggested, row)}</span>
        </>
      )}
      {gap?.material && (
        <>
          <br />
          <span class="badge level-low" data-testid="par-differs">
            {gap.direction === 'none'
              ? t('pars.noneSet')
              : gap.direction === 'higher'
                ? t('pars.higher', { percent: share })
                : t('pars.lower', { percent: share })}
          </span>
        </>
      )}
    </span>
  );
}

/** Stock by item at the chosen bar, coloured against par, searchable and sortable, live; the forecast's pars beside. */
export function StockView(props: { barId: string }) {
  const stock = usePoll(
    async () => ok(await hub.locations[':id'].stock.$get({ param: { id: props.barId } })),
    [props.barId],
  );
  const seesPars = can('forecasts:read');
  const pars = usePoll(
    async () => (seesPars ? ok(await hub.locations[':id'].pars.$get({ param: { id: props.barId } })) : null),
    [props.barId, seesPars],
    PARS_POLL_MS,
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  const pin = async (line: StockRow, parMl: number | null) => {
    setBusy(true);
    setMessage(null);
    setFailed(false);
    try {
      await ok(
        await hub.locations[':id'].pars[':itemId'].$patch({
          param: { id: props.barId, itemId: line.itemId },
          json: { parMl },
        }),
      );
      setMessage(
        parMl === null
          ? t('pars.unpinned', { item: line.itemName })
          : t('pars.pinnedAt', { item: line.itemName, par: amountText(parMl, line) }),
      );
      stock.reload();
      pars.reload();
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  const rows = useMemo<StockRow[]>(() => {
    const parsById = new Map((pars.data?.pars ?? []).map((par) => [par.itemId, par]));
    return (stock.data?.items ?? []).map((line) => ({ ...line, par: parsById.get(line.itemId) }));
  }, [stock.data, pars.data]);
  const columns: Column<StockRow>[] = [
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
      render: (row) => amountText(row.openMl, row),
    },
    {
      key: 'total',
      label: t('stock.total'),
      numeric: true,
      value: (row) => row.totalMl,
      render: (row) => <span data-testid={`total-${row.itemId}`}>{amountText(row.totalMl, row)}</span>,
    },
    {
      key: 'par',
      label: t('stock.par'),
      numeric: true,
      value: (row) => row.parLevelMl,
      render: (row) => (
        <span data-testid={`par-${row.itemId}`}>
          {row.parLevelMl === null ? '—' : amountText(row.parLevelMl, row)}
          {row.par && (
            <>
              <br />
              <span class="muted">{row.par.pinned ? t('pars.pinned') : t('pars.catalog')}</span>
            </>
          )}
        </span>
      ),
    },
    ...(pars.data
      ? [
          {
            key: 'suggested',
            label: t('pars.suggested'),
            numeric: true,
            value: (row: StockRow) => row.par?.suggestedParMl ?? null,
            render: (row: StockRow) => <SuggestedPar row={row} />,
          },
        ]
      : []),
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
    ...(pars.data && can('pars:write')
      ? [
          {
            key: 'change',
            label: t('pars.change'),
            // Sorting by this column brings the pinned pars together.
            value: (row: StockRow) => (row.par?.pinned ? 0 : 1),
            render: (row: StockRow) => (
              <ParActions
                line={row}
                pinned={row.par?.pinned ?? false}
                suggestedMl={row.par?.suggestedParMl ?? null}
                busy={busy}
                pin={(parMl) => void pin(row, parMl)}
              />
            ),
          },
        ]
      : []),
  ];
  const filters = [
    { id: 'all', label: t('filter.all'), keep: () => true },
    {
      id: 'below',
      label: t('filter.belowPar'),
      keep: (row: StockRow) => ['out', 'critical', 'low'].includes(levelOf(row)),
    },
    ...(pars.data
      ? [
          {
            id: 'parDiffers',
            label: t('filter.parDiffers'),
            keep: (row: StockRow) =>
              parGap(row.parLevelMl, row.par?.suggestedParMl ?? null, row.containerMl)?.material === true,
          },
        ]
      : []),
    ...(['spirit', 'wine', 'beer', 'mixer'] as const).map((category) => ({
      id: category,
      label: t(`category.${category}`),
      keep: (row: StockRow) => row.category === category,
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
      {failed && (
        <p class="error" role="alert">
          {t('error.action')}
        </p>
      )}
      <p role="status" class="notice" hidden={!message}>
        {message}
      </p>
      {stock.data && (
        <DataTable
          testId="stock-table"
          caption={t('nav.stock')}
          rows={rows}
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
