import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { errorEnvelopeSchema, loginResponseSchema, profileSchema } from '@pourcast/protocol';
import { openDb } from '../db/client.ts';
import { app } from '../index.ts';
import { call, emptyDatabase, freshHub, PASSWORD, staff } from '../../test/helpers.ts';
import { createFirstOrganization } from './accounts.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

describe('setup', () => {
  it('creates the organization and owner once, then answers 409', async () => {
    const owner = await freshHub('Setup Bar Group');
    expect(loginResponseSchema.parse(owner).user.role).toBe('owner');
    const again = await call('POST', '/setup', {
      json: {
        organization: { name: 'Second try' },
        owner: { email: 'late@bar.example', name: 'Late', password: PASSWORD },
      },
    });
    expect(again.status).toBe(409);
    expect(errorEnvelopeSchema.parse(again.body).error.code).toBe('already_set_up');
  });
});

describe('setup under a race', () => {
  it('lets exactly one of two concurrent setups through', async () => {
    await emptyDatabase();
    const attempt = (n: number) =>
      call('POST', '/setup', {
        json: {
          organization: { name: `Race ${n}` },
          owner: { email: `racer${n}@bar.example`, name: `Racer ${n}`, password: PASSWORD },
        },
      });
    const statuses = (await Promise.all([attempt(1), attempt(2)])).map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409]);
    const counts = await openDb(env.DB).get(
      sql`SELECT (SELECT COUNT(*) FROM organizations) AS orgs, (SELECT COUNT(*) FROM users) AS users`,
    );
    expect(counts).toEqual({ orgs: 1, users: 1 });
  });

  it('keeps nothing of a setup that lost the race after the first check', async () => {
    await emptyDatabase();
    const first = await createFirstOrganization(env.DB, {
      organization: { name: 'Winner', currency: 'USD' },
      owner: { email: 'w@bar.example', name: 'W', password: PASSWORD },
    });
    const second = await createFirstOrganization(env.DB, {
      organization: { name: 'Loser', currency: 'USD' },
      owner: { email: 'l@bar.example', name: 'L', password: PASSWORD },
    });
    expect(first?.role).toBe('owner');
    expect(second).toBeUndefined();
    const users = await openDb(env.DB).all(sql`SELECT email FROM users`);
    expect(users).toEqual([{ email: 'w@bar.example' }]);
  });
});

describe('login and sessions', () => {
  it('logs in with the right password and refuses a wrong one or an unknown email', async () => {
    const owner = await freshHub();
    const right = await call('POST', '/auth/login', {
      json: { email: owner.user.email, password: PASSWORD },
    });
    expect(right.status).toBe(200);
    const session = loginResponseSchema.parse(right.body);
    expect(session.user).toEqual(owner.user);
    const hours = (Date.parse(session.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);

    const wrong = await call('POST', '/auth/login', {
      json: { email: owner.user.email, password: 'not the one!' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const unknown = await call('POST', '/auth/login', {
      json: { email: 'nobody@bar.example', password: PASSWORD },
    });
    expect(unknown.status).toBe(401);

    const me = await call('GET', '/auth/me', { token: session.token });
    expect(me).toEqual({ status: 200, body: { ...owner.user, locale: null } });
  });

  it('treats emails case-insensitively', async () => {
    const owner = await freshHub();
    const answer = await call('POST', '/auth/login', {
      json: { email: owner.user.email.toUpperCase(), password: PASSWORD },
    });
    expect(answer.status).toBe(200);
  });

  it('refuses missing, forged and tampered sessions', async () => {
    const owner = await freshHub();
    expect((await call('GET', '/auth/me')).status).toBe(401);
    expect((await call('GET', '/auth/me', { token: 'not.a.jwt' })).status).toBe(401);
    const [header, payload, signature] = owner.token.split('.');
    const claims = JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/')));
    const forged = btoa(JSON.stringify({ ...claims, role: 'owner', sub: 'someone-else' }))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    expect((await call('GET', '/auth/me', { token: `${header}.${forged}.${signature}` })).status).toBe(401);
  });

  it('re-checks the membership on every request', async () => {
    const owner = await freshHub();
    const bartender = await staff(owner.token, 'bartender');
    expect((await call('GET', '/auth/me', { token: bartender.token })).status).toBe(200);
    await openDb(env.DB).run(sql`DELETE FROM memberships WHERE user_id = ${bartender.user.id}`);
    const after = await call('GET', '/auth/me', { token: bartender.token });
    expect(after.status).toBe(401);
  });

  it('refuses to issue sessions when JWT_SECRET is missing or short', async () => {
    for (const JWT_SECRET of [undefined, 'too-short-for-hs256']) {
      const response = await app.request(
        '/api/v1/auth/login',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'a@bar.example', password: PASSWORD }),
        },
        { ...env, JWT_SECRET },
      );
      expect(response.status).toBe(500);
      const body = errorEnvelopeSchema.parse(await response.json());
      expect(body.error.code).toBe('jwt_secret_missing');
      expect(body.error.message).toContain('JWT_SECRET');
    }
  });
});

describe('language per user', () => {
  it('keeps the language a person chooses, answers it from /auth/me after a new login, and is theirs alone', async () => {
    const owner = await freshHub();
    const bartender = await staff(owner.token, 'bartender');
    const chosen = await call('PATCH', '/auth/me', { token: bartender.token, json: { locale: 'hi' } });
    expect(chosen).toEqual({ status: 200, body: { ...bartender.user, locale: 'hi' } });

    const again = await call('POST', '/auth/login', {
      json: { email: bartender.user.email, password: PASSWORD },
    });
    const me = await call('GET', '/auth/me', { token: loginResponseSchema.parse(again.body).token });
    expect(profileSchema.parse(me.body).locale).toBe('hi');
    expect((await call('GET', '/auth/me', { token: owner.token })).body.locale).toBeNull();

    const row = await openDb(env.DB).get(sql`SELECT locale FROM users WHERE id = ${bartender.user.id}`);
    expect(row).toEqual({ locale: 'hi' });
  });

  it('refuses an unknown locale or another field with a reason, and keeps the last choice', async () => {
    const owner = await freshHub();
    await call('PATCH', '/auth/me', { token: owner.token, json: { locale: 'es' } });
    for (const json of [
      { locale: 'fr' },
      { locale: 'HI' },
      { locale: 42 },
      {},
      { locale: 'es', role: 'owner' },
    ]) {
      const refused = await call('PATCH', '/auth/me', { token: owner.token, json });
      expect(refused.status, JSON.stringify(json)).toBe(400);
      const { error } = errorEnvelopeSchema.parse(refused.body);
      expect(error.details?.length, JSON.stringify(json)).toBeGreaterThan(0);
    }
    const unknown = await call('PATCH', '/auth/me', { token: owner.token, json: { locale: 'fr' } });
    expect(unknown.body.error.details).toEqual([
      'body.locale: unknown locale; choose one of en-US, en-GB, en-IN, es, hi',
    ]);
    expect((await call('GET', '/auth/me', { token: owner.token })).body.locale).toBe('es');
    expect((await call('PATCH', '/auth/me', { json: { locale: 'hi' } })).status).toBe(401);
  });
});

describe('users', () => {
  it('lets an owner or manager add staff, but only an owner add an owner', async () => {
    const owner = await freshHub();
    const manager = await staff(owner.token, 'manager');
    const added = await call('POST', '/users', {
      token: manager.token,
      json: { email: 'barback@bar.example', name: 'Bea', password: PASSWORD, role: 'barback' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ email: 'barback@bar.example', role: 'barback' });
    const owner2 = await call('POST', '/users', {
      token: manager.token,
      json: { email: 'owner2@bar.example', name: 'Oz', password: PASSWORD, role: 'owner' },
    });
    expect(owner2.status).toBe(403);
    const duplicate = await call('POST', '/users', {
      token: owner.token,
      json: { email: 'BARBACK@bar.example', name: 'Bea again', password: PASSWORD, role: 'barback' },
    });
    expect(duplicate.status).toBe(409);
    const list = await call('GET', '/users', { token: owner.token });
    expect(list.body.map((u: { role: string }) => u.role).sort()).toEqual(['barback', 'manager', 'owner']);
  });

  it('rejects a short password with a path line', async () => {
    const owner = await freshHub();
    const answer = await call('POST', '/users', {
      token: owner.token,
      json: { email: 'x@bar.example', name: 'X', password: 'short', role: 'bartender' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toEqual(['body.password: must be at least 10 characters']);
  });
});

describe('passwords', () => {
  it('stores PBKDF2-SHA256 with salt and iterations, and verifies only the right password', async () => {
    const stored = await hashPassword('a long enough password');
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[\w-]{22}\$[\w-]{43}$/);
    expect(await hashPassword('a long enough password')).not.toBe(stored);
    expect(await verifyPassword('a long enough password', stored)).toBe(true);
    expect(await verifyPassword('a long enough passworD', stored)).toBe(false);
    expect(await verifyPassword('anything', 'garbage')).toBe(false);
  });
});
