import type { AedesOptions } from 'aedes';
import { deviceTopic, isDeviceId } from '@pourcast/protocol';
import type { RefusalCounter } from './refusals.ts';

type AuthorizeSubscribeHandler = NonNullable<AedesOptions['authorizeSubscribe']>;

/** The topics a device may read: its own retained `config` and its `cmd`, exact (no wildcards). */
export function allowedSubscriptions(deviceId: string): string[] {
  if (!isDeviceId(deviceId)) return [];
  return [deviceTopic(deviceId, 'config'), deviceTopic(deviceId, 'cmd')];
}

/**
 * Anything else is negated: the SUBACK carries 0x80 (failure) for that topic [MQTT-3.9.3] and the
 * connection stays up; the refusal is counted. Negating rather than erroring keeps a device with one
 * stale subscription in its firmware connected for the topics it may read.
 */
export function createAuthorizeSubscribe(refusals: RefusalCounter): AuthorizeSubscribeHandler {
  return (client, subscription, callback) => {
    if (allowedSubscriptions(client.id).includes(subscription.topic)) return callback(null, subscription);
    refusals.refuse(
      'subscribe:forbidden-topic',
      client.id,
      `subscribe to ${subscription.topic.slice(0, 120)}`,
    );
    callback(null, null);
  };
}
