import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  FIRST_LOCK_SECONDS,
  LOCK_AFTER_FAILURES,
  lockSeconds,
  MAX_LOCK_SECONDS,
} from '../src/auth/login-limits.ts';
import { PUBLIC_ID_LIMIT } from '../src/auth/rate-limit.ts';
import { call, freshHub, PASSWORD } from './helpers.ts';

let email: string;
const T0 = new Date('2026-06-01T20:00:00Z');

beforeAll(async () => {
  const owner = await freshHub();
  email = owner.user.email;
});

afterEach(() => {
  vi.useRealTimers();
});

/** Controlled time: only Date is faked, so D1 and PBKDF2 run as usual. */
const at = (seconds: number) => vi.setSystemTime(new Date(T0.getTime() + seconds * 1000));
const attempt = (password: string, address?: string, who = email) =>
  call('POST', '/auth/login', {
    json: { email: who, password },
    headers: address ? { 'cf-connecting-ip': address } : {},
  });

describe('login backoff per account', () => {
  it('locks after repeated failures, doubles the lock, and lets the right password in once it ends', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(0);
    for (let i = 1; i < LOCK_AFTER_FAILURES; i++) expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt('wrong password')).status).toBe(401); // the failure that locks
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('rate_limited');
    // Still locked just before the end; open right after.
    at(FIRST_LOCK_SECONDS - 1);
    expect((await attempt(PASSWORD)).status).toBe(429);
    at(FIRST_LOCK_SECONDS + 1);
    expect((await attempt('wrong password')).status).toBe(401); // sixth failure: 60 s now
    at(FIRST_LOCK_SECONDS + 1 + 2 * FIRST_LOCK_SECONDS - 1);
    expect((await attempt(PASSWORD)).status).toBe(429);
    at(FIRST_LOCK_SECONDS + 1 + 2 * FIRST_LOCK_SECONDS + 1);
    expect((await attempt(PASSWORD)).status).toBe(200);
    // A success ends the run: one more failure does not lock again.
    expect((await attempt('wrong password')).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it('treats an unknown email like a known one (no existence leak) and says when to retry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(10_000);
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++)
      expect((await attempt('x', undefined, 'nobody@nowhere.example')).status).toBe(401);
    const response = await call('POST', '/auth/login', {
      json: { email: 'NOBODY@nowhere.example', password: 'x' },
    });
    expect(response.status).toBe(429);
  });

  it('grows the lock exponentially up to a ceiling', () => {
    expect(lockSeconds(LOCK_AFTER_FAILURES - 1)).toBe(0);
    expect(lockSeconds(LOCK_AFTER_FAILURES)).toBe(FIRST_LOCK_SECONDS);
    expect(lockSeconds(LOCK_AFTER_FAILURES + 2)).toBe(4 * FIRST_LOCK_SECONDS);
    expect(lockSeconds(100)).toBe(MAX_LOCK_SECONDS);
  });
});

describe('login limits per client address', () => {
  it('refuses an address spraying many accounts, while another address still logs in', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(20_000);
    let refused = 0;
    for (let i = 0; i < 31; i++) {
      const answer = await attempt('wrong', '203.0.113.9', `spray-${i}@bar.example`);
      if (answer.status === 429) refused++;
      else expect(answer.status).toBe(401);
    }
    expect(refused).toBe(1);
    const blocked = await attempt(PASSWORD, '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.body.error.message.match(/retry in (\d+) s/)?.[1])).toBeGreaterThan(0);
    expect((await attempt(PASSWORD, '198.51.100.7')).status).toBe(200);
    at(20_000 + 15 * 60 + 1); // the window has passed
    expect((await attempt(PASSWORD, '203.0.113.9')).status).toBe(200);
  });
});

describe('public routes by id (POS webhooks)', () => {
  it('answers 429 with Retry-After past the per-connection window, and other connections are unaffected', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    at(30_000);
    const noisy = '01JNOISYCONNECTION00000000';
    for (let i = 0; i < PUBLIC_ID_LIMIT.limit; i++) {
      const answer = await call('POST', `/pos/webhooks/tabit/${noisy}`, { json: {} });
      expect(answer.status).toBe(401); // unknown connection: refused like a bad signature
    }
    const over = await call('POST', `/pos/webhooks/tabit/${noisy}`, { json: {} });
    expect(over.status).toBe(429);
    expect((await call('POST', '/pos/webhooks/tabit/01JQUIETCONNECTION00000000', { json: {} })).status).toBe(
      401,
    );
    at(30_000 + PUBLIC_ID_LIMIT.windowSeconds + 1);
    expect((await call('POST', `/pos/webhooks/tabit/${noisy}`, { json: {} })).status).toBe(401);
  });
});
