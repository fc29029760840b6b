/**
 * MQTT topics on the gateway: `pourcast/v1/<deviceId>/<channel>`.
 * The version segment lets a later protocol live beside this one on the same broker.
 */
export const TOPIC_ROOT = 'pourcast';
export const PROTOCOL_VERSION = 'v1';

/** Channels a device publishes on. */
export const DEVICE_CHANNELS = ['weight', 'scan', 'frame', 'status', 'response'] as const;
/** Channels the gateway publishes on for one device. */
export const GATEWAY_CHANNELS = ['config', 'cmd'] as const;
export const CHANNELS = [...DEVICE_CHANNELS, ...GATEWAY_CHANNELS] as const;

export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];
export type GatewayChannel = (typeof GATEWAY_CHANNELS)[number];
export type Channel = (typeof CHANNELS)[number];

/**
 * A device id: lower-case letters, digits and dashes, 3-64 long, starting with a letter or digit.
 * No `+`, `#` or `/`, so an id can never widen a subscription [MQTT-4.7.1-1].
 */
export const DEVICE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;

export function isDeviceId(value: string): boolean {
  return DEVICE_ID_PATTERN.test(value);
}

export function deviceTopic(deviceId: string, channel: Channel): string {
  if (!isDeviceId(deviceId)) throw new TypeError(`invalid device id: ${JSON.stringify(deviceId)}`);
  return `${TOPIC_ROOT}/${PROTOCOL_VERSION}/${deviceId}/${channel}`;
}

export type ParsedTopic = { ok: true; deviceId: string; channel: Channel } | { ok: false; reason: string };

/** Parses a concrete (wildcard-free) topic; every refusal names its reason. */
export function parseTopic(topic: string): ParsedTopic {
  if (typeof topic !== 'string' || topic.length === 0) return { ok: false, reason: 'empty topic' };
  if (topic.length > 256) return { ok: false, reason: 'topic longer than 256 characters' };
  // Wildcards are only legal in subscriptions [MQTT-3.3.2-2].
  if (topic.includes('+') || topic.includes('#')) return { ok: false, reason: 'wildcard in topic' };
  const parts = topic.split('/');
  if (parts.length !== 4) return { ok: false, reason: 'topic must be pourcast/v1/<deviceId>/<channel>' };
  const [root, version, deviceId, channel] = parts as [string, string, string, string];
  if (root !== TOPIC_ROOT) return { ok: false, reason: `topic root must be ${TOPIC_ROOT}` };
  if (version !== PROTOCOL_VERSION) return { ok: false, reason: `unsupported protocol version ${version}` };
  if (!isDeviceId(deviceId)) return { ok: false, reason: `invalid device id ${JSON.stringify(deviceId)}` };
  if (!(CHANNELS as readonly string[]).includes(channel))
    return { ok: false, reason: `unknown channel ${channel}` };
  return { ok: true, deviceId, channel: channel as Channel };
}

export function isDeviceChannel(channel: Channel): channel is DeviceChannel {
  return (DEVICE_CHANNELS as readonly string[]).includes(channel);
}
