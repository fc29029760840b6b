import { ApiError } from '../shared/api-error.ts';
import { formatMoney, t } from '../shared/i18n.ts';

/** What approving a draft looks at: its lines' total (without the delivery fee) and the supplier's minimum. */
export interface OrderTotals {
  subtotal: number;
  minimumOrder: number;
}

/**
 * Whether the hub will call the order below the supplier's minimum: as the hub checks it, the lines'
 * total in cents (the delivery fee does not count towards the minimum) under the minimum order value.
 */
export const isBelowMinimum = (order: OrderTotals) =>
  Math.round(order.subtotal * 100) < Math.round(order.minimumOrder * 100);

/**
 * The approve request's body: `belowMinimum: true` only once the manager has confirmed approving an
 * order below the supplier's minimum (the hub refuses such an order without it, and audits the yes).
 */
export const approveBody = (confirmedBelowMinimum: boolean): { belowMinimum?: true } =>
  confirmedBelowMinimum ? { belowMinimum: true } : {};

/** The question asked before approving below the minimum, with both figures and the supplier. */
export const belowMinimumQuestion = (order: OrderTotals & { supplierName: string }, currency: string) =>
  t('orders.approveBelow.question', {
    subtotal: formatMoney(order.subtotal, currency),
    supplier: order.supplierName,
    minimum: formatMoney(order.minimumOrder, currency),
  });

/** How a refused approval ends: the hub's `below_minimum` asks the manager to confirm; anything else is said. */
export type Refusal = { confirm: true } | { confirm: false; text: string };

/**
 * What to show when the hub refuses an approval. Its `below_minimum` (the lines changed since the list was
 * read, or prices did) turns into the confirmation question; any other refusal is shown with the hub's
 * reason (and the details it gave); a failure without an answer from the hub is the generic one.
 */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof ApiError && error.code === 'below_minimum') return { confirm: true };
  return { confirm: false, text: failureOf(error, 'orders.notApproved') };
}

/** A refused change said with the hub's reason (and the details it gave), else the generic failure. */
const failureOf = (error: unknown, key: 'orders.notApproved' | 'orders.notCancelled') =>
  error instanceof ApiError ? t(key, { reason: error.reason }) : t('error.action');

/** The orders a manager can cancel: a draft or approved one, and a sent one the supplier cannot deliver. */
export type CancellableStatus = 'draft' | 'approved' | 'sent';

/** Whether an order of this status can be cancelled (as the hub's workflow allows it). */
export const isCancellable = (status: string): status is CancellableStatus =>
  status === 'draft' || status === 'approved' || status === 'sent';

/** Whether cancelling asks for the reason: a sent order's (the hub refuses it without one, `reason_required`). */
export const cancelNeedsReason = (status: CancellableStatus) => status === 'sent';

/** The longest reason the hub keeps as an order's note. */
export const CANCEL_REASON_MAX = 500;

/**
 * The cancel request's body: a sent order's reason, trimmed, as its note (null while none is typed, so the
 * question cannot be confirmed); a draft or approved order is cancelled without one.
 */
export function cancelBody(status: CancellableStatus, reason: string): { note?: string } | null {
  if (!cancelNeedsReason(status)) return {};
  const note = reason.trim().slice(0, CANCEL_REASON_MAX);
  return note ? { note } : null;
}

/**
 * The question before cancelling an order, with the supplier and what it comes to: a draft's says nothing on
 * it will be ordered; an approved or sent one's that nothing is sent to the supplier and its bottles stop
 * counting as on the way (so the next draft orders them again).
 */
export function cancelQuestion(
  order: { supplierName: string; total: number; status: CancellableStatus },
  currency: string,
) {
  const params = { supplier: order.supplierName, total: formatMoney(order.total, currency) };
  if (order.status === 'sent') return t('orders.cancel.questionSent', params);
  if (order.status === 'approved') return t('orders.cancel.questionApproved', params);
  return t('orders.cancel.question', params);
}

/**
 * What to show when the hub refuses to cancel (say the order was approved and sent meanwhile, or a sent one
 * came without its reason: `reason_required`), with the hub's reason.
 */
export const cancelRefusalOf = (error: unknown) => failureOf(error, 'orders.notCancelled');
