import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../shared/api-error.ts';
import { locale, useCatalogs } from '../shared/i18n.ts';
import {
  approveBody,
  belowMinimumQuestion,
  cancelBody,
  cancelNeedsReason,
  cancelQuestion,
  cancelRefusalOf,
  isBelowMinimum,
  isCancellable,
  refusalOf,
} from './approval.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';

beforeAll(() => useCatalogs(MANAGER_CATALOGS));
afterEach(() => {
  locale.value = 'en-US';
});

describe("approving a draft below the supplier's minimum", () => {
  it('counts the lines, not the delivery fee, against the minimum (as the hub does)', () => {
    // Lines of 120.00 and a 30.00 delivery fee: the total reaches the 150.00 minimum, the lines do not.
    expect(isBelowMinimum({ subtotal: 120, minimumOrder: 150 })).toBe(true);
    expect(isBelowMinimum({ subtotal: 150, minimumOrder: 150 })).toBe(false);
    expect(isBelowMinimum({ subtotal: 150.004, minimumOrder: 150 })).toBe(false);
    expect(isBelowMinimum({ subtotal: 149.99, minimumOrder: 150 })).toBe(true);
    expect(isBelowMinimum({ subtotal: 0.1 + 0.2, minimumOrder: 0.3 })).toBe(false);
    expect(isBelowMinimum({ subtotal: 80, minimumOrder: 0 })).toBe(false);
  });

  it('sends belowMinimum only with the manager’s yes', () => {
    expect(approveBody(false)).toEqual({});
    expect(approveBody(true)).toEqual({ belowMinimum: true });
  });

  it('asks with both figures and the supplier, in each language', () => {
    const order = { subtotal: 120, minimumOrder: 250, supplierName: 'Harbour' };
    expect(belowMinimumQuestion(order, 'USD')).toBe(
      'The lines total $120.00, below the Harbour minimum order of $250.00. Approve it anyway?',
    );
    locale.value = 'es';
    expect(belowMinimumQuestion(order, 'EUR')).toBe(
      'Las líneas suman 120,00\u00a0€, por debajo del pedido mínimo de Harbour, 250,00\u00a0€. ¿Aprobarlo de todos modos?',
    );
    locale.value = 'hi';
    expect(belowMinimumQuestion(order, 'INR')).toBe(
      'पंक्तियों का योग ₹120.00 है, जो Harbour के न्यूनतम ऑर्डर ₹250.00 से कम है। फिर भी स्वीकृत करें?',
    );
  });

  it("turns the hub's below_minimum into the question and says any other refusal with the hub's reason", () => {
    const below = new ApiError(422, 'below_minimum', "the order's lines total 120.00, below …");
    expect(refusalOf(below)).toEqual({ confirm: true });
    const empty = new ApiError(422, 'empty_order', 'the order has no lines to order; add cases or cancel it');
    expect(refusalOf(empty)).toEqual({
      confirm: false,
      text: 'Not approved: the order has no lines to order; add cases or cancel it',
    });
    const invalid = new ApiError(400, 'invalid_request', 'the request is not valid', [
      'belowMinimum: must be true',
    ]);
    expect(refusalOf(invalid)).toEqual({
      confirm: false,
      text: 'Not approved: the request is not valid · belowMinimum: must be true',
    });
    expect(refusalOf(new TypeError('Failed to fetch'))).toEqual({
      confirm: false,
      text: 'That did not work. Try again.',
    });
  });
});

describe('cancelling a draft', () => {
  it('asks with the supplier and what the draft comes to, in each language', () => {
    const order = { supplierName: 'Harbour', total: 180, status: 'draft' as const };
    expect(cancelQuestion(order, 'USD')).toBe(
      'Cancel the draft order to Harbour ($180.00)? Nothing on it will be ordered.',
    );
    locale.value = 'es';
    expect(cancelQuestion(order, 'EUR')).toBe(
      '¿Cancelar el borrador de pedido a Harbour (180,00\u00a0€)? No se pedirá nada de él.',
    );
    locale.value = 'hi';
    expect(cancelQuestion(order, 'INR')).toBe(
      'Harbour को ड्राफ़्ट ऑर्डर (₹180.00) रद्द करें? इसमें से कुछ भी ऑर्डर नहीं होगा।',
    );
  });

  it("says a refusal with the hub's reason, a failure without an answer as the generic one", () => {
    const sent = new ApiError(409, 'invalid_transition', 'order is sent; it cannot become cancelled');
    expect(cancelRefusalOf(sent)).toBe('Not cancelled: order is sent; it cannot become cancelled');
    locale.value = 'es';
    expect(cancelRefusalOf(sent)).toBe('No cancelado: order is sent; it cannot become cancelled');
    locale.value = 'en-US';
    expect(cancelRefusalOf(new TypeError('Failed to fetch'))).toBe('That did not work. Try again.');
  });
});

describe('cancelling an approved or sent order', () => {
  it('offers it on drafts, approved and sent orders, not once anything has arrived or it is over', () => {
    for (const status of ['draft', 'approved', 'sent']) expect(isCancellable(status)).toBe(true);
    for (const status of ['partially_received', 'received', 'closed', 'cancelled'])
      expect(isCancellable(status)).toBe(false);
  });

  it('asks a sent order for its reason, trimmed, sent as the note; no yes without one', () => {
    expect(cancelNeedsReason('sent')).toBe(true);
    expect(cancelNeedsReason('approved')).toBe(false);
    expect(cancelNeedsReason('draft')).toBe(false);
    expect(cancelBody('sent', '  out of stock until March \n')).toEqual({ note: 'out of stock until March' });
    expect(cancelBody('sent', '')).toBeNull();
    expect(cancelBody('sent', ' \t ')).toBeNull();
    expect(cancelBody('sent', 'x'.repeat(600))).toEqual({ note: 'x'.repeat(500) });
    expect(cancelBody('approved', '')).toEqual({});
    expect(cancelBody('draft', '')).toEqual({});
  });

  it('says nothing is sent to the supplier and its bottles stop counting as on the way, in each language', () => {
    const sent = { supplierName: 'Harbour', total: 180, status: 'sent' as const };
    const approved = { ...sent, status: 'approved' as const };
    expect(cancelQuestion(sent, 'USD')).toBe(
      'Cancel the order sent to Harbour ($180.00)? Nothing is sent to the supplier, and its bottles stop counting as on the way, so the next draft orders them again.',
    );
    expect(cancelQuestion(approved, 'USD')).toBe(
      'Cancel the approved order to Harbour ($180.00)? Nothing is sent to the supplier, and its bottles stop counting as on the way.',
    );
    locale.value = 'es';
    expect(cancelQuestion(sent, 'EUR')).toBe(
      '¿Cancelar el pedido enviado a Harbour (180,00\u00a0€)? No se envía nada al proveedor, y sus botellas dejan de contar como por llegar, así que el próximo borrador las vuelve a pedir.',
    );
    expect(cancelQuestion(approved, 'EUR')).toBe(
      '¿Cancelar el pedido aprobado a Harbour (180,00\u00a0€)? No se envía nada al proveedor, y sus botellas dejan de contar como por llegar.',
    );
    locale.value = 'hi';
    expect(cancelQuestion(sent, 'INR')).toBe(
      'Harbour को भेजा गया ऑर्डर (₹180.00) रद्द करें? सप्लायर को कुछ नहीं भेजा जाएगा, और इसकी बोतलें आने वाली नहीं गिनी जाएँगी, इसलिए अगला ड्राफ़्ट उन्हें फिर से ऑर्डर करेगा।',
    );
    expect(cancelQuestion(approved, 'INR')).toBe(
      'Harbour को स्वीकृत ऑर्डर (₹180.00) रद्द करें? सप्लायर को कुछ नहीं भेजा जाएगा, और इसकी बोतलें आने वाली नहीं गिनी जाएँगी।',
    );
  });

  it("says the hub's reason_required refusal with its reason and details", () => {
    const refused = new ApiError(
      422,
      'reason_required',
      'a sent order is cancelled with the reason (note), e.g. what the supplier said',
      ['body.note: required to cancel a sent order'],
    );
    expect(cancelRefusalOf(refused)).toBe(
      'Not cancelled: a sent order is cancelled with the reason (note), e.g. what the supplier said · body.note: required to cancel a sent order',
    );
    locale.value = 'hi';
    expect(cancelRefusalOf(refused)).toBe(
      'रद्द नहीं हुआ: a sent order is cancelled with the reason (note), e.g. what the supplier said · body.note: required to cancel a sent order',
    );
  });
});
