import type { Role } from '@pourcast/protocol';

/**
 * What each role may do. Every user route names one right (`requireRight` via `route()` in
 * openapi/registry.ts); auth/rights.test.ts walks every route with an allowed and a denied role.
 */
export const RIGHTS = {
  'profile:read': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  'profile:write': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  'stock:read': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  'items:read': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  'items:write': ['owner', 'manager'],
  'locations:read': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  'locations:write': ['owner'],
  'suppliers:read': ['owner', 'manager'],
  'suppliers:write': ['owner', 'manager'],
  'users:read': ['owner', 'manager'],
  'users:manage': ['owner', 'manager'],
  'gateways:read': ['owner', 'manager', 'technician'],
  'gateways:claim': ['owner', 'manager', 'technician'],
  'gateways:manage': ['owner', 'technician'],
  'adjustments:write': ['owner', 'manager'],
  // POS, menu, variance, waste, alerts (issue 5). Money figures (costs, variance in money) need costs:read.
  'menu:read': ['owner', 'manager', 'bartender', 'barback'],
  'menu:write': ['owner', 'manager'],
  'pos:manage': ['owner', 'manager'],
  'costs:read': ['owner', 'manager'],
  'settings:write': ['owner'],
  'variance:read': ['owner', 'manager', 'bartender'],
  'waste:read': ['owner', 'manager', 'bartender', 'barback'],
  'waste:write': ['owner', 'manager', 'bartender', 'barback'],
  // Waste photos may show guests or staff: managers and owners only.
  'waste:photos': ['owner', 'manager'],
  'licences:read': ['owner', 'manager'],
  'licences:write': ['owner', 'manager'],
  'alerts:read': ['owner', 'manager'],
  'alerts:run': ['owner', 'manager'],
  'notifications:read': ['owner', 'manager', 'bartender', 'barback', 'technician'],
  // Forecasting and ordering (issue 4): order lines carry prices, so orders stay with owners and managers;
  // staff who take deliveries receive them (the receipt answer has no prices); owners set auto-approval.
  'forecasts:read': ['owner', 'manager', 'bartender', 'barback'],
  'forecasts:run': ['owner', 'manager'],
  'orders:read': ['owner', 'manager'],
  'orders:draft': ['owner', 'manager'],
  'orders:approve': ['owner', 'manager'],
  'orders:send': ['owner', 'manager'],
  'orders:receive': ['owner', 'manager', 'bartender', 'barback'],
  'ordering:configure': ['owner', 'manager'],
  'ordering:thresholds': ['owner'],
  'pars:write': ['owner', 'manager'],
  // Forecast inputs (issue 4): staff may see the bar's events; managers enter them and set the feed.
  'calendar:read': ['owner', 'manager', 'bartender', 'barback'],
  'calendar:write': ['owner', 'manager'],
  // Security and data rights (issue 8): the audit log, the full export and deleting the organization.
  'audit:read': ['owner'],
  'data:export': ['owner'],
  'organization:delete': ['owner'],
  // Reports (issue 6): valuation, variance, usage, waste and orders carry money figures.
  'reports:read': ['owner', 'manager'],
} as const satisfies Record<string, readonly Role[]>;

export type Right = keyof typeof RIGHTS;

export function hasRight(role: Role, right: Right): boolean {
  return (RIGHTS[right] as readonly Role[]).includes(role);
}
