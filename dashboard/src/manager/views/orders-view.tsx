import type { StockLine } from '@pourcast/protocol';
import type { InferResponseType } from 'hono/client';
import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, formatMoney, formatNumber, t } from '../../shared/i18n.ts';
import { ApiError, hub, ok } from '../api.ts';
import {
  approveBody,
  belowMinimumQuestion,
  CANCEL_REASON_MAX,
  cancelBody,
  cancelNeedsReason,
  cancelQuestion,
  cancelRefusalOf,
  isBelowMinimum,
  isCancellable,
  refusalOf,
  type CancellableStatus,
} from '../approval.ts';
import { useCountedItems } from '../counted-items.ts';
import { saveDownload } from '../download.ts';
import { containerLabelOf } from '../pars.ts';
import { usePoll } from '../poll.ts';
import { can, currency } from '../state.ts';
import { countText } from '../stock-levels.ts';
import { DeliveryAddress } from './delivery-address.tsx';
import { OrderingSettings } from './ordering-settings.tsx';

type LineWhy = NonNullable<InferResponseType<typeof hub.orders.$get, 200>[number]['lines'][number]['why']>;

/**
 * Why a draft line is there, in the manager's language, from the facts the hub keeps beside its English
 * reason: cases, what the stock is brought up to (forecast demand or a par), stock on hand and arriving,
 * the supplier's landed price against the others, a minimum top-up and a manager's edit.
 */
export function whyText(why: LineWhy, currencyCode: string): string {
  const containers = (count: number) => countText(count, why.containerLabel);
  const money = (value: number) => formatMoney(value, currencyCode);
  const { target } = why;
  const basis =
    target.basis === 'forecast'
      ? t('orders.why.forecast', {
          demand: containers(target.demandContainers),
          days: target.coverDays,
          percent: target.servicePercent,
        })
      : t(target.basis === 'pinned-par' ? 'orders.why.pinnedPar' : 'orders.why.catalogPar', {
          par: containers(target.parContainers),
        });
  const landed = { supplier: why.supplierName, price: money(why.landedPerContainer) };
  let price =
    why.containerLabel === 'kegs'
      ? t('orders.why.landed.kegs', landed)
      : why.containerLabel === 'units'
        ? t('orders.why.landed.units', landed)
        : t('orders.why.landed.bottles', landed);
  if (why.alternatives.length)
    price = t('orders.why.compared', {
      price,
      others: why.alternatives
        .map((other) =>
          'tooSlowLeadTimeDays' in other
            ? t('orders.why.tooSlow', { supplier: other.supplierName, count: other.tooSlowLeadTimeDays })
            : t('orders.why.other', { supplier: other.supplierName, price: money(other.landedPerContainer) }),
        )
        .join(', '),
    });
  const parts = [
    t('orders.why.line', {
      cases: t('orders.why.cases', { count: why.cases, size: why.caseSize }),
      basis,
      stock: t('orders.why.stock', {
        onHand: containers(why.onHandContainers),
        arriving: containers(why.arrivingContainers),
      }),
      price,
    }),
  ];
  if (why.minimumTopUp)
    parts.push(
      t('orders.why.topUp', {
        count: why.minimumTopUp.cases,
        supplier: why.supplierName,
        minimum: money(why.minimumTopUp.minimumOrder),
      }),
    );
  if (why.editedToCases !== undefined) parts.push(t('orders.why.edited', { count: why.editedToCases }));
  return parts.join('; ');
}

/**
 * A line's quantity in its item's containers ("12 bottles", "2 kegs", "24 units"): as its reason counts them,
 * else as the item (its stock line) is counted; a plain number while neither is known.
 */
export function quantityText(
  line: { quantity: number; why: Pick<LineWhy, 'containerLabel'> | null },
  item: Pick<StockLine, 'category' | 'unit'> | undefined,
): string {
  const label = line.why?.containerLabel ?? (item && containerLabelOf(item));
  return label ? countText(line.quantity, label) : formatNumber(line.quantity);
}

/** A reason the question asks for before its yes (a sent order's cancellation): required, up to `max`. */
interface ReasonField {
  label: string;
  placeholder: string;
  value: string;
  max: number;
  input: (value: string) => void;
}

/**
 * A question before an order's action (approving below the supplier's minimum, cancelling), with the explicit
 * yes and a way back. It takes the place of the order's buttons, so the yes takes the focus (a keyboard user
 * stays on the action); when it asks for a reason, the reason's field takes it and the yes waits for one.
 */
function ConfirmAction(props: {
  id: string;
  testId: string;
  question: string;
  yes: string;
  no: string;
  busy: boolean;
  reason?: ReasonField;
  confirm: () => void;
  back: () => void;
}) {
  const yes = useRef<HTMLButtonElement>(null);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => (field.current ?? yes.current)?.focus(), []);
  const { reason } = props;
  const ready = !props.busy && (!reason || reason.value.trim() !== '');
  return (
    <div class="notice confirm" role="group" aria-labelledby={props.id} data-testid={props.testId}>
      <span id={props.id}>{props.question}</span>
      {reason && (
        <label>
          {reason.label}{' '}
          <input
            ref={field}
            type="text"
            required
            maxLength={reason.max}
            placeholder={reason.placeholder}
            value={reason.value}
            disabled={props.busy}
            onInput={(e) => reason.input((e.target as HTMLInputElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && ready) props.confirm();
            }}
          />
        </label>
      )}
      <button ref={yes} type="button" class="primary" disabled={!ready} onClick={props.confirm}>
        {props.yes}
      </button>
      <button type="button" disabled={props.busy} onClick={props.back}>
        {props.no}
      </button>
    </div>
  );
}

/** The ApiError codes sending answers with, in the manager's words. */
function sendRefusalText(error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.action');
  if (error.code === 'email_not_configured') return t('orders.emailNotConfigured');
  if (error.code === 'no_supplier_email') return t('orders.noSupplierEmail');
  if (error.code === 'email_failed') return t('orders.emailFailed', { reason: error.message });
  return error.reason;
}

/**
 * What a delivery changed against an order, line by line, as receiving flagged it: short, over, a price
 * changed, and items that came in place of others.
 */
export function differences(order: {
  lines: readonly {
    itemName: string;
    quantity: number;
    receivedQuantity: number;
    flags: readonly string[];
  }[];
  substitutions: readonly { itemName: string; quantity: number }[];
}): string[] {
  return [
    ...order.lines
      .filter((line) => line.flags.length > 0)
      .map((line) =>
        t('orders.lineDifference', {
          item: line.itemName,
          flags: line.flags.map((flag) => t(`orders.flag.${flag}`)).join(', '),
          received: line.receivedQuantity,
          ordered: line.quantity,
        }),
      ),
    ...order.substitutions.map((s) => t('orders.substituted', { item: s.itemName, count: s.quantity })),
  ];
}

/** Draft purchase orders to check, edit (whole cases per line) and approve; then the recent ones and the ordering policy. */
export function OrdersView(props: { barId: string }) {
  const orders = usePoll(
    async () => ok(await hub.orders.$get({ query: { locationId: props.barId } })),
    [props.barId],
  );
  const counted = useCountedItems(props.barId);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** The order whose manager is asked to confirm approving it below the supplier's minimum, or cancelling it. */
  const [confirming, setConfirmingOrder] = useState<{ id: string; action: 'approve' | 'cancel' } | null>(
    null,
  );
  /** The reason typed in the question before cancelling a sent order. */
  const [reason, setReason] = useState('');
  const setConfirming = (next: { id: string; action: 'approve' | 'cancel' } | null) => {
    setConfirmingOrder(next);
    setReason('');
  };

  /** Runs one change on the hub; answers the error it failed with, or null once it is done. */
  const act = async (key: string, action: () => Promise<unknown>, done: string): Promise<unknown> => {
    setBusy(key);
    setMessage(null);
    setFailure(null);
    try {
      await action();
      setMessage(done);
      orders.reload();
      return null;
    } catch (error) {
      return error;
    } finally {
      setBusy(null);
    }
  };
  type Order = NonNullable<typeof orders.data>[number];
  /** Approves a draft; `confirmed` is the manager's yes to approving it below the supplier's minimum. */
  const approve = async (order: Order, confirmed: boolean) => {
    const error = await act(
      order.id,
      async () =>
        ok(await hub.orders[':id'].approve.$post({ param: { id: order.id }, json: approveBody(confirmed) })),
      t('orders.approved', { supplier: order.supplierName }),
    );
    if (!error) {
      setConfirming(null);
      return;
    }
    const refusal = refusalOf(error);
    if (refusal.confirm) setConfirming({ id: order.id, action: 'approve' });
    else setFailure(refusal.text);
    orders.reload();
  };
  /**
   * Cancels an order once the manager has said yes (a sent one with the reason typed, as its note); the hub
   * audits it, as every move of an order.
   */
  const cancel = async (order: Order, status: CancellableStatus) => {
    const json = cancelBody(status, reason);
    if (!json) return;
    const error = await act(
      order.id,
      async () => ok(await hub.orders[':id'].cancel.$post({ param: { id: order.id }, json })),
      t('orders.cancelled', { supplier: order.supplierName }),
    );
    setConfirming(null);
    if (error) {
      setFailure(cancelRefusalOf(error));
      orders.reload();
    }
  };
  /** "Cancel order…": asks the question below in the order's place. */
  const cancelButton = (order: Order) => (
    <button
      type="button"
      disabled={busy !== null}
      onClick={() => setConfirming({ id: order.id, action: 'cancel' })}
    >
      {t('orders.cancel.ask')}
    </button>
  );
  /** The question before cancelling an order: a sent one's asks for the reason (what the supplier said). */
  const cancelAsk = (order: Order, status: CancellableStatus) => (
    <ConfirmAction
      id={`c-${order.id}`}
      testId="confirm-cancel"
      busy={busy !== null}
      question={cancelQuestion({ ...order, status }, currency.value)}
      yes={t('orders.cancel.confirm')}
      no={status === 'draft' ? t('orders.cancel.keep') : t('orders.cancel.keepOrder')}
      {...(cancelNeedsReason(status) && {
        reason: {
          label: t('orders.cancel.reason'),
          placeholder: t('orders.cancel.reasonPlaceholder'),
          value: reason,
          max: CANCEL_REASON_MAX,
          input: setReason,
        },
      })}
      confirm={() => cancel(order, status)}
      back={() => setConfirming(null)}
    />
  );
  const drafts = orders.data?.filter((order) => order.status === 'draft') ?? [];
  const others = orders.data?.filter((order) => order.status !== 'draft').slice(0, 20) ?? [];
  const canCancel = can('orders:approve');
  const canSend = can('orders:send');
  /** Downloads an order as the supplier gets it (PDF, or CSV for their system). */
  const download = async (order: Order, format: 'pdf' | 'csv') => {
    setBusy(`${order.id}:${format}`);
    setFailure(null);
    try {
      const param = { param: { id: order.id } };
      await saveDownload(
        format === 'pdf'
          ? await hub.orders[':id']['export.pdf'].$get(param)
          : await hub.orders[':id']['export.csv'].$get(param),
        `order-${order.id}.${format}`,
      );
    } catch {
      setFailure(t('error.action'));
    } finally {
      setBusy(null);
    }
  };
  /** Sends an approved order once: emailed to the supplier through the hub, or marked sent by hand. */
  const send = async (order: Order, via: 'email' | 'manual') => {
    const error = await act(
      order.id,
      async () => ok(await hub.orders[':id'].send.$post({ param: { id: order.id }, json: { via } })),
      via === 'email'
        ? t('orders.emailed', { supplier: order.supplierName, email: order.supplierEmail ?? '' })
        : t('orders.markedSent', { supplier: order.supplierName }),
    );
    if (error) setFailure(sendRefusalText(error));
  };
  return (
    <section aria-labelledby="orders-h">
      <h2 id="orders-h">{t('nav.orders')}</h2>
      <p role="status" class="notice" hidden={!message}>
        {message}
      </p>
      {failure && (
        <p class="error" role="alert">
          {failure}
        </p>
      )}
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
                        onChange={async (e) => {
                          const cases = Number((e.target as HTMLInputElement).value);
                          if (!Number.isInteger(cases) || cases < 0) return;
                          const error = await act(
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
                          if (error) setFailure(t('error.action'));
                        }}
                      />
                    </label>
                  </td>
                  <td class="num">{quantityText(line, counted.get(line.itemId))}</td>
                  <td class="num">{formatMoney(line.lineTotal, currency.value)}</td>
                  <td class="reason">{line.why ? whyText(line.why, currency.value) : line.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <footer>
            <strong>{t('orders.total', { total: formatMoney(order.total, currency.value) })}</strong>
            {isBelowMinimum(order) && (
              <span class="badge level-low">
                {t('orders.belowMinimum', { minimum: formatMoney(order.minimumOrder, currency.value) })}
              </span>
            )}
            {can('orders:approve') &&
              (confirming?.id === order.id ? (
                confirming.action === 'approve' ? (
                  <ConfirmAction
                    id={`c-${order.id}`}
                    testId="confirm-below-minimum"
                    busy={busy !== null}
                    question={belowMinimumQuestion(order, currency.value)}
                    yes={t('orders.approveBelow.confirm')}
                    no={t('orders.approveBelow.cancel')}
                    confirm={() => approve(order, true)}
                    back={() => setConfirming(null)}
                  />
                ) : (
                  cancelAsk(order, 'draft')
                )
              ) : (
                <>
                  <button
                    type="button"
                    class="primary"
                    disabled={busy !== null}
                    onClick={() =>
                      isBelowMinimum(order)
                        ? setConfirming({ id: order.id, action: 'approve' })
                        : approve(order, false)
                    }
                  >
                    {isBelowMinimum(order) ? t('orders.approveBelow.ask') : t('orders.approve')}
                  </button>
                  {cancelButton(order)}
                </>
              ))}
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
                <th scope="col">
                  <span class="visually-hidden">{t('orders.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {others.map((order) => {
                const { status } = order;
                const asking = canCancel && isCancellable(status) && confirming?.id === order.id;
                const changed = differences(order);
                return (
                  <Fragment key={order.id}>
                    <tr data-testid="order-row">
                      <td>{order.supplierName}</td>
                      <td>{t(`orderStatus.${status}`)}</td>
                      <td class="num">{formatMoney(order.total, currency.value)}</td>
                      <td>{formatDateTime(order.createdAt)}</td>
                      <td class="order-actions">
                        {(['pdf', 'csv'] as const).map((format) => (
                          <button
                            key={format}
                            type="button"
                            disabled={busy !== null}
                            aria-label={t(`orders.${format}Of`, { supplier: order.supplierName })}
                            onClick={() => download(order, format)}
                          >
                            {format.toUpperCase()}
                          </button>
                        ))}
                        {canSend && status === 'approved' && order.supplierEmail && (
                          <button type="button" disabled={busy !== null} onClick={() => send(order, 'email')}>
                            {t('orders.email')}
                          </button>
                        )}
                        {canSend && status === 'approved' && (
                          <button
                            type="button"
                            disabled={busy !== null}
                            onClick={() => send(order, 'manual')}
                          >
                            {t('orders.markSent')}
                          </button>
                        )}
                        {canCancel && isCancellable(status) && !asking && cancelButton(order)}
                      </td>
                    </tr>
                    {changed.length > 0 && (
                      <tr data-testid="order-differences">
                        <td colSpan={5}>
                          <strong>{t('orders.differences')}</strong> {changed.join('; ')}
                        </td>
                      </tr>
                    )}
                    {asking && (
                      <tr>
                        <td colSpan={5}>{cancelAsk(order, status)}</td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </>
      )}
      <DeliveryAddress barId={props.barId} />
      <OrderingSettings />
    </section>
  );
}
