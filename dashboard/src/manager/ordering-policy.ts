import type { Role } from '@pourcast/protocol';
import { hasRight, RIGHTS } from '@pourcast/hub/rights';
import { ORDERING_POLICY_BOUNDS } from '@pourcast/hub/ordering-bounds';
import type { InferResponseType } from 'hono/client';
import { ApiError } from '../shared/api-error.ts';
import { formatMoney, formatPercent, t } from '../shared/i18n.ts';
import type { hub } from './api.ts';

/** The ordering policy as the hub answers GET /ordering/settings. */
export type OrderingPolicy = InferResponseType<typeof hub.ordering.settings.$get, 200>;
export type PolicyField = keyof OrderingPolicy;

/**
 * The hub's bounds for each setting, the very numbers its schemas are built from. The service level is a
 * fraction here, typed as a percentage.
 */
export const POLICY_BOUNDS = ORDERING_POLICY_BOUNDS satisfies Record<
  PolicyField,
  { min: number; max: number }
>;

/** The settings a manager sets (PATCH /ordering/settings) and the one an owner sets (PATCH /ordering/auto-approval). */
const CONFIGURE_FIELDS = ['serviceLevel', 'reviewPeriodDays', 'deliveryGraceDays'] as const;
type ConfigureField = (typeof CONFIGURE_FIELDS)[number];

/** The hub's right behind each setting: who may change it is the hub's rights table, not a list kept here. */
export const RIGHT_OF = {
  serviceLevel: 'ordering:configure',
  reviewPeriodDays: 'ordering:configure',
  deliveryGraceDays: 'ordering:configure',
  autoApproveLimit: 'ordering:thresholds',
} as const satisfies Record<PolicyField, keyof typeof RIGHTS>;

/** The settings this role may change; every other one is shown read-only. */
export const editableFields = (role: Role | null): ReadonlySet<PolicyField> =>
  new Set(
    (Object.keys(RIGHT_OF) as PolicyField[]).filter((field) => role && hasRight(role, RIGHT_OF[field])),
  );

/** Who may change a setting, in the user's language ("Owner", "Owner, Manager"). */
export const whoMayChange = (field: PolicyField) =>
  RIGHTS[RIGHT_OF[field]].map((role) => t(`role.${role}`)).join(', ');

/** A service level as the percentage typed, to one decimal: 0.95 → 95, 0.999 → 99.9. */
export const percentOf = (fraction: number) => Math.round(fraction * 1000) / 10;
/** A percentage typed as the hub's fraction: 97.5 → 0.975. */
export const fractionOf = (percent: number) => Math.round(percent * 10) / 1000;

/** How many decimals the currency's amounts have (2 for USD and EUR, 0 for JPY). */
export const currencyDigits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/** The form as typed: the text of each field (number inputs give '' for nothing or something unreadable). */
export interface PolicyForm {
  servicePercent: string;
  reviewPeriodDays: string;
  deliveryGraceDays: string;
  /** Whether small drafts are approved automatically; off sends null. */
  autoApprove: boolean;
  autoApproveLimit: string;
}

/** The form filled in with the hub's settings. */
export const formOf = (policy: OrderingPolicy): PolicyForm => ({
  servicePercent: String(percentOf(policy.serviceLevel)),
  reviewPeriodDays: String(policy.reviewPeriodDays),
  deliveryGraceDays: String(policy.deliveryGraceDays),
  autoApprove: policy.autoApproveLimit !== null,
  autoApproveLimit: policy.autoApproveLimit === null ? '' : String(policy.autoApproveLimit),
});

/**
 * A plain decimal with at most `decimals` places ("95", "97.5", "97,5" with a decimal comma), else null: no
 * sign, exponent, grouping or blank ("1,000" has three places, so it is refused where fewer are allowed).
 */
export function decimalOf(text: string, decimals: number): number | null {
  const match = /^\s*(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!match || (match[2] ?? '').length > decimals) return null;
  return Number(`${match[1]}.${match[2] ?? ''}`);
}

/** Whether a value typed for the field is within the hub's bounds (the service level's as percentages). */
function within(value: number | null, field: PolicyField): value is number {
  const { min, max } = POLICY_BOUNDS[field];
  const [low, high] = field === 'serviceLevel' ? [percentOf(min), percentOf(max)] : [min, max];
  return value !== null && value >= low && value <= high;
}

/** What to send: only the fields this role may change that differ from the hub's, each within the hub's bounds. */
export interface PolicyChanges {
  /** Fields typed out of bounds (or unreadable): nothing is sent while there is one. */
  invalid: PolicyField[];
  /** PATCH /ordering/settings, when a manager's setting changed. */
  settings?: Partial<Pick<OrderingPolicy, ConfigureField>>;
  /** PATCH /ordering/auto-approval, when the owner's limit changed (null: off). */
  autoApproveLimit?: number | null;
}

/**
 * Reads the form against the hub's settings: the changed fields the role may edit, or those typed wrong.
 * A field left as the hub has it (the same percentage to one decimal, the same days, the same amount to the
 * currency's smallest unit) is not sent.
 */
export function policyChanges(
  policy: OrderingPolicy,
  form: PolicyForm,
  editable: ReadonlySet<PolicyField>,
  currency: string,
): PolicyChanges {
  const invalid: PolicyField[] = [];
  const settings: NonNullable<PolicyChanges['settings']> = {};
  const result: PolicyChanges = { invalid };
  if (editable.has('serviceLevel')) {
    const percent = decimalOf(form.servicePercent, 1);
    if (!within(percent, 'serviceLevel')) invalid.push('serviceLevel');
    else if (percent !== percentOf(policy.serviceLevel)) settings.serviceLevel = fractionOf(percent);
  }
  for (const field of ['reviewPeriodDays', 'deliveryGraceDays'] as const) {
    if (!editable.has(field)) continue;
    const days = decimalOf(form[field], 0);
    if (!within(days, field)) invalid.push(field);
    else if (days !== policy[field]) settings[field] = days;
  }
  if (editable.has('autoApproveLimit')) {
    const digits = currencyDigits(currency);
    const limit = form.autoApprove ? decimalOf(form.autoApproveLimit, digits) : null;
    const unit = 10 ** digits;
    if (form.autoApprove && !within(limit, 'autoApproveLimit')) invalid.push('autoApproveLimit');
    else if (
      limit === null
        ? policy.autoApproveLimit !== null
        : policy.autoApproveLimit === null ||
          Math.round(limit * unit) !== Math.round(policy.autoApproveLimit * unit)
    )
      result.autoApproveLimit = limit;
  }
  if (Object.keys(settings).length > 0) result.settings = settings;
  return result;
}

/** Whether there is anything to send (or to refuse). */
export const hasChanges = (changes: PolicyChanges) =>
  changes.invalid.length > 0 || changes.settings !== undefined || changes.autoApproveLimit !== undefined;

/** The message under a field typed out of the hub's bounds. */
export function invalidText(field: PolicyField, currency: string): string {
  const { min, max } = POLICY_BOUNDS[field];
  if (field === 'serviceLevel')
    return t('policy.invalid.percent', { min: percentOf(min), max: percentOf(max) });
  if (field === 'autoApproveLimit')
    return t('policy.invalid.money', { min: formatMoney(min, currency), max: formatMoney(max, currency) });
  return t('policy.invalid.days', { min, max });
}

/** About one review period in how many runs out before the delivery, at this service level (0.95 → 20). */
export const runsOutOneIn = (serviceLevel: number) => Math.round(1 / (1 - serviceLevel));

/** A service level as the user reads it: "95%", "97.5%" (the tenth only when there is one). */
export const serviceLevelText = (serviceLevel: number) =>
  formatPercent(serviceLevel, Number.isInteger(percentOf(serviceLevel)) ? 0 : 1);

/** What a service level means for the bar: "95%: about one review period in 20 runs out before the delivery." */
export const serviceLevelHelp = (serviceLevel: number) =>
  t('policy.serviceLevel.help', {
    percent: serviceLevelText(serviceLevel),
    count: runsOutOneIn(serviceLevel),
  });

export const reviewPeriodHelp = (days: number) => t('policy.reviewPeriod.help', { count: days });

export const deliveryGraceHelp = (days: number) => t('policy.deliveryGrace.help', { count: days });

export const autoApproveHelp = (limit: number | null, currency: string) =>
  limit === null
    ? t('policy.autoApprove.off')
    : t('policy.autoApprove.help', { limit: formatMoney(limit, currency) });

/** A refused save said with the hub's reason (and the details it gave), else the generic failure. */
export const policyRefusalText = (error: unknown) =>
  error instanceof ApiError ? t('policy.notSaved', { reason: error.reason }) : t('error.action');
