import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hmacHex } from '../src/pos/hmac.ts';
import { call, createLocation, emptyDatabase, PASSWORD, unique } from './helpers.ts';

/** Everything the hub writes to the console while the flows below run (workerd's console is its log). */
const logged: string[] = [];
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

beforeAll(() => {
  for (const method of METHODS) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(
        args
          .map((a) =>
            a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a),
          )
          .join(' '),
      );
    });
  }
});
afterAll(() => vi.restoreAllMocks());

describe('secrets never reach the logs, the audit log or an export', () => {
  it('drives setup, logins, claim, rotation, revocation and signed webhooks, then finds none of their secrets', async () => {
    const secrets: string[] = [PASSWORD, env.JWT_SECRET!];
    await emptyDatabase();
    const email = `${unique('owner')}@bar.example`;
    const setup = await call('POST', '/setup', {
      json: {
        organization: { name: 'Log Bar', currency: 'EUR' },
        owner: { email, name: 'Olive', password: PASSWORD },
      },
    });
    expect(setup.status).toBe(201);
    const token = setup.body.token as string;
    secrets.push(token);

    // Failed logins, a lockout and a good login.
    for (let i = 0; i < 6; i++) {
      const wrong = `wrong-password-${i}-${crypto.randomUUID()}`;
      secrets.push(wrong);
      expect([401, 429]).toContain(
        (await call('POST', '/auth/login', { json: { email, password: wrong } })).status,
      );
    }
    const staffPassword = `staff-${crypto.randomUUID()}`;
    secrets.push(staffPassword);
    const staffEmail = `${unique('bartender')}@bar.example`;
    await call('POST', '/users', {
      token,
      json: { email: staffEmail, name: 'Bea', password: staffPassword, role: 'bartender' },
    });
    const staffLogin = await call('POST', '/auth/login', {
      json: { email: staffEmail, password: staffPassword },
    });
    expect(staffLogin.status).toBe(200);
    secrets.push(staffLogin.body.token);

    // Claim, rotate, revoke.
    const locationId = await createLocation(token);
    const code = await call('POST', `/locations/${locationId}/claim-codes`, { token });
    secrets.push(code.body.code);
    const claim = await call('POST', '/gateways/claim', { json: { code: code.body.code, name: 'bar-gw' } });
    expect(claim.status).toBe(201);
    secrets.push(claim.body.token);
    expect(
      (await call('POST', '/gateways/claim', { json: { code: code.body.code, name: 'again' } })).status,
    ).toBeGreaterThanOrEqual(400);
    const rotated = await call('POST', `/gateways/${claim.body.gatewayId}/token/rotate`, { token });
    secrets.push(rotated.body.token);
    expect(
      (await call('GET', `/gateways/${claim.body.gatewayId}/catalog`, { token: claim.body.token })).status,
    ).toBe(401);
    expect((await call('DELETE', `/gateways/${claim.body.gatewayId}/token`, { token })).status).toBeLessThan(
      300,
    );
    expect(
      (await call('GET', `/gateways/${claim.body.gatewayId}/catalog`, { token: rotated.body.token })).status,
    ).toBe(401);

    // A POS connection and signed webhooks: good, bad signature, malformed body.
    const connection = await call('POST', '/pos/connections', {
      token,
      json: { provider: 'tabit', locationId },
    });
    expect(connection.status).toBe(201);
    const signingSecret = connection.body.signingSecret as string;
    secrets.push(signingSecret);
    const post = async (body: string, key: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `sha256=${await hmacHex(key, `${timestamp}.${body}`)}`;
      if (key === signingSecret) secrets.push(signature.slice('sha256='.length));
      return call('POST', `/pos/webhooks/tabit/${connection.body.id}`, {
        headers: {
          'x-tabit-signature': signature,
          'x-tabit-timestamp': timestamp,
          'content-type': 'application/json',
        },
        json: JSON.parse(body),
      });
    };
    const check = JSON.stringify({
      eventId: 'e1',
      eventType: 'check.closed',
      check: {
        id: 'c1',
        closedAt: new Date().toISOString(),
        items: [{ lineId: '1', menuItemId: 'M', name: 'Gin Tonic', quantity: 1, price: 9 }],
      },
    });
    expect((await post(check, signingSecret)).status).toBe(200);
    expect((await post(check, 'not-the-key')).status).toBe(401);
    expect((await post(JSON.stringify({ eventId: 'e2', nonsense: true }), signingSecret)).status).toBe(400);

    // Where secrets could leak: the console, the audit log, the owner's export.
    const audit = JSON.stringify((await call('GET', '/audit?limit=200', { token })).body);
    const exported = JSON.stringify((await call('GET', '/organization/export', { token })).body);
    expect(audit.length).toBeGreaterThan(100);
    expect(exported.length).toBeGreaterThan(100);
    const places = { console: logged.join('\n'), audit, exported };
    const leaks = Object.entries(places).flatMap(([place, text]) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${place}: ${secret.slice(0, 6)}…`),
    );
    expect(leaks).toEqual([]);
    // The capture itself works: a planted line is seen.
    console.error(`planted ${signingSecret}`);
    expect(logged.join('\n')).toContain(signingSecret);
  });
});
