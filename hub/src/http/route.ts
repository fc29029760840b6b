import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { audited } from '../audit/record.ts';
import { requireGateway, requireUserRight } from '../auth/guards.ts';
import { limitPublicId } from '../auth/rate-limit.ts';
import { openDb } from '../db/client.ts';
import type { Right } from '../auth/rights.ts';
import type { HubEnv } from '../env.ts';

export type Access =
  | { kind: 'public' }
  /** The one-time claim code in the body is the credential. */
  | { kind: 'claim-code' }
  | { kind: 'user'; right: Right }
  | { kind: 'gateway' };

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono-style path below /api/v1, e.g. `/items/:id`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success body; absent for 204 answers. */
  response?: z.ZodType;
  status?: 200 | 201 | 204;
  /** The 202 body of a route that may answer before its work is done (the work continues in the background). */
  accepted?: z.ZodType;
  /**
   * Every non-GET route is written to the audit log (audit/record.ts) unless it says why not here, e.g. a
   * login changes no data, and deleting the organization leaves no organization to keep a log for.
   */
  noAudit?: string;
}

const registry = new Map<string, RouteSpec>();

/** Every documented route (openapi/document.ts turns them into OpenAPI 3.1). */
export function routeSpecs(): RouteSpec[] {
  return [...registry.values()];
}

/**
 * Declares a route: records it for the OpenAPI document and returns the middleware that enforces its access
 * (session + right, gateway token, or nothing). Put it first in the route's handler chain so no validator
 * or handler runs for a caller without the right.
 */
export function route(spec: RouteSpec): MiddlewareHandler<HubEnv> {
  registry.set(`${spec.method.toUpperCase()} ${spec.path}`, spec);
  const access = spec.access;
  const key = `${spec.method.toUpperCase()} ${spec.path}`;
  return async (c, next) => {
    if (access.kind === 'user') await requireUserRight(c, access.right);
    else if (access.kind === 'gateway') await requireGateway(c);
    else if (access.kind === 'public' && spec.method !== 'get' && c.req.param('id') !== undefined) {
      // A public route addressed by id (a POS webhook connection) is rate limited per id.
      await limitPublicId(c, openDb(c.env.DB), key, c.req.param('id')!);
    }
    if (spec.method === 'get' || spec.noAudit !== undefined) return next();
    await audited(c, spec, next, (pattern) => registry.get(`GET ${pattern}`));
  };
}
