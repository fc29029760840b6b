import type { AedesOptions, PublishPacket } from 'aedes';
import {
  channelPayloadSchemas,
  parseJsonMessage,
  parseTopic,
  publishChannelsByKind,
  type Channel,
  type DeviceStatus,
} from '@pourcast/protocol';
import type { GatewayBus } from '../bus.ts';
import type { ReadingInbox } from '../ingest/inbox.ts';
import type { DeviceRegistry } from './device-registry.ts';
import type { DeviceStatusTracker } from './device-status.ts';
import type { PublishRateLimiter } from './publish-rate-limiter.ts';
import { isJpeg, readFrameMeta } from './frame-check.ts';
import type { RefusalCounter, RefusalReason } from './refusals.ts';

type AuthorizePublishHandler = NonNullable<AedesOptions['authorizePublish']>;

export interface PublishLimits {
  maxPayloadBytes: number;
  maxFrameBytes: number;
}

export interface PublishGateDeps {
  registry: DeviceRegistry;
  refusals: RefusalCounter;
  inbox: ReadingInbox;
  statuses: DeviceStatusTracker;
  bus: GatewayBus;
  limits: PublishLimits;
  /** Called once per PUBLISH a client sends (health: messagesIn). */
  onMessage: () => void;
  /** Per-device message and byte budgets (absent: unlimited). */
  rateLimit?: PublishRateLimiter;
}

/**
 * What an error from authorizePublish does in aedes 1.2 (lib/handlers/publish.js + lib/client.js): the
 * handler's `done(err)` reaches `nextBatch(err)`, the client emits 'error', and `_onError` destroys the
 * socket. No PUBACK is written for QoS 1, nothing is routed for QoS 0, on MQTT 3.1.1 and 5 alike (aedes
 * writes every packet with mqtt-packet's 3.1.1 encoder and has no way to send a PUBACK reason code).
 * A QoS 1 sender then reconnects and resends the same message [MQTT-4.4.0-1].
 *
 * So two kinds of refusal:
 * - ACL violations (bad or foreign topic, wildcard, a channel the device kind may not use): error →
 *   disconnect. The device is misconfigured or hostile; resending will not help it.
 * - A bad payload on a legitimate topic (oversize, malformed JSON, schema-invalid, not a JPEG): the
 *   message is acknowledged and dropped (counted, logged, retain flag cleared so it is never stored), and
 *   the connection stays. Refusing it would make the device resend the same bad message for ever.
 */
export function createAuthorizePublish(deps: PublishGateDeps): AuthorizePublishHandler {
  const { registry, refusals, inbox, statuses, bus, limits } = deps;

  return (client, packet, callback) => {
    deps.onMessage();
    const actor = client?.id ?? null;
    const disconnect = (reason: RefusalReason, detail: string) => {
      refusals.refuse(reason, actor, detail);
      callback(new Error(`${reason}: ${detail}`));
    };
    const drop = (reason: RefusalReason, detail: string) => {
      refusals.refuse(reason, actor, detail);
      packet.retain = false;
      callback(null);
    };

    const parsed = parseTopic(packet.topic);
    if (!parsed.ok) return disconnect('publish:bad-topic', parsed.reason);
    // A null client is aedes publishing a will left by a session that is gone: only a device's own
    // status topic could have been stored as its will, checked again here.
    const deviceId = client ? client.id : parsed.deviceId;
    if (parsed.deviceId !== deviceId) return disconnect('publish:foreign-topic', `topic ${packet.topic}`);
    const device = registry.get(deviceId);
    if (!device) return disconnect('publish:foreign-topic', 'unknown device');
    const channel: Channel = parsed.channel;
    if (!publishChannelsByKind[device.kind].includes(channel) || (!client && channel !== 'status')) {
      return disconnect('publish:forbidden-channel', `${device.kind} may not publish on ${channel}`);
    }

    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (client && deps.rateLimit) {
      const verdict = deps.rateLimit.take(deviceId, payload.length);
      if (verdict === 'disconnect')
        return disconnect('publish:rate-limit-abuse', `kept publishing over its budget on ${channel}`);
      if (verdict === 'drop') return drop('publish:rate-limited', `over its budget on ${channel}`);
    }
    const limit = channel === 'frame' ? limits.maxFrameBytes : limits.maxPayloadBytes;
    if (payload.length > limit)
      return drop('publish:oversize', `${payload.length} bytes > ${limit} on ${channel}`);
    // Only `status` is retained (DESIGN.md); a retained reading would be replayed to nobody and kept forever.
    if (channel !== 'status') packet.retain = false;

    if (channel === 'frame') return acceptFrame(deviceId, payload, packet, callback, drop, bus);

    const schema = channelPayloadSchemas[channel as keyof typeof channelPayloadSchemas];
    const message = parseJsonMessage(schema, payload.toString('utf8'));
    if (!message.ok) {
      const reason = message.reason.startsWith('malformed JSON')
        ? 'publish:malformed-json'
        : 'publish:invalid-payload';
      return drop(reason, message.reason);
    }
    const receivedAt = Date.now();

    if (channel === 'weight' || channel === 'scan') {
      const { seq, at } = message.value as { seq: number; at: number };
      inbox.append({ deviceId, channel, payload: JSON.stringify(message.value), receivedAt, seq, at }).then(
        (outcome) =>
          outcome === 'duplicate'
            ? drop('publish:duplicate', `replay of ${channel} seq ${seq}`)
            : callback(null),
        (error: Error) => disconnect('publish:storage-failed', error.message),
      );
      return;
    }
    if (channel === 'status') statuses.update(deviceId, message.value as DeviceStatus, receivedAt);
    callback(null);
  };
}

function acceptFrame(
  deviceId: string,
  payload: Buffer,
  packet: PublishPacket,
  callback: (error?: Error | null) => void,
  drop: (reason: RefusalReason, detail: string) => void,
  bus: GatewayBus,
): void {
  if (!isJpeg(payload))
    return drop('publish:not-jpeg', 'frame does not start with the JPEG SOI marker FF D8');
  const meta = readFrameMeta(packet.properties?.userProperties, payload);
  if (!meta.ok) return drop('publish:invalid-frame-meta', meta.reason);
  bus.emit('frame', {
    deviceId,
    jpeg: payload,
    receivedAt: Date.now(),
    ...(meta.meta ? { meta: meta.meta } : {}),
  });
  callback(null);
}
