import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import {
  deviceCommandSchema,
  deviceConfigSchema,
  deviceResponseSchema,
  deviceTopic,
  weightReadingSchema,
  parseJsonMessage,
  parseTopic,
  validate,
  type DeviceCommand,
  type DeviceConfig,
  type DeviceResponse,
  type WeightReading,
} from '@pourcast/protocol';
import type { Logger } from '../log.ts';
import { createAuthenticate } from './authenticate.ts';
import { createAuthorizePublish, type PublishGateDeps } from './authorize-publish.ts';
import { createAuthorizeSubscribe } from './authorize-subscribe.ts';

export interface BrokerOptions extends Omit<PublishGateDeps, 'onMessage'> {
  host: string;
  port: number;
  log: Logger;
}

export interface RunningBroker {
  port: number;
  aedes: Aedes;
  clients(): number;
  messagesIn(): number;
  /** Sends a config (retained) or a command to one device, validated against its schema first. */
  publishToDevice(deviceId: string, channel: 'config', payload: DeviceConfig): Promise<void>;
  publishToDevice(deviceId: string, channel: 'cmd', payload: DeviceCommand): Promise<void>;
  /** Listens to what devices answer on `response` (already authorised and validated); returns an unsubscribe. */
  onResponse(listener: (deviceId: string, response: DeviceResponse) => void): () => void;
  /** Listens to accepted weight readings as they arrive (health watchers; the pipelines read the inbox). */
  onWeight(listener: (deviceId: string, reading: WeightReading) => void): () => void;
  /** Ends a device's session now (revocation); true when it was connected. */
  disconnect(deviceId: string): boolean;
  close(): Promise<void>;
}

/** aedes on a plain TCP server, with the gateway's authentication and ACL. */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const { log } = options;
  let messagesIn = 0;
  const aedes = await Aedes.createBroker({
    authenticate: createAuthenticate(options.registry, options.refusals),
    authorizePublish: createAuthorizePublish({ ...options, onMessage: () => messagesIn++ }),
    authorizeSubscribe: createAuthorizeSubscribe(options.refusals),
    // Devices and their ids are ours: ids are up to 64 characters (protocol DEVICE_ID_PATTERN).
    maxClientsIdLength: 64,
    heartbeatInterval: 60_000,
    drainTimeout: 30_000,
  });
  aedes.on('clientError', (client, error) => log.debug('client error', { deviceId: client.id, error }));
  aedes.on('connectionError', (_client, error) => log.debug('connection error', { error }));
  aedes.on('client', (client) => log.info('device connected', { deviceId: client.id }));
  aedes.on('clientDisconnect', (client) => log.info('device disconnected', { deviceId: client.id }));

  const responseListeners = new Set<(deviceId: string, response: DeviceResponse) => void>();
  const weightListeners = new Set<(deviceId: string, reading: WeightReading) => void>();
  // 'publish' fires after authorizePublish accepted the message, so the topic is the client's own.
  aedes.on('publish', (packet, client) => {
    if (!client || (responseListeners.size === 0 && weightListeners.size === 0)) return;
    const topic = parseTopic(packet.topic);
    if (!topic.ok || topic.deviceId !== client.id) return;
    if (topic.channel === 'response' && responseListeners.size > 0) {
      const response = parseJsonMessage(deviceResponseSchema, packet.payload.toString());
      if (response.ok) for (const listener of responseListeners) listener(client.id, response.value);
    } else if (topic.channel === 'weight' && weightListeners.size > 0) {
      const reading = parseJsonMessage(weightReadingSchema, packet.payload.toString());
      if (reading.ok) for (const listener of weightListeners) listener(client.id, reading.value);
    }
  });

  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log.error('mqtt server error', { error }));

  const publishToDevice = (deviceId: string, channel: 'config' | 'cmd', payload: unknown): Promise<void> => {
    const checked = validate(channel === 'config' ? deviceConfigSchema : deviceCommandSchema, payload);
    if (!checked.ok) return Promise.reject(new TypeError(`invalid ${channel}: ${checked.reason}`));
    return new Promise((resolve, reject) =>
      aedes.publish(
        {
          cmd: 'publish',
          topic: deviceTopic(deviceId, channel),
          payload: Buffer.from(JSON.stringify(checked.value)),
          qos: 1,
          retain: channel === 'config',
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  };

  return {
    port: (server.address() as AddressInfo).port,
    aedes,
    clients: () => aedes.connectedClients,
    messagesIn: () => messagesIn,
    publishToDevice: publishToDevice as RunningBroker['publishToDevice'],
    onResponse: (listener) => {
      responseListeners.add(listener);
      return () => responseListeners.delete(listener);
    },
    onWeight: (listener) => {
      weightListeners.add(listener);
      return () => weightListeners.delete(listener);
    },
    disconnect: (deviceId) => {
      // aedes keeps live sessions by client id (aedes.js `this.clients`), untyped in its .d.ts.
      const sessions = (aedes as unknown as { clients: Record<string, { close(): void } | undefined> })
        .clients;
      const client = sessions[deviceId];
      if (!client) return false;
      log.info('device disconnected by the gateway', { deviceId });
      client.close();
      return true;
    },
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
