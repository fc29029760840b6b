import type { Context } from 'hono';
import { and, eq, isNull } from 'drizzle-orm';
import { sha256Base64Url } from '@pourcast/protocol';
import { openDb, nowIso } from '../db/client.ts';
import { gateways, memberships } from '../db/schema.ts';
import { AppError } from '../http/app-error.ts';
import type { GatewayPrincipal, HubEnv, SessionUser } from '../env.ts';
import { hasRight, type Right } from './rights.ts';
import { readSession } from './session.ts';

export const GATEWAY_TOKEN_PREFIX = 'pgw_';

function bearer(c: Context<HubEnv>): string {
  const header = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError(401, 'unauthorized', 'missing Authorization: Bearer <token>');
  return match[1]!;
}

/**
 * A user with a valid session whose membership still exists; the role is re-read from the membership, so a
 * demotion takes effect on the next request. Then the route's right is checked against that role.
 */
export async function requireUserRight(c: Context<HubEnv>, right: Right): Promise<SessionUser> {
  const token = bearer(c);
  if (token.startsWith(GATEWAY_TOKEN_PREFIX)) {
    throw new AppError(401, 'unauthorized', 'this route needs a user session, not a gateway token');
  }
  const claims = await readSession(c.env, token);
  const [membership] = await openDb(c.env.DB)
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, claims.sub), eq(memberships.organizationId, claims.org)));
  if (!membership) throw new AppError(401, 'unauthorized', 'membership no longer exists; log in again');
  if (!hasRight(membership.role, right)) {
    throw new AppError(403, 'forbidden', `role ${membership.role} lacks the right ${right}`);
  }
  const user: SessionUser = { userId: claims.sub, organizationId: claims.org, role: membership.role };
  c.set('user', user);
  return user;
}

/** A gateway by its `pgw_` bearer token (stored as SHA-256); revoked tokens are refused. */
export async function requireGateway(c: Context<HubEnv>): Promise<GatewayPrincipal> {
  const token = bearer(c);
  if (!token.startsWith(GATEWAY_TOKEN_PREFIX)) throw new AppError(401, 'unauthorized', 'not a gateway token');
  const db = openDb(c.env.DB);
  const tokenHash = await sha256Base64Url(token);
  const [gateway] = await db
    .select({ id: gateways.id, organizationId: gateways.organizationId, locationId: gateways.locationId })
    .from(gateways)
    .where(and(eq(gateways.tokenHash, tokenHash), isNull(gateways.revokedAt)));
  if (!gateway) throw new AppError(401, 'unauthorized', 'gateway token is unknown or revoked');
  const pathId = c.req.param('id');
  if (pathId !== undefined && pathId !== gateway.id) {
    throw new AppError(403, 'forbidden', 'a gateway may only act as itself');
  }
  await db.update(gateways).set({ lastSeenAt: nowIso() }).where(eq(gateways.id, gateway.id));
  const principal: GatewayPrincipal = {
    gatewayId: gateway.id,
    organizationId: gateway.organizationId,
    locationId: gateway.locationId,
  };
  c.set('gateway', principal);
  return principal;
}

export function currentUser(c: Context<HubEnv>): SessionUser {
  const user = c.get('user');
  if (!user) throw new AppError(401, 'unauthorized', 'no session');
  return user;
}

export function currentGateway(c: Context<HubEnv>): GatewayPrincipal {
  const gateway = c.get('gateway');
  if (!gateway) throw new AppError(401, 'unauthorized', 'no gateway');
  return gateway;
}
