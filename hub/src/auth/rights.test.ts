import { beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '@pourcast/protocol';
import { routeSpecs, type RouteSpec } from '../http/route.ts';
import { app } from '../index.ts';
import { call, createLocation, freshHub, staff } from '../../test/helpers.ts';
import { hasRight } from './rights.ts';

const tokens = {} as Record<Role, string>;
let locationId: string;

beforeAll(async () => {
  const owner = await freshHub();
  tokens.owner = owner.token;
  for (const role of ROLES.filter((r) => r !== 'owner'))
    tokens[role] = (await staff(owner.token, role)).token;
  locationId = await createLocation(owner.token);
});

/** A concrete path: a real location id where one is named, a well-formed unknown id elsewhere. */
const concrete = (spec: RouteSpec) =>
  spec.path.replace(/^\/locations\/:id/, `/locations/${locationId}`).replace(/:\w+/g, 'no-such-record');

/** An empty JSON body where the method takes one: validators run after the guard, so it only reaches them. */
const bodyFor = (spec: RouteSpec) => (spec.method === 'get' ? {} : { json: {} });

const userRoutes = routeSpecs().filter((spec) => spec.access.kind === 'user');

describe('every route declares its access', () => {
  it('has a spec (and so a guard) for each route the app serves', () => {
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/^\/api\/v1/, '')}`);
    const declared = routeSpecs().map((spec) => `${spec.method.toUpperCase()} ${spec.path}`);
    expect(new Set(served)).toEqual(new Set(declared));
    expect(userRoutes.length).toBeGreaterThan(20);
  });
});

describe.each(userRoutes.map((spec) => [`${spec.method.toUpperCase()} ${spec.path}`, spec] as const))(
  '%s',
  (_name, spec) => {
    const right = spec.access.kind === 'user' ? spec.access.right : 'profile:read';

    it.each(ROLES.map((role) => [role, hasRight(role, right)] as const))(
      `%s (allowed: %s) for right ${right}`,
      async (role, allowed) => {
        const answer = await call(spec.method, concrete(spec), { token: tokens[role], ...bodyFor(spec) });
        if (allowed) {
          expect([401, 403]).not.toContain(answer.status);
          expect(answer.status).toBeLessThan(500);
        } else {
          expect(answer.status).toBe(403);
          expect(answer.body.error.code).toBe('forbidden');
        }
      },
    );

    it('answers 401 without a session', async () => {
      expect((await call(spec.method, concrete(spec), bodyFor(spec))).status).toBe(401);
    });
  },
);

describe('gateway routes', () => {
  it('refuse user sessions', async () => {
    for (const spec of routeSpecs().filter((s) => s.access.kind === 'gateway')) {
      const answer = await call(spec.method, concrete(spec), { token: tokens.owner, ...bodyFor(spec) });
      expect(answer.status, spec.path).toBe(401);
    }
  });
});

describe('the rights table', () => {
  it('gives every role its daily rights and keeps management to owners and managers', () => {
    for (const role of ROLES) expect(hasRight(role, 'stock:read')).toBe(true);
    expect(ROLES.filter((role) => hasRight(role, 'users:manage'))).toEqual(['owner', 'manager']);
    expect(ROLES.filter((role) => hasRight(role, 'gateways:manage'))).toEqual(['owner', 'technician']);
    expect(ROLES.filter((role) => hasRight(role, 'adjustments:write'))).toEqual(['owner', 'manager']);
  });
});
