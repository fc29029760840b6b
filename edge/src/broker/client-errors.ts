import type { RefusalReason } from './refusals.ts';

/** Errors aedes raises for a PUBLISH topic that breaks the spec, before our ACL sees it (lib/handlers/publish.js). */
const BAD_PUBLISH_TOPIC = /not allowed in PUBLISH|empty topic not allowed|topic has too many levels/;

/** A peer that went away, or the broker closing a session: not a refusal. */
const ENDINGS = new Set([
  'connection closed',
  'keep alive timeout',
  'drain timeout',
  'Client queue limit reached',
]);
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/**
 * The counted reason for an error that ends a client's connection, or null when it needs none: refusals
 * the gateway raised itself (authentication, ACL, storage) are counted where they are raised, and a peer
 * hanging up is no refusal.
 */
export function clientErrorReason(error: Error): RefusalReason | null {
  const message = error.message ?? '';
  const code = (error as { code?: string }).code;
  const connackCode = (error as { errorCode?: number }).errorCode;
  if (/^(publish|auth|subscribe|connect):/.test(message)) return null;
  // CONNACK 3, 4, 5: answers of our own authenticate, already counted. CONNACK 1 (unacceptable protocol
  // version) is a negotiation, not an attack: devices ask for MQTT 5 and fall back to 3.1.1
  // (devices/src/mqtt-device.ts), and aedes 1.2 speaks only 3.1/3.1.1.
  if (connackCode === 1 || connackCode === 3 || connackCode === 4 || connackCode === 5) return null;
  if (code && SOCKET_CODES.has(code)) return null;
  if (ENDINGS.has(message)) return null;
  if (message === 'connect did not arrive in time') return 'connect:timeout';
  if (BAD_PUBLISH_TOPIC.test(message)) return 'publish:bad-topic';
  return 'connect:protocol-error';
}
