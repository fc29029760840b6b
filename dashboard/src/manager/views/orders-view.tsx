import { useState } from 'preact/hooks';
import { formatDateTime, formatMoney, formatNumber, t } from '../../shared/i18n.ts';
import { hub, ok } from '../api.ts';
import { usePoll } from '../poll.ts';
import { can, currency } from '../state.ts';

/** Draft purchase orders to check, edit (whole cases per line) and approve; then the recent ones. */
export function OrdersView(props: { barId: string }) {
  const orders = usePoll(
    async () => ok(await hub.orders.$get({ query: { locationId: props.barId } })),
    [props.barId],
  );
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const act = async (key: string, action: () => Promise<unknown>, done: string) => {
    setBusy(key);
    setMessage(null);
    try {
      await action();
      setMessage(done);
      orders.reload();
    } catch {
      setMessage(t('error.action'));
    } finally {
      setBusy(null);
    }
  };
  const drafts = orders.data?.filter((order) => order.status === 'draft') ?? [];
  const others = orders.data?.filter((order) => order.status !== 'draft').slice(0, 20) ?? [];
  return (
    <section aria-labelledby="orders-h">
      <h2 id="orders-h">{t('nav.orders')}</h2>
      <p role="status" class="notice" hidden={!message}>
        {message}
      </p>
      {drafts.length === 0 && orders.data && <p class="muted">{t('orders.noDrafts')}</p>}
      {drafts.map((order) => (
        <article
          class="card order"
          key={order.id}
          data-testid="draft-order"
          aria-labelledby={`o-${order.id}`}
        >
          <header>
            <h3 id={`o-${order.id}`}>{order.supplierName}</h3>
            <span class="muted">{formatDateTime(order.createdAt)}</span>
          </header>
          <table>
            <caption class="visually-hidden">{t('orders.lines')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stock.item')}</th>
                <th scope="col" class="num">
                  {t('orders.cases')}
                </th>
                <th scope="col" class="num">
                  {t('orders.quantity')}
                </th>
                <th scope="col" class="num">
                  {t('orders.lineTotal')}
                </th>
                <th scope="col">{t('orders.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.id}>
                  <td>{line.itemName}</td>
                  <td class="num">
                    <label>
                      <span class="visually-hidden">{t('orders.casesOf', { item: line.itemName })}</span>
                      <input
                        type="number"
                        min={0}
                        max={10000}
                        value={line.cases}
                        disabled={!can('orders:draft') || busy !== null}
                        onChange={(e) => {
                          const cases = Number((e.target as HTMLInputElement).value);
                          if (!Number.isInteger(cases) || cases < 0) return;
                          void act(
                            line.id,
                            async () =>
                              ok(
                                await hub.orders[':id'].lines[':lineId'].$patch({
                                  param: { id: order.id, lineId: line.id },
                                  json: { cases },
                                }),
                              ),
                            t('orders.saved'),
                          );
                        }}
                      />
                    </label>
                  </td>
                  <td class="num">{formatNumber(line.quantity)}</td>
                  <td class="num">{formatMoney(line.lineTotal, currency.value)}</td>
                  <td class="reason">{line.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <footer>
            <strong>{t('orders.total', { total: formatMoney(order.total, currency.value) })}</strong>
            {order.total < order.minimumOrder && (
              <span class="badge level-low">
                {t('orders.belowMinimum', { minimum: formatMoney(order.minimumOrder, currency.value) })}
              </span>
            )}
            {can('orders:approve') && (
              <button
                type="button"
                class="primary"
                disabled={busy !== null}
                onClick={() =>
                  act(
                    order.id,
                    async () =>
                      ok(await hub.orders[':id'].approve.$post({ param: { id: order.id }, json: {} })),
                    t('orders.approved', { supplier: order.supplierName }),
                  )
                }
              >
                {t('orders.approve')}
              </button>
            )}
          </footer>
        </article>
      ))}
      {others.length > 0 && (
        <>
          <h3>{t('orders.recent')}</h3>
          <table>
            <caption class="visually-hidden">{t('orders.recent')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('orders.supplier')}</th>
                <th scope="col">{t('orders.status')}</th>
                <th scope="col" class="num">
                  {t('orders.totalHeader')}
                </th>
                <th scope="col">{t('orders.created')}</th>
              </tr>
            </thead>
            <tbody>
              {others.map((order) => (
                <tr key={order.id} data-testid="order-row">
                  <td>{order.supplierName}</td>
                  <td>{t(`orderStatus.${order.status}`)}</td>
                  <td class="num">{formatMoney(order.total, currency.value)}</td>
                  <td>{formatDateTime(order.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
