import type { Context, Hono, Next } from 'hono';
import { newId, openDb } from '../db/client.ts';
import { auditLog } from '../db/schema-security.ts';
import type { HubEnv } from '../env.ts';
import type { RouteSpec } from '../http/route.ts';
import { capped, redact } from './redact.ts';

/** The GET routes the audit reads entities through (set by route.ts, which owns the registry). */
export type EntityReader = (pattern: string) => RouteSpec | undefined;

/** `/items/:id` with this request's params: `/items/01J...`. */
const concrete = (c: Context<HubEnv>, pattern: string) =>
  pattern.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(c.req.param(name) ?? ''));

/**
 * Which GET shows the entity a change is about: the same path for PATCH and DELETE (`/items/:id`), the
 * parent for an action on a record (`POST /orders/:id/approve` → `/orders/:id`). Creations have no before.
 */
function entityPattern(spec: RouteSpec, findGet: EntityReader): string | undefined {
  if (spec.method === 'patch' || spec.method === 'delete') return findGet(spec.path) ? spec.path : undefined;
  const parent = spec.path.replace(/\/[^/:]+$/, '');
  return parent !== spec.path && /:\w+$/.test(parent) && findGet(parent) ? parent : undefined;
}

/** What the audit needs of the hub's app: answering a request. */
type EntityApp = { request: Hono<HubEnv>['request'] };
let hubApp: EntityApp | undefined;

/**
 * The app the audit reads entities through: index.ts hands its app over once it is built, before it answers
 * any request (importing index.ts from here would be circular). Not a dynamic import on every audited
 * request: under the test pool each one is a module lookup through the runner, slower with every test file
 * a worker has run.
 */
export function readEntitiesThrough(app: EntityApp): void {
  hubApp = app;
}

/** Reads an entity through the app itself, with the caller's own credentials: same scoping, same redaction. */
async function readEntity(c: Context<HubEnv>, path: string): Promise<unknown> {
  const app = hubApp;
  if (!app) throw new Error('audit: index.ts has not handed over the app (readEntitiesThrough)');
  const authorization = c.req.header('authorization');
  const answer = await app.request(
    `/api/v1${path}`,
    { headers: authorization ? { authorization } : {} },
    c.env,
  );
  if (answer.status !== 200) return null;
  return (answer.headers.get('content-type') ?? '').includes('json') ? answer.json() : null;
}

async function responseJson(c: Context<HubEnv>): Promise<unknown> {
  if (c.res.status === 204 || !(c.res.headers.get('content-type') ?? '').includes('json')) return null;
  try {
    return await c.res.clone().json();
  } catch {
    return null;
  }
}

function actorOf(c: Context<HubEnv>, spec: RouteSpec, result: unknown) {
  const user = c.get('user');
  if (user)
    return { organizationId: user.organizationId, kind: 'user' as const, id: user.userId, role: user.role };
  const gateway = c.get('gateway');
  if (gateway)
    return {
      organizationId: gateway.organizationId,
      kind: 'gateway' as const,
      id: gateway.gatewayId,
      role: null,
    };
  const claimed = result as { gatewayId?: string; organizationId?: string } | null;
  if (spec.access.kind === 'claim-code' && claimed?.gatewayId && claimed.organizationId) {
    return {
      organizationId: claimed.organizationId,
      kind: 'claim-code' as const,
      id: claimed.gatewayId,
      role: null,
    };
  }
  return null;
}

/**
 * Wraps a changing route's handler: reads the entity before, runs the handler, and on success records who,
 * what, when and the entity before and after (secrets redacted). A refused request changed nothing and is
 * not recorded. A failure to record is logged and does not undo the change the caller already made.
 */
export async function audited(c: Context<HubEnv>, spec: RouteSpec, next: Next, findGet: EntityReader) {
  const pattern = entityPattern(spec, findGet);
  const path = pattern ? concrete(c, pattern) : undefined;
  const before = path ? await readEntity(c, path) : null;
  await next();
  if (c.res.status >= 400) return;
  try {
    const result = await responseJson(c);
    const actor = actorOf(c, spec, result);
    if (!actor) return;
    const after = path && spec.method !== 'post' ? await readEntity(c, path) : result;
    await openDb(c.env.DB)
      .insert(auditLog)
      .values({
        id: newId(),
        organizationId: actor.organizationId,
        actorKind: actor.kind,
        actorId: actor.id,
        actorRole: actor.role,
        action: `${spec.method.toUpperCase()} ${spec.path}`,
        path: c.req.path.replace(/^\/api\/v1/, ''),
        status: c.res.status,
        before: capped(redact(before)),
        after: capped(redact(after)),
        at: new Date().toISOString(),
      });
  } catch (error) {
    console.error(
      `audit: could not record ${spec.method.toUpperCase()} ${spec.path}: ${(error as Error).message}`,
    );
  }
}
