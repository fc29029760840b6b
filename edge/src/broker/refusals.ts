import type { GatewayBus } from '../bus.ts';
import type { Logger } from '../log.ts';

/**
 * Reasons a connection, publish or subscription is refused. Stable strings: they are the keys of
 * `refusedByReason` in the health answer.
 */
export const REFUSAL_REASONS = [
  'auth:unknown-device',
  'auth:revoked',
  'auth:bad-secret',
  'auth:client-id-mismatch',
  'publish:bad-topic',
  'publish:foreign-topic',
  'publish:forbidden-channel',
  'publish:oversize',
  'publish:malformed-json',
  'publish:invalid-payload',
  'publish:not-jpeg',
  'publish:invalid-frame-meta',
  'publish:storage-failed',
  /** A QoS 1 replay of a reading already stored: acknowledged, not stored again. */
  'publish:duplicate',
  'subscribe:forbidden-topic',
  /** Over the per-device message or byte budget: dropped (a QoS 1 message is acknowledged, not stored). */
  'publish:rate-limited',
  /** Kept flooding after drops: disconnected. */
  'publish:rate-limit-abuse',
  'auth:locked-out',
  /** More CONNECTs under one device id per minute than allowed. */
  'auth:too-many-connects',
  'connect:too-many-connections',
  'connect:too-many-from-address',
  /** No CONNECT within the connect timeout (slow loris). */
  'connect:timeout',
  /** A packet header announcing more than the largest allowed frame. */
  'connect:oversize-packet',
  /** Bytes that are not MQTT, or MQTT that breaks the spec (mqtt-packet or aedes refused it). */
  'connect:protocol-error',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** Counts refusals per reason, logs each one with its device and detail, and announces it on the bus. */
export class RefusalCounter {
  readonly #counts = new Map<RefusalReason, number>();
  #total = 0;

  constructor(
    private readonly log: Logger,
    private readonly bus: GatewayBus,
  ) {}

  refuse(reason: RefusalReason, deviceId: string | null, detail: string): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    this.#total++;
    this.log.warn('refused', { deviceId, reason, detail });
    this.bus.emit('refused', { deviceId, reason, detail });
  }

  get total(): number {
    return this.#total;
  }

  byReason(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }
}
