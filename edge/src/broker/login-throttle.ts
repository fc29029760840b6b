export interface LoginThrottleOptions {
  /** Failures (per device id, per address) before a lockout. */
  maxFailures: number;
  lockoutMs: number;
  /** First delay before a refusal is answered; doubles with each failure, capped at 30 s. */
  baseDelayMs: number;
  now?: () => number;
  /** Records kept at most (oldest forgotten first), so a scan of many ids cannot grow memory. */
  maxEntries?: number;
}

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

/**
 * Failed-login backoff and lockout, per device id and per source address. A refusal is answered after a
 * growing delay, which makes guessing a 256-bit secret slower still and, above all, stops a broken device
 * from hammering the CPU with PBKDF2 checks. A device is still let in from the address it last logged in
 * from, whatever is locked, so nobody on the Wi-Fi can lock a scale out.
 */
export class LoginThrottle {
  readonly #failures = new Map<string, Failures>();
  readonly #trusted = new Map<string, string>();

  constructor(private readonly options: LoginThrottleOptions) {}

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Why this attempt is refused without checking the secret, or null. */
  locked(deviceId: string, address: string | null): string | null {
    const now = this.#now();
    // A device that proved its secret from this address before is let through to the secret check: on a
    // shared address (the demo's localhost, a NAT) one guesser or one revoked unit must not lock out all.
    if (address !== null && this.#trusted.get(deviceId) === address) return null;
    if (address !== null && this.#isLocked(`addr:${address}`, now))
      return `address ${address} locked out after ${this.options.maxFailures} failed logins`;
    if (this.#isLocked(`device:${deviceId}`, now))
      return `device ${deviceId} locked out after ${this.options.maxFailures} failed logins`;
    return null;
  }

  /** Records a failure; returns how long to wait before answering it. */
  failed(deviceId: string, address: string | null): number {
    const now = this.#now();
    const counts = [this.#bump(`device:${deviceId}`, now)];
    if (address !== null) counts.push(this.#bump(`addr:${address}`, now));
    const worst = Math.max(...counts);
    return Math.min(this.options.baseDelayMs * 2 ** (worst - 1), 30_000);
  }

  succeeded(deviceId: string, address: string | null): void {
    this.#failures.delete(`device:${deviceId}`);
    if (address !== null) {
      this.#failures.delete(`addr:${address}`);
      this.#trusted.set(deviceId, address);
    }
  }

  #isLocked(key: string, now: number): boolean {
    const entry = this.#failures.get(key);
    return entry !== undefined && entry.lockedUntil > now;
  }

  #bump(key: string, now: number): number {
    let entry = this.#failures.get(key);
    // Failures older than a lockout period are forgiven.
    if (!entry || now - entry.lastAt > this.options.lockoutMs)
      entry = { count: 0, lastAt: now, lockedUntil: 0 };
    this.#failures.delete(key); // re-insert: the map's order is least recently failed first
    entry.count++;
    entry.lastAt = now;
    if (entry.count >= this.options.maxFailures) entry.lockedUntil = now + this.options.lockoutMs;
    this.#failures.set(key, entry);
    const max = this.options.maxEntries ?? 10_000;
    while (this.#failures.size > max) this.#failures.delete(this.#failures.keys().next().value!);
    return entry.count;
  }
}
