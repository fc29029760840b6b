import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { requireGateway, requireUserRight } from '../auth/guards.ts';
import type { Right } from '../auth/rights.ts';
import type { HubEnv } from '../env.ts';

export type Access =
  | { kind: 'public' }
  /** The one-time claim code in the body is the credential. */
  | { kind: 'claim-code' }
  | { kind: 'user'; right: Right }
  | { kind: 'gateway' };

export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'delete';
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
  return async (c, next) => {
    if (access.kind === 'user') await requireUserRight(c, access.right);
    else if (access.kind === 'gateway') await requireGateway(c);
    await next();
  };
}
