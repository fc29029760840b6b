/**
 * The bounds of each ordering-policy setting: the hub's request schemas (order-schemas.ts) are built from them, and
 * the manager dashboard's form checks typed values against them (it imports this file as
 * `@pourcast/hub/ordering-bounds`, which is why it holds plain numbers and no schema library).
 */
/** The largest money amount (a price, a line, a limit) the ordering routes take, in the organization's currency. */
export const MAX_MONEY = 10_000_000;

export const ORDERING_POLICY_BOUNDS = {
  /** The chance of not running out before the next delivery, as a fraction. */
  serviceLevel: { min: 0.5, max: 0.999 },
  /** Days between orders. */
  reviewPeriodDays: { min: 1, max: 60 },
  /** Days past an order's expected delivery before it is called late or short. */
  deliveryGraceDays: { min: 0, max: 30 },
  /** Drafts totalling at most this are approved automatically, in the organization's currency. */
  autoApproveLimit: { min: 0, max: MAX_MONEY },
} as const;
