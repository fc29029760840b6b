import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type PublishPacket } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import {
  DEVICE_BUNDLE_VERSION,
  generateSecret,
  type DeviceBundle,
  type DeviceKind,
} from '@pourcast/protocol';

/**
 * The devices package's one test broker: a plain aedes broker on an ephemeral port that logs devices in by id
 * and secret, as the gateway does, and watchers standing in for the gateway (drivers', simulator's tests).
 * `restart()` stops it and starts a fresh one on the same port (retained messages are lost, as in a crash).
 */
export interface TestBroker {
  url: string;
  port: number;
  /** Packets the broker accepted from clients, in order. */
  published: Array<{ clientId: string | undefined; packet: PublishPacket }>;
  device(deviceId: string, kind: DeviceKind, model: string): DeviceBundle;
  watcher(): Promise<Watcher>;
  restart(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const secrets = new Map<string, string>();
  const published: TestBroker['published'] = [];
  let broker: Aedes | undefined;
  let server: Server | undefined;
  let port = 0;

  async function start(): Promise<void> {
    broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const ok = username !== undefined && secrets.get(username) === password?.toString('utf8');
        if (ok && client.id === username) return done(null, true);
        done(Object.assign(new Error('bad username or password'), { returnCode: 4 }) as never, false);
      },
    });
    broker.on('publish', (packet, client) => {
      if (client) published.push({ clientId: client.id, packet });
    });
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  async function stop(): Promise<void> {
    const b = broker;
    const s = server;
    broker = undefined;
    server = undefined;
    if (b) await new Promise<void>((resolve) => b.close(() => resolve()));
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await start();
  const url = `mqtt://127.0.0.1:${port}`;
  const watchers: Watcher[] = [];
  return {
    url,
    port,
    published,
    device(deviceId, kind, model) {
      const secret = generateSecret();
      secrets.set(deviceId, secret);
      return { version: DEVICE_BUNDLE_VERSION, deviceId, kind, model, secret, brokerUrl: url };
    },
    async watcher() {
      const id = `watcher-${watchers.length + 1}`;
      const secret = generateSecret();
      secrets.set(id, secret);
      const client = await mqtt.connectAsync(url, {
        clientId: id,
        username: id,
        password: secret,
        reconnectPeriod: 0,
      });
      const watcher = new Watcher(client);
      watchers.push(watcher);
      return watcher;
    },
    restart: async () => {
      await stop();
      await start();
    },
    stop,
    async close() {
      for (const watcher of watchers) await watcher.close();
      await stop();
    },
  };
}

export interface Received {
  topic: string;
  /** Raw bytes (camera frames are JPEG, never text). */
  payload: Buffer;
  text: string;
  retain: boolean;
  /** MQTT 5 user properties, when the publisher sent any. */
  userProperties?: Record<string, string | string[]>;
  json(): any;
}

/** A client standing in for the gateway: records what it receives and waits for conditions (with a timeout). */
export class Watcher {
  readonly messages: Received[] = [];
  #wake: Array<() => void> = [];

  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      const userProperties = packet.properties?.userProperties;
      this.messages.push({
        topic,
        payload,
        text,
        retain: packet.retain,
        ...(userProperties ? { userProperties } : {}),
        json: () => JSON.parse(text),
      });
      for (const wake of this.#wake.splice(0)) wake();
    });
  }

  async watch(topic: string): Promise<void> {
    await this.client.subscribeAsync(topic, { qos: 1 });
  }

  /** Everything one device publishes (`pourcast/v1/<id>/+`). */
  async watchDevice(deviceId: string): Promise<void> {
    await this.watch(`pourcast/v1/${deviceId}/+`);
  }

  on(deviceId: string, channel: string): Received[] {
    return this.messages.filter((m) => m.topic === `pourcast/v1/${deviceId}/${channel}`);
  }

  /** Event-driven: re-checks on each message; rejects after timeoutMs (a hang guard, not a timing assertion). */
  async until<T>(predicate: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async send(deviceId: string, channel: 'config' | 'cmd', payload: unknown, retain = false): Promise<void> {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    await this.client.publishAsync(`pourcast/v1/${deviceId}/${channel}`, text, { qos: 1, retain });
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
