import type { AedesOptions, AuthenticateError, Client } from 'aedes';
import { verifySecret } from '@pourcast/protocol';
import type { ConnectRate } from './connection-guard.ts';
import type { DeviceRegistry } from './device-registry.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { RefusalCounter, RefusalReason } from './refusals.ts';

/** CONNACK return code 4: "bad user name or password" [MQTT-3.2.2.3, table 3.1]. */
const BAD_USERNAME_OR_PASSWORD = 4;
/** CONNACK return code 3: "server unavailable" [MQTT-3.2.2.3, table 3.1]: too many connects, try later. */
const SERVER_UNAVAILABLE = 3;

type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

export interface LoginGuards {
  throttle?: LoginThrottle;
  connectRate?: ConnectRate;
}

/** The peer's address (aedes keeps the socket as `client.conn`). */
export function clientAddress(client: Client | null | undefined): string | null {
  const conn = (client as unknown as { conn?: { remoteAddress?: string } } | null)?.conn;
  return conn?.remoteAddress ?? null;
}

/**
 * A device logs in with username = its id and password = its provisioning secret, checked against the
 * stored hash. The client id must equal the device id, so one device cannot take over another's session.
 * Failed logins are answered after a growing delay and lead to a lockout (LoginThrottle).
 */
export function createAuthenticate(
  registry: DeviceRegistry,
  refusals: RefusalCounter,
  guards: LoginGuards = {},
): AuthenticateHandler {
  return (client, username, password, callback) => {
    const address = clientAddress(client);
    const name = typeof username === 'string' ? username.slice(0, 64) : null;
    const answer = (reason: RefusalReason, detail: string, returnCode: number, delayMs = 0) => {
      refusals.refuse(reason, name, address ? `${detail} (from ${address})` : detail);
      const error = Object.assign(new Error('connection refused'), { returnCode }) as AuthenticateError;
      if (delayMs > 0) setTimeout(() => callback(error, false), delayMs).unref();
      else callback(error, false);
    };
    const refuse = (reason: RefusalReason, detail: string) =>
      answer(reason, detail, BAD_USERNAME_OR_PASSWORD, guards.throttle?.failed(name ?? '', address) ?? 0);

    const locked = guards.throttle?.locked(name ?? '', address);
    if (locked) return answer('auth:locked-out', locked, BAD_USERNAME_OR_PASSWORD);
    const device = typeof username === 'string' ? registry.get(username) : undefined;
    if (!device) return refuse('auth:unknown-device', 'no such device');
    if (device.revokedAt !== null) return refuse('auth:revoked', 'device revoked');
    if (client.id !== device.id)
      return refuse('auth:client-id-mismatch', 'client id differs from the device id');
    if (!password) return refuse('auth:bad-secret', 'no password');
    if (guards.connectRate && !guards.connectRate.attempt(device.id))
      return answer('auth:too-many-connects', 'too many connections under this id', SERVER_UNAVAILABLE);
    verifySecret(password.toString('utf8'), device.secretHash).then(
      (ok) => {
        if (!ok) return refuse('auth:bad-secret', 'wrong secret');
        guards.throttle?.succeeded(device.id, address);
        callback(null, true);
      },
      () => refuse('auth:bad-secret', 'secret check failed'),
    );
  };
}
