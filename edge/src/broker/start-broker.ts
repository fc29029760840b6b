import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
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
import { createAuthorizePublish, type PublishGateDeps, type PublishLimits } from './authorize-publish.ts';
import { createAuthorizeSubscribe } from './authorize-subscribe.ts';
import { ConnectionGuard, ConnectRate } from './connection-guard.ts';
import { LoginThrottle } from './login-throttle.ts';
import { PublishRateLimiter } from './publish-rate-limiter.ts';
import { clientErrorReason } from './client-errors.ts';

/** The gateway config's `mqtt` section; the security limits default as in protocol's schema when absent. */
export interface BrokerLimits extends PublishLimits {
  connectTimeoutMs?: number;
  maxConnections?: number;
  maxConnectionsPerAddress?: number;
  maxConnectsPerDevicePerMinute?: number;
  rateLimit?: { messagesPerSecond: number; bytesPerSecond: number; disconnectAfterDrops: number };
  loginLockout?: { maxFailures: number; lockoutMs: number; baseDelayMs: number };
  /** PEM files: the listener speaks MQTT over TLS. */
  tls?: { certFile: string; keyFile: string };
}

export interface BrokerOptions extends Omit<PublishGateDeps, 'onMessage' | 'limits' | 'rateLimit'> {
  host: string;
  port: number;
  log: Logger;
  limits: BrokerLimits;
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
  const { log, limits, refusals } = options;
  let messagesIn = 0;
  const rateLimit = limits.rateLimit
    ? new PublishRateLimiter({ ...limits.rateLimit, largestMessageBytes: limits.maxFrameBytes })
    : undefined;
  const aedes = await Aedes.createBroker({
    authenticate: createAuthenticate(options.registry, refusals, {
      throttle: limits.loginLockout ? new LoginThrottle(limits.loginLockout) : undefined,
      connectRate: limits.maxConnectsPerDevicePerMinute
        ? new ConnectRate(limits.maxConnectsPerDevicePerMinute)
        : undefined,
    }),
    authorizePublish: createAuthorizePublish({ ...options, rateLimit, onMessage: () => messagesIn++ }),
    authorizeSubscribe: createAuthorizeSubscribe(refusals),
    // Devices and their ids are ours: ids are up to 64 characters (protocol DEVICE_ID_PATTERN).
    maxClientsIdLength: 64,
    heartbeatInterval: 60_000,
    drainTimeout: 30_000,
    connectTimeout: limits.connectTimeoutMs ?? 30_000,
  });
  // Every error that ends a connection and was not already counted gets its counted reason here.
  const onClientError = (client: { id?: string } | null, error: Error) => {
    const reason = clientErrorReason(error);
    if (reason) refusals.refuse(reason, client?.id ?? null, error.message);
    else log.debug('client error', { deviceId: client?.id, error });
  };
  aedes.on('clientError', onClientError);
  aedes.on('connectionError', onClientError);
  aedes.on('clientDisconnect', (client) => rateLimit?.forget(client.id));
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

  const guard = new ConnectionGuard({
    maxConnections: limits.maxConnections ?? Infinity,
    maxConnectionsPerAddress: limits.maxConnectionsPerAddress ?? Infinity,
    // The largest payload plus room for the topic and properties.
    maxPacketBytes: Math.max(limits.maxFrameBytes, limits.maxPayloadBytes) + 4096,
    refusals,
  });
  const serve = (socket: Socket) => {
    const client = aedes.handle(socket);
    guard.limitPacketSize(client as never, () => client.id ?? null);
  };
  let server: Server;
  if (limits.tls) {
    server = createTlsServer(
      {
        cert: readFileSync(limits.tls.certFile),
        key: readFileSync(limits.tls.keyFile),
        handshakeTimeout: limits.connectTimeoutMs ?? 30_000,
      },
      serve,
    );
    server.on('tlsClientError', (error) => log.debug('tls handshake failed', { error }));
    // Caps are checked on the raw TCP connection, before the TLS handshake.
    server.prependListener('connection', (socket: Socket) => void guard.admit(socket));
  } else {
    server = createServer((socket) => {
      if (guard.admit(socket)) serve(socket);
    });
  }
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
