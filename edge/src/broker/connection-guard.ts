import type { Socket } from 'node:net';
import type { RefusalCounter } from './refusals.ts';

export interface ConnectionGuardOptions {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Largest MQTT packet (remaining length) accepted; anything larger is cut off before it is buffered. */
  maxPacketBytes: number;
  refusals: RefusalCounter;
}

/** What the guard reads of aedes' Client: its mqtt-packet parser (lib/client.js `this._parser`). */
interface ParsingClient {
  _parser?: { parse(buf: Buffer): number; packet?: { length?: number } };
  conn?: { destroy(error?: Error): void };
}

/**
 * Caps on sockets, checked when a TCP (or TLS) connection opens, before any MQTT byte is read: all
 * connections together, and per source address. Refused sockets are destroyed at once.
 */
export class ConnectionGuard {
  #open = 0;
  readonly #byAddress = new Map<string, number>();

  constructor(private readonly options: ConnectionGuardOptions) {}

  get open(): number {
    return this.#open;
  }

  /** True when the socket may go on to MQTT; otherwise it is already destroyed and counted. */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? 'unknown';
    const fromAddress = this.#byAddress.get(address) ?? 0;
    if (this.#open >= this.options.maxConnections) {
      this.options.refusals.refuse(
        'connect:too-many-connections',
        null,
        `${this.#open} open, from ${address}`,
      );
      socket.destroy();
      return false;
    }
    if (fromAddress >= this.options.maxConnectionsPerAddress) {
      this.options.refusals.refuse(
        'connect:too-many-from-address',
        null,
        `${fromAddress} open from ${address}`,
      );
      socket.destroy();
      return false;
    }
    this.#open++;
    this.#byAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      this.#open--;
      const left = (this.#byAddress.get(address) ?? 1) - 1;
      if (left <= 0) this.#byAddress.delete(address);
      else this.#byAddress.set(address, left);
    });
    return true;
  }

  /**
   * mqtt-packet buffers a whole packet before it emits it, whatever length the fixed header announces
   * (up to 256 MB [MQTT-2.2.3]). This wraps the client's parser so that as soon as a header announcing more
   * than the limit has been read, the connection is closed and nothing more is buffered.
   */
  limitPacketSize(client: ParsingClient, deviceId: () => string | null): void {
    const parser = client._parser;
    if (!parser || !client.conn) return;
    const parse = parser.parse.bind(parser);
    const conn = client.conn;
    parser.parse = (buf: Buffer) => {
      const left = parse(buf);
      const announced = parser.packet?.length ?? -1;
      if (announced > this.options.maxPacketBytes) {
        this.options.refusals.refuse(
          'connect:oversize-packet',
          deviceId(),
          `packet of ${announced} bytes > ${this.options.maxPacketBytes}`,
        );
        conn.destroy();
        return 0;
      }
      return left;
    };
  }
}

/** CONNECTs per device id in the last minute: a reconnect storm, or two units sharing one id. */
export class ConnectRate {
  readonly #recent = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt; false when this one is over the limit. */
  attempt(deviceId: string): boolean {
    const now = this.now();
    const times = (this.#recent.get(deviceId) ?? []).filter((t) => now - t < 60_000 && t <= now);
    times.push(now);
    this.#recent.set(deviceId, times);
    if (this.#recent.size > 10_000) this.#recent.delete(this.#recent.keys().next().value!);
    return times.length <= this.perMinute;
  }
}
