import { describe, expect, it } from 'vitest';
import { squareAdapter, squareOrderSchema } from '../src/pos/square.ts';
import { tabitAdapter, tabitClosedCheckSchema } from '../src/pos/tabit.ts';

/**
 * Customer-identifying POS fields never pass an adapter: the schemas keep only what variance needs (items,
 * quantities, money, times), so names, card digits, phones and emails in a payload are dropped at parse.
 */
const CUSTOMER = ['Dana Scully', '4242', '+1 202 555 0143', 'dana@example.com', 'Apt 42, 1 Main St'];

const tabitPayload = {
  eventId: 'evt-pii-1',
  eventType: 'check.closed',
  customer: { name: CUSTOMER[0], phone: CUSTOMER[2], email: CUSTOMER[3], address: CUSTOMER[4] },
  check: {
    id: 'chk-1',
    closedAt: '2026-06-01T22:15:00+03:00',
    guestName: CUSTOMER[0],
    payments: [{ method: 'card', last4: CUSTOMER[1], holder: CUSTOMER[0] }],
    items: [
      { lineId: '1', menuItemId: 'M1', name: 'Negroni', quantity: 2, price: 24, note: `for ${CUSTOMER[3]}` },
    ],
    refunds: [{ refundId: 'r1', lineId: '1', quantity: 1, amount: 12, approvedBy: CUSTOMER[0] }],
  },
};

const squareOrder = {
  id: 'ord-1',
  state: 'COMPLETED',
  closed_at: '2026-06-01T19:15:00Z',
  customer_id: 'CUST-123',
  fulfillments: [
    {
      pickup_details: {
        recipient: { display_name: CUSTOMER[0], phone_number: CUSTOMER[2], email_address: CUSTOMER[3] },
      },
    },
  ],
  tenders: [{ card_details: { card: { last_4: CUSTOMER[1], cardholder_name: CUSTOMER[0] } } }],
  line_items: [
    {
      uid: 'l1',
      name: 'Gin Tonic',
      catalog_object_id: 'CAT1',
      quantity: '1',
      note: CUSTOMER[3],
      base_price_money: { amount: 900, currency: 'USD' },
      total_money: { amount: 900, currency: 'USD' },
    },
  ],
};

describe('customer-identifying POS fields are not kept', () => {
  it('Tabit: parsed check and sale lines hold none of them', () => {
    const parsed = tabitClosedCheckSchema.parse(tabitPayload);
    const kept = JSON.stringify([parsed, tabitAdapter.toSaleLines(parsed)]);
    for (const value of CUSTOMER) expect(kept).not.toContain(value);
    expect(tabitAdapter.toSaleLines(parsed).map((l) => l.kind)).toEqual(['sale', 'refund']);
  });

  it('Square: parsed order and sale lines hold none of them', () => {
    const parsed = squareOrderSchema.parse(squareOrder);
    const kept = JSON.stringify([parsed, squareAdapter.toSaleLines(parsed)]);
    for (const value of [...CUSTOMER, 'CUST-123']) expect(kept).not.toContain(value);
    expect(squareAdapter.toSaleLines(parsed)).toHaveLength(1);
  });
});
