import { Hono } from 'hono';
import {
  loginRequestSchema,
  loginResponseSchema,
  profilePatchSchema,
  profileSchema,
  setupRequestSchema,
  type LoginResponse,
  type User,
} from '@pourcast/protocol';
import { openDb } from '../db/client.ts';
import type { HubBindings, HubEnv } from '../env.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import {
  checkCredentials,
  createFirstOrganization,
  getProfile,
  hasAnyOrganization,
  setLocale,
} from './accounts.ts';
import { currentUser } from './guards.ts';
import { gateLogin, recordLoginFailure, recordLoginSuccess } from './login-limits.ts';
import { issueSession, jwtSecret } from './session.ts';

async function sessionFor(env: HubBindings, user: User): Promise<LoginResponse> {
  const session = await issueSession(env, { sub: user.id, org: user.organizationId, role: user.role });
  return { ...session, user };
}

export const authRoutes = new Hono<HubEnv>()
  .post(
    '/setup',
    route({
      method: 'post',
      path: '/setup',
      tag: 'auth',
      summary: 'First run: create the organization and its owner (409 once the hub has one)',
      access: { kind: 'public' },
      body: setupRequestSchema,
      response: loginResponseSchema,
      status: 201,
    }),
    valid('json', setupRequestSchema),
    async (c) => {
      jwtSecret(c.env); // refuse before creating anything the owner could not log in to
      const alreadySetUp = () =>
        new AppError(409, 'already_set_up', 'this hub already has an organization; log in instead');
      if (await hasAnyOrganization(openDb(c.env.DB))) throw alreadySetUp(); // cheap answer before hashing
      const owner = await createFirstOrganization(c.env.DB, c.req.valid('json'));
      if (!owner) throw alreadySetUp();
      return c.json(await sessionFor(c.env, owner), 201);
    },
  )
  .post(
    '/auth/login',
    route({
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary:
        'Log in with email and password; answers a 12 h session token (429 + Retry-After after repeated failures)',
      access: { kind: 'public' },
      noAudit: 'a login changes no data (failures are counted in rate_limits)',
      body: loginRequestSchema,
      response: loginResponseSchema,
    }),
    valid('json', loginRequestSchema),
    async (c) => {
      jwtSecret(c.env);
      const { email, password } = c.req.valid('json');
      const db = openDb(c.env.DB);
      await gateLogin(c, db, email, new Date());
      const user = await checkCredentials(db, email, password);
      if (!user) {
        await recordLoginFailure(c, db, email, new Date());
        throw new AppError(401, 'invalid_credentials', 'email or password is wrong');
      }
      await recordLoginSuccess(db, email);
      return c.json(await sessionFor(c.env, user), 200);
    },
  )
  .get(
    '/auth/me',
    route({
      method: 'get',
      path: '/auth/me',
      tag: 'auth',
      summary: 'The logged-in user with their current role and language',
      access: { kind: 'user', right: 'profile:read' },
      response: profileSchema,
    }),
    async (c) => {
      const session = currentUser(c);
      const me = await getProfile(openDb(c.env.DB), session.organizationId, session.userId);
      if (!me) throw notFound('user');
      return c.json(me, 200);
    },
  )
  .patch(
    '/auth/me',
    route({
      method: 'patch',
      path: '/auth/me',
      tag: 'auth',
      summary: 'Change your own profile: the language the apps speak to you (an unknown locale is refused)',
      access: { kind: 'user', right: 'profile:write' },
      body: profilePatchSchema,
      response: profileSchema,
    }),
    valid('json', profilePatchSchema),
    async (c) => {
      const session = currentUser(c);
      const db = openDb(c.env.DB);
      await setLocale(db, session.userId, c.req.valid('json').locale);
      const me = await getProfile(db, session.organizationId, session.userId);
      if (!me) throw notFound('user');
      return c.json(me, 200);
    },
  );
