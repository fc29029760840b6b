import type { Role } from '@pourcast/protocol';

/** Bindings from wrangler.toml ([vars], D1) and secrets (.dev.vars / `wrangler secret put`). */
export interface HubBindings {
  DB: D1Database;
  /** HS256 key for user sessions; at least 32 characters. A secret, never in wrangler.toml. */
  JWT_SECRET?: string;
  SESSION_TTL_HOURS?: string;
  CLAIM_CODE_TTL_HOURS?: string;
}

/** A person acting through a session, with the role re-read from their membership on this request. */
export interface SessionUser {
  userId: string;
  organizationId: string;
  role: Role;
}

/** A gateway acting through its bearer token. */
export interface GatewayPrincipal {
  gatewayId: string;
  organizationId: string;
  locationId: string;
}

export interface HubEnv {
  Bindings: HubBindings;
  Variables: { user?: SessionUser; gateway?: GatewayPrincipal };
}
