/** Raw MQTT over a socket, for clients that break the rules on purpose (fault and fuzz tests). */
import { connect as netConnect, type Socket } from 'node:net';
import { generate, parser, type Packet } from 'mqtt-packet';

export interface RawClient {
  socket: Socket;
  /** Resolves when the gateway closes the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
  send(packet: Packet | Buffer): void;
  /** Resolves with the next packet the broker sends, or null when the connection closes first. */
  next(cmd?: Packet['cmd']): Promise<Packet | null>;
}

export function rawConnect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1');
    const packets: Packet[] = [];
    const waiters: Array<() => void> = [];
    const read = parser();
    read.on('packet', (packet) => {
      packets.push(packet);
      waiters.splice(0).forEach((wake) => wake());
    });
    read.on('error', () => socket.destroy());
    socket.on('data', (chunk) => read.parse(chunk));
    socket.on('error', () => {});
    let isClosed = false;
    const closed = new Promise<void>((done) =>
      socket.once('close', () => {
        isClosed = true;
        waiters.splice(0).forEach((wake) => wake());
        done();
      }),
    );
    socket.once('connect', () =>
      resolve({
        socket,
        closed,
        isClosed: () => isClosed,
        send: (packet) => {
          if (!socket.destroyed) socket.write(Buffer.isBuffer(packet) ? packet : generate(packet));
        },
        next: async (cmd) => {
          for (;;) {
            const index = packets.findIndex((p) => !cmd || p.cmd === cmd);
            if (index >= 0) return packets.splice(index, 1)[0]!;
            if (isClosed) return null;
            await new Promise<void>((wake) => waiters.push(wake));
          }
        },
      }),
    );
    socket.once('error', reject);
  });
}

export function connectPacket(clientId: string, password: string): Packet {
  return {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId,
    keepalive: 30,
    username: clientId,
    password: Buffer.from(password),
  };
}
