import { describe, expect, it } from 'vitest';
import { backoffMs } from './deliver.ts';
import { expectedDeliveryAt } from '../ordering/expected-delivery.ts';
import { quietUntil } from './quiet-hours.ts';
import {
  awaitingApprovalAlerts,
  daysPastExpected,
  deliveryDiscrepancyAlerts,
  deliveryLateAlerts,
  gatewayOfflineAlerts,
  licenceExpiryAlerts,
  lowStockAlerts,
  varianceAlerts,
  type LateOrderFact,
  type LicenceFact,
  type StockFact,
} from './rules.ts';

const stock = (fields: Partial<StockFact>): StockFact => ({
  locationId: 'bar',
  locationName: 'Main Bar',
  itemId: 'gin',
  itemName: 'Gin',
  onHandMl: 2000,
  arrivingMl: 0,
  parMl: 1400,
  demandP90BeforeDeliveryMl: null,
  leadTimeDays: 2,
  countable: false,
  ...fields,
});

describe('low stock', () => {
  it('warns below par and is critical at zero, without a forecast', () => {
    expect(lowStockAlerts([stock({ onHandMl: 2000 })])).toEqual([]);
    const [below] = lowStockAlerts([stock({ onHandMl: 700 })]);
    expect(below).toMatchObject({ rule: 'low_stock', severity: 'warning', dedupKey: 'low_stock:bar:gin' });
    expect(below!.body).toBe('0.7 l on hand, par 1.4 l.');
    expect(lowStockAlerts([stock({ onHandMl: 0 })])[0]!.severity).toBe('critical');
    expect(lowStockAlerts([stock({ onHandMl: 0, parMl: null })])).toEqual([]);
    const lemons = stock({ itemName: 'Lemons', countable: true, onHandMl: 12, parMl: 40 });
    expect(lowStockAlerts([lemons])[0]!.body).toBe('12 units on hand, par 40 units.');
  });

  it('is critical when the forecast P90 over the lead time exceeds stock plus deliveries, even above par', () => {
    const [out] = lowStockAlerts([
      stock({ onHandMl: 2000, arrivingMl: 700, demandP90BeforeDeliveryMl: 2800 }),
    ]);
    expect(out).toMatchObject({
      severity: 'critical',
      title: 'Gin runs out before the next delivery at Main Bar',
    });
    expect(
      lowStockAlerts([stock({ onHandMl: 2000, arrivingMl: 700, demandP90BeforeDeliveryMl: 2600 })]),
    ).toEqual([]);
  });
});

describe('variance, gateways, orders, deliveries', () => {
  it('turns a flagged variance line into one warning per item and bar', () => {
    const [alert] = varianceAlerts(
      [
        {
          locationId: 'bar',
          locationName: 'Main Bar',
          itemId: 'teq',
          itemName: 'Tequila',
          varianceMl: 180,
          variancePct: 30,
          bandMl: 15,
        },
      ],
      'the last 24 hours',
    );
    expect(alert).toMatchObject({ rule: 'variance', severity: 'warning', dedupKey: 'variance:bar:teq' });
    expect(alert!.body).toBe(
      '180 ml more poured than sold (30 %) over the last 24 hours, beyond the ±15 ml band.',
    );
  });

  it('calls a gateway offline after 15 silent minutes, critical after an hour', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const gw = (lastSeenAt: string) => ({
      gatewayId: 'g1',
      name: 'gw',
      locationId: 'bar',
      locationName: 'Main Bar',
      lastSeenAt,
    });
    expect(gatewayOfflineAlerts([gw('2026-03-01T11:46:00Z')], now)).toEqual([]);
    expect(gatewayOfflineAlerts([gw('2026-03-01T11:45:00Z')], now)[0]!.severity).toBe('warning');
    expect(gatewayOfflineAlerts([gw('2026-03-01T11:00:00Z')], now)[0]!.severity).toBe('critical');
    expect(gatewayOfflineAlerts([gw('2026-03-01T11:50:00Z')], now, 5)).toHaveLength(1);
  });

  it('reminds about drafts older than 4 hours and deliveries that differ from the order', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const draft = (createdAt: string) => ({
      orderId: 'o1',
      locationId: 'bar',
      locationName: 'Main Bar',
      supplierName: 'Acme',
      createdAt,
    });
    expect(awaitingApprovalAlerts([draft('2026-03-01T08:00:01Z')], now)).toEqual([]);
    expect(awaitingApprovalAlerts([draft('2026-03-01T08:00:00Z')], now)[0]!.dedupKey).toBe(
      'order_awaiting_approval:o1',
    );
    const delivery = {
      orderId: 'o1',
      locationId: 'bar',
      locationName: 'Main Bar',
      supplierName: 'Acme',
      awaiting: null,
    };
    expect(deliveryDiscrepancyAlerts([{ ...delivery, differences: [] }], now)).toEqual([]);
    const [alert] = deliveryDiscrepancyAlerts([{ ...delivery, differences: ['Gin: short (10 of 12)'] }], now);
    expect(alert).toMatchObject({
      severity: 'warning',
      body: 'Gin: short (10 of 12)',
      snoozeHours: Infinity,
    });
  });

  it('calls a partially received order short once it is 2 days past its expected delivery, apart from its differences', () => {
    const now = new Date('2026-03-06T12:00:00Z');
    const waiting = (expectedAt: string) => ({
      orderId: 'o1',
      locationId: 'bar',
      locationName: 'Main Bar',
      supplierName: 'Acme',
      differences: ['Rum: substituted (2 not on the order)'],
      awaiting: { expectedAt, short: ['Gin: short (4 of 12)', 'Tonic: short (0 of 24)'] },
    });
    const early = deliveryDiscrepancyAlerts([waiting('2026-03-04T12:00:01.000Z')], now);
    expect(early.map((a) => a.dedupKey)).toEqual(['delivery_discrepancy:o1']);
    const late = deliveryDiscrepancyAlerts([waiting('2026-03-04T12:00:00.000Z')], now);
    expect(late.map((a) => a.dedupKey)).toEqual(['delivery_discrepancy:o1', 'delivery_discrepancy:o1:short']);
    expect(late[1]).toMatchObject({
      rule: 'delivery_discrepancy',
      severity: 'warning',
      title: 'The delivery from Acme to Main Bar is short, past its expected date',
      body:
        'Gin: short (4 of 12)\nTonic: short (0 of 24)\nExpected 2026-03-04T12:00:00.000Z; the rest has not come. ' +
        'Ask Acme for it, or close the order to accept the shortfall.',
      snoozeHours: Infinity,
    });
    expect(deliveryDiscrepancyAlerts([waiting('2026-03-05T12:00:00.000Z')], now, 1)).toHaveLength(2);
  });

  it('calls an order on which nothing came late 2 days past its expected delivery, counting the days', () => {
    const now = new Date('2026-03-06T12:00:00Z');
    const order = (expectedAt: string, sent = true): LateOrderFact => ({
      orderId: 'o1',
      locationId: 'bar',
      locationName: 'Main Bar',
      supplierName: 'Acme',
      placedAt: '2026-03-01T12:00:00.000Z',
      sent,
      leadTimeDays: 3,
      expectedAt,
    });
    expect(deliveryLateAlerts([order('2026-03-04T12:00:01.000Z')], now)).toEqual([]);
    const [late] = deliveryLateAlerts([order('2026-03-04T12:00:00.000Z')], now);
    expect(late).toEqual({
      rule: 'delivery_late',
      severity: 'warning',
      locationId: 'bar',
      dedupKey: 'delivery_late:o1',
      title: 'The order from Acme for Main Bar is 2 day(s) late',
      body:
        'Order o1: expected 2026-03-04T12:00:00.000Z (sent 2026-03-01T12:00:00.000Z; lead time 3 day(s)); ' +
        'nothing has arrived. Ask Acme when it comes.',
      snoozeHours: 24,
    });
    expect(deliveryLateAlerts([order('2026-03-01T11:00:00.000Z')], now)[0]!.title).toContain('5 day(s) late');
    expect(deliveryLateAlerts([order('2026-03-05T12:00:00.000Z')], now, 1)).toHaveLength(1);
    expect(deliveryLateAlerts([order('2026-03-04T12:00:00.000Z', false)], now)[0]!.body).toContain(
      'never marked sent',
    );
    expect(daysPastExpected('2026-03-06T12:00:01.000Z', now)).toBe(-1);
  });

  it('dates an expected delivery from when the order was placed plus its lead time', () => {
    expect(expectedDeliveryAt('2026-03-02T09:00:00.000Z', 2)).toBe('2026-03-04T09:00:00.000Z');
    expect(expectedDeliveryAt('2026-03-02T09:00:00.000Z', 0)).toBe('2026-03-02T09:00:00.000Z');
  });
});

describe('licence reminders', () => {
  const licence: LicenceFact = {
    licenceId: 'l1',
    locationId: 'bar',
    locationName: 'Main Bar',
    name: 'Alcohol licence',
    kind: 'licence',
    expiresOn: '2026-06-30',
    timezone: 'UTC',
  };
  const at = (today: string) =>
    licenceExpiryAlerts([licence], new Date(`${today}T12:00:00Z`)).map((a) => [a.severity, a.dedupKey]);

  it('steps 60, 30 and 7 days ahead, then expired, each its own key', () => {
    expect(at('2026-04-30')).toEqual([]); // 61 days
    expect(at('2026-05-01')).toEqual([['info', 'licence_expiry:l1:2026-06-30:60']]);
    expect(at('2026-05-31')).toEqual([['warning', 'licence_expiry:l1:2026-06-30:30']]);
    expect(at('2026-06-22')).toEqual([['warning', 'licence_expiry:l1:2026-06-30:30']]); // 8 days
    expect(at('2026-06-23')).toEqual([['critical', 'licence_expiry:l1:2026-06-30:7']]);
    expect(at('2026-06-30')).toEqual([['critical', 'licence_expiry:l1:2026-06-30:7']]);
    expect(at('2026-07-01')).toEqual([['critical', 'licence_expiry:l1:2026-06-30:expired']]);
  });

  it("counts days in the bar's zone: 23:30 UTC is already the next day in Amsterdam", () => {
    const late = new Date('2026-05-01T23:30:00Z');
    expect(licenceExpiryAlerts([licence], late)[0]!.dedupKey).toBe('licence_expiry:l1:2026-06-30:60');
    // 2 May in Amsterdam: 59 days left, still the 60-day step, but the title says so.
    expect(licenceExpiryAlerts([{ ...licence, timezone: 'Europe/Amsterdam' }], late)[0]!.title).toContain(
      'expires in 59 day(s)',
    );
    expect(licenceExpiryAlerts([licence], late)[0]!.title).toContain('expires in 60 day(s)');
  });
});

describe('quiet hours', () => {
  it('holds from 22:00 to 08:00 across midnight and answers when they end', () => {
    expect(quietUntil(new Date('2026-03-01T21:59:00Z'), '22:00', '08:00', 'UTC')).toBeNull();
    expect(quietUntil(new Date('2026-03-01T22:00:00Z'), '22:00', '08:00', 'UTC')?.toISOString()).toBe(
      '2026-03-02T08:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-03-02T07:59:30Z'), '22:00', '08:00', 'UTC')?.toISOString()).toBe(
      '2026-03-02T08:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-03-02T08:00:00Z'), '22:00', '08:00', 'UTC')).toBeNull();
  });

  it('reads the clock in the time zone (Amsterdam is UTC+1 in March before the switch)', () => {
    // 21:30 UTC is 22:30 in Amsterdam: quiet until 08:00 local = 07:00 UTC.
    expect(
      quietUntil(new Date('2026-03-01T21:30:00Z'), '22:00', '08:00', 'Europe/Amsterdam')?.toISOString(),
    ).toBe('2026-03-02T07:00:00.000Z');
    expect(quietUntil(new Date('2026-03-01T20:30:00Z'), '22:00', '08:00', 'Europe/Amsterdam')).toBeNull();
  });

  it('handles a daytime window and none at all', () => {
    expect(quietUntil(new Date('2026-03-01T13:15:00Z'), '13:00', '14:00', 'UTC')?.toISOString()).toBe(
      '2026-03-01T14:00:00.000Z',
    );
    expect(quietUntil(new Date('2026-03-01T13:15:00Z'), '00:00', '00:00', 'UTC')).toBeNull();
  });
});

describe('retry backoff', () => {
  it('doubles from one minute', () => {
    expect([1, 2, 3].map(backoffMs)).toEqual([60_000, 120_000, 240_000]);
  });
});
