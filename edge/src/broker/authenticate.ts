import type { AedesOptions, AuthenticateError } from 'aedes';
import { verifySecret } from '@pourcast/protocol';
import type { DeviceRegistry } from './device-registry.ts';
import type { RefusalCounter, RefusalReason } from './refusals.ts';

/** CONNACK return code 4: "bad user name or password" [MQTT-3.2.2.3, table 3.1]. */
const BAD_USERNAME_OR_PASSWORD = 4;

/**
 * A device logs in with username = its id and password = its provisioning secret, checked against the
 * stored hash. The client id must equal the device id, so one device cannot take over another's session.
 */
type AuthenticateHandler = NonNullable<AedesOptions['authenticate']>;

export function createAuthenticate(registry: DeviceRegistry, refusals: RefusalCounter): AuthenticateHandler {
  return (client, username, password, callback) => {
    const refuse = (reason: RefusalReason, detail: string) => {
      refusals.refuse(reason, typeof username === 'string' ? username.slice(0, 64) : null, detail);
      const error = Object.assign(new Error('bad username or password'), {
        returnCode: BAD_USERNAME_OR_PASSWORD,
      }) as AuthenticateError;
      callback(error, false);
    };
    const device = typeof username === 'string' ? registry.get(username) : undefined;
    if (!device) return refuse('auth:unknown-device', 'no such device');
    if (device.revokedAt !== null) return refuse('auth:revoked', 'device revoked');
    if (client.id !== device.id)
      return refuse('auth:client-id-mismatch', 'client id differs from the device id');
    if (!password) return refuse('auth:bad-secret', 'no password');
    verifySecret(password.toString('utf8'), device.secretHash).then(
      (ok) => (ok ? callback(null, true) : refuse('auth:bad-secret', 'wrong secret')),
      () => refuse('auth:bad-secret', 'secret check failed'),
    );
  };
}
