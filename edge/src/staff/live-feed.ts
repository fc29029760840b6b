import type { StaffLiveName, StaffLivePayload } from '@pourcast/protocol';

export interface LiveFeedOptions {
  /** Comment lines that keep proxies and the tablet's connection alive (default 15 s). */
  heartbeatMs?: number;
  /** Messages a client may have waiting before it is told to resync and its queue is dropped (default 200). */
  maxQueue?: number;
}

/** One SSE message, ready to write. */
export function sseMessage<K extends StaffLiveName>(
  name: K,
  payload: StaffLivePayload<K>,
  id?: number,
): string {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return `${idLine}event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/**
 * One connected display. Messages wait in a bounded queue that the response stream pulls from as the socket
 * drains (the node server honours backpressure), so a slow tablet holds at most `maxQueue` messages: past
 * that its queue is dropped and it gets a single `resync`, after which it reloads the snapshot.
 */
export class LiveClient {
  readonly #queue: string[] = [];
  #wake: (() => void) | null = null;
  #closed = false;
  #overflowed = false;
  dropped = 0;

  constructor(
    private readonly maxQueue: number,
    private readonly onClose: (client: LiveClient) => void,
  ) {}

  get queued(): number {
    return this.#queue.length;
  }

  push(message: string): void {
    if (this.#closed) return;
    if (this.#overflowed) {
      this.dropped++;
      return;
    }
    if (this.#queue.length >= this.maxQueue) {
      this.dropped += this.#queue.length + 1;
      this.#queue.length = 0;
      this.#overflowed = true;
      this.#queue.push(sseMessage('resync', { reason: 'display fell behind' }));
    } else this.#queue.push(message);
    this.#wake?.();
  }

  /** The response body: pulls one queued message at a time. */
  stream(first: string): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => controller.enqueue(encoder.encode(first)),
        pull: async (controller) => {
          while (this.#queue.length === 0 && !this.#closed)
            await new Promise<void>((resolve) => (this.#wake = resolve));
          this.#wake = null;
          if (this.#queue.length === 0) {
            controller.close();
            return;
          }
          const message = this.#queue.shift()!;
          controller.enqueue(encoder.encode(message));
          // After a resync the display reconnects; this stream has said all it can.
          if (this.#overflowed && this.#queue.length === 0) this.close();
        },
        cancel: () => this.close(),
      },
      { highWaterMark: 1 },
    );
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    this.onClose(this);
  }
}

/** Fans messages out to every connected display and keeps them alive with heartbeats. */
export class LiveFeed {
  readonly #clients = new Set<LiveClient>();
  readonly #maxQueue: number;
  readonly #heartbeat: ReturnType<typeof setInterval>;

  constructor(options: LiveFeedOptions = {}) {
    this.#maxQueue = options.maxQueue ?? 200;
    this.#heartbeat = setInterval(() => this.#send(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref?.();
  }

  get size(): number {
    return this.#clients.size;
  }

  connect(): LiveClient {
    const client = new LiveClient(this.#maxQueue, (closed) => this.#clients.delete(closed));
    this.#clients.add(client);
    return client;
  }

  publish<K extends StaffLiveName>(name: K, payload: StaffLivePayload<K>, id?: number): void {
    if (this.#clients.size > 0) this.#send(sseMessage(name, payload, id));
  }

  #send(message: string): void {
    for (const client of this.#clients) client.push(message);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const client of [...this.#clients]) client.close();
  }
}
