import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { AppError } from '../http/app-error.ts';
import { EmailError, type EmailSender } from './email/email-sender.ts';
import { orderCsv } from './export-csv.ts';
import { addressLines, orderPdf } from './export-pdf.ts';
import { expectedDeliveryOf } from './expected-delivery.ts';
import { transition, type Actor } from './order-workflow.ts';
import { readOrder } from './orders.ts';

export interface OrderParties {
  organization: string;
  bar: string;
  /** The bar's delivery address, lines separated by newlines; null when the owner has not entered one. */
  deliveryAddress: string | null;
  currency: string;
}

export async function orderParties(
  d1: D1Database,
  organizationId: string,
  locationId: string,
): Promise<OrderParties> {
  const row = await openDb(d1).get<OrderParties>(
    sql`SELECT o.name AS organization, o.currency, l.name AS bar, l.delivery_address AS deliveryAddress
          FROM organizations o
          JOIN locations l ON l.organization_id = o.id WHERE o.id = ${organizationId} AND l.id = ${locationId}`,
  );
  if (!row) throw new AppError(404, 'not_found', 'location not found');
  return row;
}

/**
 * Sends an approved order once. The approved → sent transition is claimed first (compare-and-set), so two
 * concurrent or repeated sends cannot both pass: the second gets 409. By email, the provider is called with
 * the order id as idempotency key; if it fails, the claim is undone (sent → approved, audited) and 502
 * answers, so the manager can retry.
 */
export async function sendOrder(
  d1: D1Database,
  organizationId: string,
  orderId: string,
  via: 'email' | 'manual',
  actor: Actor,
  email: EmailSender | null,
) {
  const order = await readOrder(d1, organizationId, orderId);
  if (via === 'email') {
    if (!email)
      throw new AppError(422, 'email_not_configured', 'no email provider is configured (EMAIL_API_KEY)');
    if (!order.supplierEmail)
      throw new AppError(422, 'no_supplier_email', `${order.supplierName} has no email address`);
  }
  await transition(d1, orderId, 'sent', actor, {
    note: via === 'email' ? `emailed to ${order.supplierEmail}` : 'sent by hand',
    via,
  });
  if (via === 'manual') return;
  try {
    // The order as sent: its PDF and the email date its delivery from the send, as the delivery alerts do.
    const sent = await readOrder(d1, organizationId, orderId);
    const parties = await orderParties(d1, organizationId, sent.locationId);
    await email!.send({
      to: sent.supplierEmail!,
      subject: `Purchase order ${sent.id} from ${parties.organization} (${parties.bar})`,
      text: [
        `Please deliver the attached order to ${[parties.bar, ...addressLines(parties)].join(', ')}`,
        `by ${expectedDeliveryOf(sent)!.slice(0, 10)}.`,
        `Total ${sent.total.toFixed(2)} ${parties.currency}.`,
      ].join(' '),
      attachments: [
        {
          filename: `order-${sent.id}.pdf`,
          content: await orderPdf(sent, parties),
          contentType: 'application/pdf',
        },
        { filename: `order-${sent.id}.csv`, content: orderCsv(sent, parties.bar), contentType: 'text/csv' },
      ],
      idempotencyKey: `purchase-order-${sent.id}`,
    });
  } catch (error) {
    const reason = error instanceof EmailError ? error.message : 'email could not be sent';
    await transition(d1, orderId, 'approved', actor, { note: `email failed: ${reason}`, from: ['sent'] });
    throw new AppError(502, 'email_failed', reason);
  }
}
