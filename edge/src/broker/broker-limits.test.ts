import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';
import { PublishRateLimiter } from './publish-rate-limiter.ts';

describe('login throttle', () => {
  it('delays each failure longer, locks out after the limit, and forgives after the lockout', () => {
    let now = 0;
    const throttle = new LoginThrottle({
      maxFailures: 3,
      lockoutMs: 60_000,
      baseDelayMs: 100,
      now: () => now,
    });
    expect(throttle.failed('scale-1', '10.0.0.9')).toBe(100);
    expect(throttle.failed('scale-1', '10.0.0.9')).toBe(200);
    expect(throttle.locked('scale-1', '10.0.0.9')).toBeNull();
    expect(throttle.failed('scale-1', '10.0.0.9')).toBe(400);
    expect(throttle.locked('scale-1', '10.0.0.9')).toMatch(/locked out/);
    expect(throttle.locked('scale-2', '10.0.0.9')).toMatch(/address 10.0.0.9 locked out/);
    expect(throttle.locked('scale-1', '10.0.0.7')).toMatch(/device scale-1 locked out/);
    now += 60_001;
    expect(throttle.locked('scale-1', '10.0.0.9')).toBeNull();
  });

  it('lets a device in from its last good address while strangers have locked its id', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, lockoutMs: 60_000, baseDelayMs: 0, now: () => 0 });
    throttle.succeeded('scale-1', '10.0.0.5');
    throttle.failed('scale-1', '10.0.0.66');
    throttle.failed('scale-1', '10.0.0.67');
    expect(throttle.locked('scale-1', '10.0.0.68')).toMatch(/device scale-1 locked out/);
    expect(throttle.locked('scale-1', '10.0.0.5')).toBeNull();
  });

  it('keeps a bounded number of records', () => {
    const throttle = new LoginThrottle({ maxFailures: 2, lockoutMs: 1000, baseDelayMs: 0, maxEntries: 10 });
    for (let i = 0; i < 1000; i++) throttle.failed(`guess-${i}`, null);
    expect(throttle.locked('guess-999', null)).toBeNull(); // one failure each: none locked
    throttle.failed('guess-999', null);
    expect(throttle.locked('guess-999', null)).toMatch(/locked/);
  });
});

describe('publish rate limiter', () => {
  it('passes a burst, drops past the budget, refills with time, disconnects persistent abuse', () => {
    let now = 0;
    const limiter = new PublishRateLimiter({
      messagesPerSecond: 10,
      bytesPerSecond: 10_000,
      largestMessageBytes: 1000,
      disconnectAfterDrops: 5,
      now: () => now,
    });
    const verdicts = Array.from({ length: 24 }, () => limiter.take('scale-1', 10));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(20);
    expect(verdicts.slice(20)).toEqual(['drop', 'drop', 'drop', 'drop']);
    expect(limiter.take('scale-1', 10)).toBe('disconnect');
    expect(limiter.take('scale-2', 10)).toBe('ok'); // budgets are per device
    now += 1000;
    expect(limiter.take('scale-1', 10)).toBe('ok');
  });

  it('limits bytes as well as messages, but always fits one largest message', () => {
    const limiter = new PublishRateLimiter({
      messagesPerSecond: 100,
      bytesPerSecond: 1000,
      largestMessageBytes: 50_000,
      disconnectAfterDrops: 100,
      now: () => 0,
    });
    expect(limiter.take('cam-1', 50_000)).toBe('ok');
    expect(limiter.take('cam-1', 10)).toBe('drop');
  });
});
