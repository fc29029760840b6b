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

const gatewayRoutes = routeSpecs().filter((spec) => spec.access.kind === 'gateway');

/**
 * One case per gateway route, each with its own time: the single loop over every route once ran out of the
 * 60 s default at load ~20 on 2 cores (it takes well under a second when the machine is idle).
 */
describe('gateway routes', () => {
  it('exist', () => expect(gatewayRoutes.length).toBeGreaterThan(0));

  it.each(gatewayRoutes.map((spec) => [`${spec.method.toUpperCase()} ${spec.path}`, spec] as const))(
    '%s refuses every role’s session and a missing token',
    async (_name, spec) => {
      for (const role of ROLES) {
        const answer = await call(spec.method, concrete(spec), { token: tokens[role], ...bodyFor(spec) });
        expect(answer.status, `${spec.path} as ${role}`).toBe(401);
      }
      expect((await call(spec.method, concrete(spec), bodyFor(spec))).status, spec.path).toBe(401);
    },
    180_000,
  );
});

/** Routes anyone may call, each with what stands in for a session; a new public route must be added here. */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /health': 'liveness for monitors',
  'GET /openapi.json': 'the API description',
  'POST /setup': 'first run only: 409 once an organization exists',
  'POST /auth/login': 'the password is the credential; rate limited',
  'POST /gateways/claim': 'the one-time claim code is the credential',
  'POST /pos/webhooks/tabit/:id': 'the HMAC signature is the credential; rate limited per connection',
  'POST /pos/webhooks/square/:id': 'the HMAC signature is the credential; rate limited per connection',
};

describe('routes without a session', () => {
  it('are exactly the reviewed public ones', () => {
    const open = routeSpecs()
      .filter((spec) => spec.access.kind === 'public' || spec.access.kind === 'claim-code')
      .map((spec) => `${spec.method.toUpperCase()} ${spec.path}`);
    expect(new Set(open)).toEqual(new Set(Object.keys(PUBLIC_ROUTES)));
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
