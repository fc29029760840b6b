import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import {
  DEVICE_BUNDLE_VERSION,
  generateSecret,
  type DeviceBundle,
  type DeviceKind,
} from '@pourcast/protocol';

/**
 * A real aedes broker on an ephemeral port, logging devices in by id and secret as the gateway does,
 * and a "gateway" client that records what devices publish.
 */
export async function startTestBroker() {
  const secrets = new Map<string, string>();
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const ok = username !== undefined && secrets.get(username) === password?.toString('utf8');
      if (ok && client.id === username) return done(null, true);
      const error = Object.assign(new Error('bad username or password'), { returnCode: 4 });
      done(error as never, false);
    },
  });
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    broker,
    /** Provisions a device and returns its bundle. */
    device(deviceId: string, kind: DeviceKind, model: string): DeviceBundle {
      const secret = generateSecret();
      secrets.set(deviceId, secret);
      return { version: DEVICE_BUNDLE_VERSION, deviceId, kind, model, secret, brokerUrl: url };
    },
    /** A trusted client standing in for the gateway. */
    async gateway(): Promise<GatewayProbe> {
      const secret = generateSecret();
      secrets.set('gateway-probe', secret);
      const client = await mqtt.connectAsync(url, {
        clientId: 'gateway-probe',
        username: 'gateway-probe',
        password: secret,
        reconnectPeriod: 0,
      });
      return new GatewayProbe(client);
    },
    async close(): Promise<void> {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  userProperties?: Record<string, string | string[]>;
  json(): unknown;
}

export class GatewayProbe {
  readonly messages: ReceivedMessage[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const userProperties = packet.properties?.userProperties;
      this.messages.push({
        topic,
        payload,
        retain: packet.retain,
        ...(userProperties ? { userProperties } : {}),
        json: () => JSON.parse(payload.toString('utf8')),
      });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async watch(deviceId: string): Promise<void> {
    await this.client.subscribeAsync(`pourcast/v1/${deviceId}/+`, { qos: 1 });
  }

  on(deviceId: string, channel: string): ReceivedMessage[] {
    return this.messages.filter((m) => m.topic === `pourcast/v1/${deviceId}/${channel}`);
  }

  /** Resolves when `predicate` holds over what has arrived; rejects after `timeoutMs` (a hang, not a timing test). */
  async until<T>(predicate: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
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
    await this.client.endAsync();
  }
}
