import type { WasteEvents } from '@pourcast/protocol';
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { PERIODS, PeriodPicker, type Period } from '../components/period-picker.tsx';
import { useCountedItems } from '../counted-items.ts';
import { usePoll } from '../poll.ts';
import { hrefOf } from '../router.ts';
import { can } from '../state.ts';
import { amountText } from '../stock-levels.ts';

type WasteEvent = WasteEvents['events'][number];

const REASONS = ['spill', 'breakage', 'comp', 'spoiled', 'expired', 'other'];

/** The photo on screen: the event it belongs to and a blob URL of the bytes the hub sent. */
interface ShownPhoto {
  event: WasteEvent;
  url: string;
}

/**
 * Each waste entry of the bar, newest first: what, how much, why, who, and the photo a bartender took of it
 * (owners and managers only; the hub refuses the others). A photo is fetched with the session's token, so it
 * is loaded on request and shown from a blob URL, never linked.
 */
export function WasteView(props: { barId: string }) {
  const [period, setPeriod] = useState<Period>('week');
  const [shown, setShown] = useState<ShownPhoto | null>(null);
  const [photoFailed, setPhotoFailed] = useState(false);
  const listing = usePoll(
    async () =>
      ok(
        await hub.locations[':id'].waste.events.$get({
          param: { id: props.barId },
          query: PERIODS[period](),
        }),
      ),
    [props.barId, period],
    30_000,
  );
  const counted = useCountedItems(props.barId);
  const amount = (event: WasteEvent) => amountText(event.ml, counted.get(event.itemId));
  // The blob URL lives as long as its photo is on screen.
  useEffect(() => () => (shown ? URL.revokeObjectURL(shown.url) : undefined), [shown]);

  async function showPhoto(event: WasteEvent) {
    setPhotoFailed(false);
    try {
      const response = await hub['waste-photos'][':eventId'].$get({ param: { eventId: event.id } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      setShown({ event, url: URL.createObjectURL(await response.blob()) });
    } catch {
      setShown(null);
      setPhotoFailed(true);
    }
  }

  const reasonLabel = (reason: string) => (REASONS.includes(reason) ? t(`waste.reason.${reason}`) : reason);
  const columns: Column<WasteEvent>[] = [
    {
      key: 'when',
      label: t('waste.when'),
      value: (r) => r.observedAt,
      render: (r) => formatDateTime(r.observedAt),
    },
    {
      key: 'item',
      label: t('stock.item'),
      value: (r) => r.itemName,
      render: (r) => <a href={hrefOf({ name: 'item', itemId: r.itemId })}>{r.itemName}</a>,
    },
    {
      key: 'ml',
      label: t('waste.amount'),
      numeric: true,
      value: (r) => r.ml,
      render: (r) => amount(r),
    },
    {
      key: 'reason',
      label: t('column.reason'),
      value: (r) => reasonLabel(r.reason),
      render: (r) => (r.note ? `${reasonLabel(r.reason)}: ${r.note}` : reasonLabel(r.reason)),
    },
    { key: 'who', label: t('waste.who'), value: (r) => r.userId ?? t(`waste.source.${r.source}`) },
    {
      key: 'photo',
      label: t('waste.photo'),
      value: (r) => (r.hasPhoto ? 1 : 0),
      render: (r) =>
        r.hasPhoto ? (
          can('waste:photos') ? (
            <button type="button" data-testid="show-waste-photo" onClick={() => void showPhoto(r)}>
              {t('waste.showPhoto')}
            </button>
          ) : (
            t('waste.hasPhoto')
          )
        ) : (
          ''
        ),
    },
  ];
  return (
    <section aria-labelledby="waste-h">
      <h2 id="waste-h">{t('nav.waste')}</h2>
      <PeriodPicker period={period} onChange={setPeriod} />
      {listing.error && (
        <p class="error" role="alert">
          {t('error.load')}
        </p>
      )}
      {photoFailed && (
        <p class="error" role="alert">
          {t('waste.photoFailed')}
        </p>
      )}
      {shown && (
        <figure class="card waste-photo" data-testid="waste-photo">
          <img
            src={shown.url}
            alt={t('waste.photoOf', { item: shown.event.itemName, reason: reasonLabel(shown.event.reason) })}
          />
          <figcaption>
            {shown.event.itemName}, {amount(shown.event)}, {reasonLabel(shown.event.reason)} —{' '}
            {formatDateTime(shown.event.observedAt)}{' '}
            <button type="button" onClick={() => setShown(null)}>
              {t('waste.closePhoto')}
            </button>
          </figcaption>
        </figure>
      )}
      {listing.data && (
        <DataTable
          testId="waste-table"
          caption={t('nav.waste')}
          rows={listing.data.events}
          columns={columns}
          rowKey={(r) => r.id}
          searchText={(r) => `${r.itemName} ${r.reason} ${r.note ?? ''} ${r.userId ?? ''}`}
          filters={[
            { id: 'all', label: t('filter.all'), keep: () => true },
            { id: 'photo', label: t('waste.withPhoto'), keep: (r) => r.hasPhoto },
          ]}
          initialSort={{ key: 'when', descending: true }}
        />
      )}
    </section>
  );
}
