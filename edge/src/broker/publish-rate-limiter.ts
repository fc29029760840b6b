export interface PublishRateOptions {
  messagesPerSecond: number;
  bytesPerSecond: number;
  /** Largest single message that must always fit (a camera frame): the byte bucket holds at least this. */
  largestMessageBytes: number;
  /** Drops within 10 s after which the device is disconnected. */
  disconnectAfterDrops: number;
  now?: () => number;
}

export type RateVerdict = 'ok' | 'drop' | 'disconnect';

interface Bucket {
  messages: number;
  bytes: number;
  at: number;
  drops: number;
  dropWindowStart: number;
}

const DROP_WINDOW_MS = 10_000;

/**
 * Token buckets per device, one for messages and one for bytes, each holding two seconds' worth (so a short
 * burst passes). A message over either budget is dropped; a device that keeps flooding is disconnected.
 */
export class PublishRateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(private readonly options: PublishRateOptions) {}

  take(deviceId: string, bytes: number): RateVerdict {
    const { messagesPerSecond, bytesPerSecond } = this.options;
    const now = (this.options.now ?? Date.now)();
    const maxMessages = messagesPerSecond * 2;
    const maxBytes = Math.max(bytesPerSecond * 2, this.options.largestMessageBytes);
    let bucket = this.#buckets.get(deviceId);
    if (!bucket) {
      bucket = { messages: maxMessages, bytes: maxBytes, at: now, drops: 0, dropWindowStart: now };
      this.#buckets.set(deviceId, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000; // a clock going back refills nothing
    bucket.at = now;
    bucket.messages = Math.min(maxMessages, bucket.messages + elapsed * messagesPerSecond);
    bucket.bytes = Math.min(maxBytes, bucket.bytes + elapsed * bytesPerSecond);
    if (bucket.messages >= 1 && bucket.bytes >= bytes) {
      bucket.messages -= 1;
      bucket.bytes -= bytes;
      return 'ok';
    }
    if (now - bucket.dropWindowStart > DROP_WINDOW_MS || now < bucket.dropWindowStart) {
      bucket.drops = 0;
      bucket.dropWindowStart = now;
    }
    bucket.drops++;
    return bucket.drops >= this.options.disconnectAfterDrops ? 'disconnect' : 'drop';
  }

  /** The device's session ended: its budget starts full next time. */
  forget(deviceId: string): void {
    this.#buckets.delete(deviceId);
  }
}
