import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '@pourcast/protocol';
import { autoApprovalSchema, settingsSchema } from '../../../hub/src/ordering/order-schemas.ts';
import { ApiError } from '../shared/api-error.ts';
import { locale, useCatalogs } from '../shared/i18n.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import {
  autoApproveHelp,
  currencyDigits,
  decimalOf,
  deliveryGraceHelp,
  editableFields,
  formOf,
  fractionOf,
  hasChanges,
  invalidText,
  percentOf,
  policyChanges,
  policyRefusalText,
  POLICY_BOUNDS,
  reviewPeriodHelp,
  runsOutOneIn,
  serviceLevelHelp,
  whoMayChange,
  type OrderingPolicy,
  type PolicyField,
} from './ordering-policy.ts';

beforeAll(() => useCatalogs(MANAGER_CATALOGS));
afterEach(() => {
  locale.value = 'en-US';
});

const hubDefaults: OrderingPolicy = {
  serviceLevel: 0.95,
  reviewPeriodDays: 7,
  autoApproveLimit: null,
  deliveryGraceDays: 2,
};
const all = new Set<PolicyField>([
  'serviceLevel',
  'reviewPeriodDays',
  'deliveryGraceDays',
  'autoApproveLimit',
]);

describe("the ordering policy's bounds", () => {
  it("are the hub's (its settings and auto-approval schemas)", () => {
    const { shape } = settingsSchema;
    for (const field of ['serviceLevel', 'reviewPeriodDays', 'deliveryGraceDays'] as const)
      expect(POLICY_BOUNDS[field], field).toEqual({ min: shape[field].minValue, max: shape[field].maxValue });
    const limit = autoApprovalSchema.shape.autoApproveLimit.unwrap();
    expect(POLICY_BOUNDS.autoApproveLimit).toEqual({ min: limit.minValue, max: limit.maxValue });
    expect(shape.reviewPeriodDays.isInt && shape.deliveryGraceDays.isInt).toBe(true);
  });

  it('accept what the hub accepts at each end, and nothing past it', () => {
    const at = (form: Partial<ReturnType<typeof formOf>>) =>
      policyChanges(hubDefaults, { ...formOf(hubDefaults), ...form }, all, 'USD');
    const ends = at({
      servicePercent: '99.9',
      reviewPeriodDays: '60',
      deliveryGraceDays: '0',
      autoApprove: true,
      autoApproveLimit: '10000000',
    });
    expect(ends.invalid).toEqual([]);
    expect(
      settingsSchema.safeParse({ ...ends.settings, autoApproveLimit: ends.autoApproveLimit }).success,
    ).toBe(true);
    expect(at({ servicePercent: '50', reviewPeriodDays: '1', deliveryGraceDays: '30' }).invalid).toEqual([]);
    expect(
      at({
        servicePercent: '49.9',
        reviewPeriodDays: '61',
        deliveryGraceDays: '31',
        autoApprove: true,
        autoApproveLimit: '10000000.01',
      }).invalid,
    ).toEqual(['serviceLevel', 'reviewPeriodDays', 'deliveryGraceDays', 'autoApproveLimit']);
    expect(at({ servicePercent: '100' }).invalid).toEqual(['serviceLevel']);
    expect(at({ reviewPeriodDays: '0' }).invalid).toEqual(['reviewPeriodDays']);
  });
});

describe('a service level typed as a percentage', () => {
  it('goes to the hub as its fraction and comes back as the same percentage', () => {
    expect(percentOf(0.95)).toBe(95);
    expect(percentOf(0.999)).toBe(99.9);
    expect(percentOf(0.5)).toBe(50);
    expect(fractionOf(97.5)).toBe(0.975);
    expect(fractionOf(99.9)).toBe(0.999);
    for (let tenths = 500; tenths <= 999; tenths++)
      expect(percentOf(fractionOf(tenths / 10))).toBe(tenths / 10);
  });

  it('is read as a plain decimal, to one place', () => {
    expect(decimalOf('97.5', 1)).toBe(97.5);
    expect(decimalOf(' 95 ', 1)).toBe(95);
    expect(decimalOf('95.', 1)).toBe(95);
    expect(decimalOf('97,5', 1)).toBe(97.5); // a decimal comma, as Spanish is typed
    expect(decimalOf('1,000', 2)).toBeNull(); // a thousands comma is never read as a decimal one
    for (const text of ['', ' ', '97.55', '-1', '1e2', 'abc', '9 5', '0x10'])
      expect(decimalOf(text, 1)).toBeNull();
    expect(decimalOf('7.5', 0)).toBeNull();
    expect(decimalOf('7', 0)).toBe(7);
  });
});

describe('what is sent', () => {
  it('nothing when nothing changed (a level the hub keeps with more places shows, and stays, as typed)', () => {
    expect(policyChanges(hubDefaults, formOf(hubDefaults), all, 'USD')).toEqual({ invalid: [] });
    const odd = { ...hubDefaults, serviceLevel: 0.9525, autoApproveLimit: 250.5 };
    expect(formOf(odd).servicePercent).toBe('95.3');
    const untouched = policyChanges(odd, formOf(odd), all, 'USD');
    expect(untouched).toEqual({ invalid: [] });
    expect(hasChanges(untouched)).toBe(false);
    // The same amount typed with its cents is no change either.
    expect(policyChanges(odd, { ...formOf(odd), autoApproveLimit: '250.50' }, all, 'USD')).toEqual({
      invalid: [],
    });
  });

  it("only the changed fields, a manager's to the settings, the owner's limit apart", () => {
    const form = { ...formOf(hubDefaults), servicePercent: '97.5', deliveryGraceDays: '3' };
    expect(policyChanges(hubDefaults, form, all, 'USD')).toEqual({
      invalid: [],
      settings: { serviceLevel: 0.975, deliveryGraceDays: 3 },
    });
    const limit = policyChanges(
      hubDefaults,
      { ...formOf(hubDefaults), autoApprove: true, autoApproveLimit: '500' },
      all,
      'USD',
    );
    expect(limit).toEqual({ invalid: [], autoApproveLimit: 500 });
    expect(hasChanges(limit)).toBe(true);
  });

  it('null to turn auto-approval off, and the amount is required while it is on', () => {
    const on = { ...hubDefaults, autoApproveLimit: 300 };
    expect(policyChanges(on, { ...formOf(on), autoApprove: false }, all, 'USD')).toEqual({
      invalid: [],
      autoApproveLimit: null,
    });
    // Turned off with an amount left in the field: still off.
    expect(
      policyChanges(hubDefaults, { ...formOf(hubDefaults), autoApproveLimit: '90' }, all, 'USD'),
    ).toEqual({
      invalid: [],
    });
    for (const typed of ['', '12.345', '-5'])
      expect(
        policyChanges(
          hubDefaults,
          { ...formOf(hubDefaults), autoApprove: true, autoApproveLimit: typed },
          all,
          'USD',
        ).invalid,
      ).toEqual(['autoApproveLimit']);
    // Amounts to the currency's smallest unit: no cents in yen.
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('USD')).toBe(2);
    expect(
      policyChanges(
        hubDefaults,
        { ...formOf(hubDefaults), autoApprove: true, autoApproveLimit: '500.5' },
        all,
        'JPY',
      ).invalid,
    ).toEqual(['autoApproveLimit']);
  });

  it('never a field the role may not change, nor refuses one it cannot edit', () => {
    const form = {
      ...formOf(hubDefaults),
      servicePercent: '90',
      reviewPeriodDays: 'x',
      autoApprove: true,
      autoApproveLimit: '500',
    };
    expect(policyChanges(hubDefaults, form, editableFields('manager'), 'USD')).toEqual({
      invalid: ['reviewPeriodDays'],
      settings: { serviceLevel: 0.9 },
    });
    expect(policyChanges(hubDefaults, form, editableFields('bartender'), 'USD')).toEqual({ invalid: [] });
  });
});

describe('who may change what', () => {
  it('owners everything, managers all but the auto-approval limit, everyone else nothing (the hub’s rights)', () => {
    expect([...editableFields('owner')].sort()).toEqual([...all].sort());
    expect([...editableFields('manager')].sort()).toEqual([
      'deliveryGraceDays',
      'reviewPeriodDays',
      'serviceLevel',
    ]);
    for (const role of ROLES.filter((r) => r !== 'owner' && r !== 'manager'))
      expect(editableFields(role).size, role).toBe(0);
    expect(editableFields(null).size).toBe(0);
  });

  it('names the roles who may, in the language read', () => {
    expect(whoMayChange('autoApproveLimit')).toBe('Owner');
    expect(whoMayChange('serviceLevel')).toBe('Owner, Manager');
    locale.value = 'es';
    expect(whoMayChange('autoApproveLimit')).toBe(MANAGER_CATALOGS.es['role.owner']);
  });
});

describe('what each setting means for the bar', () => {
  it('says how often a review period runs out at the service level', () => {
    expect(runsOutOneIn(0.95)).toBe(20);
    expect(runsOutOneIn(0.5)).toBe(2);
    expect(runsOutOneIn(0.99)).toBe(100);
    expect(runsOutOneIn(0.999)).toBe(1000);
    expect(serviceLevelHelp(0.95)).toBe(
      '95%: about one review period in 20 runs out before the delivery comes.',
    );
    expect(serviceLevelHelp(0.975)).toContain('97.5%: about one review period in 40 ');
  });

  it('words the review period, the grace and the limit, in each language', () => {
    expect(reviewPeriodHelp(7)).toContain('every 7 days');
    expect(deliveryGraceHelp(1)).toContain('1 day ');
    expect(deliveryGraceHelp(2)).toContain('2 days ');
    expect(autoApproveHelp(500, 'USD')).toContain('$500.00');
    expect(autoApproveHelp(null, 'USD')).toBe(MANAGER_CATALOGS.en['policy.autoApprove.off']);
    locale.value = 'es';
    expect(serviceLevelHelp(0.95)).toContain('95');
    expect(serviceLevelHelp(0.95)).toContain('20');
    expect(serviceLevelHelp(0.95)).not.toContain('review period');
    locale.value = 'hi';
    expect(autoApproveHelp(1_500_000, 'INR')).toContain('₹15,00,000.00');
  });

  it('gives the bounds when a field is typed out of them', () => {
    expect(invalidText('serviceLevel', 'USD')).toBe(
      'Enter a percentage from 50 to 99.9, with at most one decimal.',
    );
    expect(invalidText('deliveryGraceDays', 'USD')).toBe('Enter a whole number of days from 0 to 30.');
    expect(invalidText('autoApproveLimit', 'USD')).toContain('$10,000,000.00');
  });

  it("says the hub's reason when it refuses", () => {
    const refused = new ApiError(400, 'invalid_request', 'invalid body', ['body.serviceLevel: too big']);
    expect(policyRefusalText(refused)).toBe('Not saved: invalid body · body.serviceLevel: too big');
    expect(
      policyRefusalText(new ApiError(403, 'forbidden', 'role manager lacks the right ordering:thresholds')),
    ).toBe('Not saved: role manager lacks the right ordering:thresholds');
    expect(policyRefusalText(new TypeError('offline'))).toBe(MANAGER_CATALOGS.en['error.action']);
  });
});
