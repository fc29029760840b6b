import type { IClientOptions, MqttClient } from 'mqtt';
import {
  channelPayloadSchemas,
  deviceCommandSchema,
  deviceConfigSchema,
  deviceTopic,
  frameMetadataToUserProperties,
  parseJsonMessage,
  parseTopic,
  validate,
  type DeviceBundle,
  type DeviceCommand,
  type DeviceConfig,
  type DeviceResponse,
  type DeviceStatus,
  type FrameMetadata,
} from '@pourcast/protocol';
import type { DeviceDefinition } from './definitions/definition.ts';
import { Backoff, type BackoffOptions } from './link/backoff.ts';
import { silentDeviceLog, type DeviceLog } from './link/device-log.ts';
import { ConnectRefusedError, openSession } from './link/open-session.ts';
import { readTransaction } from './link/read-transaction.ts';

export type DeviceConfigHandler = (config: DeviceConfig) => void | Promise<void>;
/** What a command handler returns is the response's `data`; what it throws, the response's `error`. */
export type DeviceCommandHandler = (command: DeviceCommand) => unknown;
export type ConnectionState = 'online' | 'offline' | 'closed';

export interface MqttDeviceOptions {
  bundle: DeviceBundle;
  /** When given, commands outside `definition.commands` are answered with an error. */
  definition?: DeviceDefinition;
  /**
   * MQTT version. `auto` (default) asks for 5 and falls back to 3.1.1 when the broker refuses the version:
   * aedes 1.x accepts protocol levels 3 and 4 only (lib/handlers/connect.js).
   */
  protocol?: 'auto' | 5 | 4;
  firmware?: string;
  log?: DeviceLog;
  backoff?: BackoffOptions;
  /** How long the first connection may take, retries included, before `connect` rejects. Default 30 s. */
  connectTimeoutMs?: number;
  keepaliveS?: number;
  /** The device clock for status timestamps. Default Date.now. */
  now?: () => number;
}

/** A payload the device was about to send failed its protocol schema: a bug in the device, not the network. */
export class DeviceMessageError extends Error {
  override readonly name = 'DeviceMessageError';
  constructor(
    readonly channel: string,
    readonly details: string[],
  ) {
    super(`invalid ${channel} payload: ${details.join('; ')}`);
  }
}

export class DeviceClosedError extends Error {
  override readonly name = 'DeviceClosedError';
}

/**
 * A device's MQTT session with its gateway, the base of every simulator and driver: logs in with the
 * bundle (client id = username = device id, password = secret), leaves a retained `offline` last will,
 * announces a retained `online` status on every connection, subscribes to its own `config` and `cmd`,
 * validates what arrives and answers on `response`, publishes at QoS 1 (resolving on PUBACK, resent
 * after a reconnect) and reconnects with exponential backoff.
 */
export class MqttDevice {
  config: DeviceConfig | undefined;
  /** Messages refused, by reason (invalid-config, invalid-cmd, stale-config, unsupported-cmd). */
  readonly refused: Record<string, number> = {};
  readonly #options: MqttDeviceOptions;
  readonly #log: DeviceLog;
  readonly #now: () => number;
  readonly #backoff: Backoff;
  readonly #configHandlers: DeviceConfigHandler[] = [];
  readonly #stateListeners: Array<(state: ConnectionState) => void> = [];
  #commandHandler: DeviceCommandHandler | undefined;
  #client: MqttClient | undefined;
  #version: 4 | 5;
  #state: ConnectionState = 'offline';
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #waiters: Array<{ resolve: (client: MqttClient) => void; reject: (error: Error) => void }> = [];
  #inbox: Promise<void> = Promise.resolve();

  private constructor(options: MqttDeviceOptions) {
    this.#options = options;
    this.#log = options.log ?? silentDeviceLog;
    this.#now = options.now ?? Date.now;
    this.#backoff = new Backoff(options.backoff);
    this.#version = options.protocol === 4 ? 4 : 5;
  }

  /** Connects (retrying network failures with backoff); rejects on refused credentials or after connectTimeoutMs. */
  static async connect(options: MqttDeviceOptions): Promise<MqttDevice> {
    const device = new MqttDevice(options);
    const deadline = Date.now() + (options.connectTimeoutMs ?? 30_000);
    for (;;) {
      try {
        await device.#sessionUp(await device.#open());
        return device;
      } catch (error) {
        const refused =
          error instanceof ConnectRefusedError && (error.credentialsRefused || error.versionRefused);
        const delay = device.#backoff.next();
        if (refused || Date.now() + delay > deadline) {
          device.#state = 'closed';
          throw error;
        }
        device.#log('warn', `connect failed: ${(error as Error).message}; retrying in ${delay} ms`);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  get deviceId(): string {
    return this.#options.bundle.deviceId;
  }

  get model(): string {
    return this.#options.bundle.model;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** 5, or 4 (3.1.1) after falling back; frames carry metadata only on 5. */
  get protocolVersion(): 4 | 5 {
    return this.#version;
  }

  /**
   * Adds a config handler. A config the gateway had waiting (retained) is applied while `connect()` runs,
   * before a driver can attach its handler: a handler attached after a config was applied is given that
   * config at once, so the device runs what it acknowledged.
   */
  onConfig(handler: DeviceConfigHandler): void {
    this.#configHandlers.push(handler);
    const running = this.config;
    if (running)
      void Promise.resolve()
        .then(() => handler(running))
        .catch((error: unknown) =>
          this.#log(
            'warn',
            `config ${running.configVersion} not taken by a late handler: ${(error as Error).message}`,
          ),
        );
  }

  onCommand(handler: DeviceCommandHandler): void {
    this.#commandHandler = handler;
  }

  onStateChange(listener: (state: ConnectionState) => void): void {
    this.#stateListeners.push(listener);
  }

  /** Validates against the channel's protocol schema and publishes at QoS 1; resolves on PUBACK. */
  async publish(channel: 'weight' | 'scan' | 'response', payload: unknown): Promise<void> {
    const result = validate(channelPayloadSchemas[channel], payload);
    if (!result.ok) throw new DeviceMessageError(channel, result.details);
    await this.#deliver(deviceTopic(this.deviceId, channel), JSON.stringify(result.value), { qos: 1 });
  }

  /** Raw JPEG bytes on `frame`; metadata as MQTT 5 user properties when the session is MQTT 5. */
  async publishFrame(jpeg: Buffer, meta: FrameMetadata): Promise<void> {
    const properties =
      this.#version === 5
        ? { properties: { contentType: 'image/jpeg', userProperties: frameMetadataToUserProperties(meta) } }
        : {};
    await this.#deliver(deviceTopic(this.deviceId, 'frame'), jpeg, { qos: 1, ...properties });
  }

  /** A clean shutdown: a retained `offline` status (a clean exit is not a lost connection), then DISCONNECT. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const client = this.#shutDown();
    if (!client) return;
    if (client.connected) {
      try {
        await client.publishAsync(
          deviceTopic(this.deviceId, 'status'),
          JSON.stringify(this.#status('offline')),
          {
            qos: 1,
            retain: true,
          },
        );
      } catch (error) {
        this.#log('warn', `offline status not sent: ${(error as Error).message}`);
      }
      await client.endAsync();
    } else client.end(true);
  }

  /** Power lost: the socket drops without DISCONNECT, so the broker publishes the last will; no reconnect. */
  powerCut(): void {
    this.#shutDown()?.end(true);
  }

  #shutDown(): MqttClient | undefined {
    this.#setState('closed');
    clearTimeout(this.#reconnectTimer);
    for (const waiter of this.#waiters.splice(0))
      waiter.reject(new DeviceClosedError(`${this.deviceId} is closed`));
    const client = this.#client;
    this.#client = undefined;
    return client;
  }

  #clientOptions(): IClientOptions {
    const { bundle } = this.#options;
    return {
      clientId: bundle.deviceId,
      username: bundle.deviceId,
      password: bundle.secret,
      protocolVersion: this.#version,
      clean: true,
      keepalive: this.#options.keepaliveS ?? 30,
      connectTimeout: 10_000,
      will: {
        topic: deviceTopic(bundle.deviceId, 'status'),
        payload: Buffer.from(JSON.stringify({ state: 'offline' } satisfies DeviceStatus)),
        qos: 1,
        retain: true,
      },
    };
  }

  async #open(): Promise<MqttClient> {
    try {
      return await openSession(this.#options.bundle.brokerUrl, this.#clientOptions());
    } catch (error) {
      const wanted = this.#options.protocol ?? 'auto';
      if (!(
        error instanceof ConnectRefusedError &&
        error.versionRefused &&
        wanted === 'auto' &&
        this.#version === 5
      ))
        throw error;
      this.#log(
        'info',
        'the broker speaks MQTT 3.1.1 only; using it (frames travel without MQTT 5 properties)',
      );
      this.#version = 4;
      return await openSession(this.#options.bundle.brokerUrl, this.#clientOptions());
    }
  }

  async #sessionUp(client: MqttClient): Promise<void> {
    if (this.#state === 'closed') {
      client.end(true);
      throw new DeviceClosedError(`${this.deviceId} is closed`);
    }
    this.#client = client;
    client.on('error', (error) => this.#log('warn', `mqtt: ${error.message}`));
    client.on('message', (topic, payload) => this.#receive(topic, payload));
    client.once('close', () => this.#sessionDown(client));
    await client.subscribeAsync([deviceTopic(this.deviceId, 'config'), deviceTopic(this.deviceId, 'cmd')], {
      qos: 1,
    });
    await client.publishAsync(deviceTopic(this.deviceId, 'status'), JSON.stringify(this.#status('online')), {
      qos: 1,
      retain: true,
    });
    this.#backoff.reset();
    this.#setState('online');
    for (const waiter of this.#waiters.splice(0)) waiter.resolve(client);
  }

  #sessionDown(client: MqttClient): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    // Forced end with reconnectPeriod 0 flushes pending QoS 1 callbacks with an error, so #deliver resends.
    client.end(true);
    if (this.#state === 'closed') return;
    this.#setState('offline');
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    const delay = this.#backoff.next();
    this.#log('warn', `connection lost; reconnecting in ${delay} ms (attempt ${this.#backoff.attempt})`);
    this.#reconnectTimer = setTimeout(() => {
      this.#open()
        .then((client) => this.#sessionUp(client))
        .catch((error: unknown) => {
          if (this.#state === 'closed') return;
          this.#log('warn', `reconnect failed: ${(error as Error).message}`);
          if (this.#client === undefined) this.#scheduleReconnect();
        });
    }, delay);
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #online(): Promise<MqttClient> {
    if (this.#state === 'closed') return Promise.reject(new DeviceClosedError(`${this.deviceId} is closed`));
    if (this.#client?.connected && this.#state === 'online') return Promise.resolve(this.#client);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** At least once: a publish lost with its session is sent again on the next one. */
  async #deliver(
    topic: string,
    payload: string | Buffer,
    options: Parameters<MqttClient['publishAsync']>[2],
  ) {
    for (;;) {
      const client = await this.#online();
      try {
        await client.publishAsync(topic, payload, options);
        return;
      } catch (error) {
        if (client.connected && !client.disconnecting) throw error;
      }
    }
  }

  #status(state: DeviceStatus['state']): DeviceStatus {
    return {
      state,
      at: this.#now(),
      model: this.model,
      ...(this.#options.firmware ? { firmware: this.#options.firmware } : {}),
      ...(this.config ? { configVersion: this.config.configVersion } : {}),
    };
  }

  #receive(topic: string, payload: Buffer): void {
    const parsed = parseTopic(topic);
    if (!parsed.ok || parsed.deviceId !== this.deviceId) return;
    const text = payload.toString('utf8');
    const handle =
      parsed.channel === 'config' ? () => this.#receiveConfig(text) : () => this.#receiveCommand(text);
    // One message at a time, in arrival order; a failing handler never stops the next.
    this.#inbox = this.#inbox
      .then(handle)
      .catch((error: unknown) =>
        this.#log('error', `handling ${parsed.channel}: ${(error as Error).message}`),
      );
  }

  #refuse(reason: string, message: string): void {
    this.refused[reason] = (this.refused[reason] ?? 0) + 1;
    this.#log('warn', message);
  }

  async #receiveConfig(text: string): Promise<void> {
    if (text.length === 0) return; // a retained config being cleared
    const result = parseJsonMessage(deviceConfigSchema, text);
    if (!result.ok) {
      this.#refuse('invalid-config', `config refused: ${result.details.join('; ')}`);
      return this.#respond({ status: 'error', error: result.details.join('\n') });
    }
    const config = result.value;
    const running = this.config?.configVersion;
    // "Monotonic: a device ignores a config older than the one it runs" (protocol deviceConfigSchema).
    if (running !== undefined && config.configVersion < running) {
      this.#refuse('stale-config', `config ${config.configVersion} ignored: running ${running}`);
      return this.#respond({
        status: 'error',
        error: `configVersion ${config.configVersion} is older than the running ${running}`,
        configVersion: config.configVersion,
      });
    }
    if (running === config.configVersion) return this.#respond({ status: 'ok', configVersion: running });
    try {
      for (const handler of this.#configHandlers) await handler(config);
    } catch (error) {
      return this.#respond({
        status: 'error',
        error: (error as Error).message,
        configVersion: config.configVersion,
      });
    }
    this.config = config;
    this.#log('info', `config ${config.configVersion} applied`);
    await this.#respond({ status: 'ok', configVersion: config.configVersion });
  }

  async #receiveCommand(text: string): Promise<void> {
    const result = parseJsonMessage(deviceCommandSchema, text);
    if (!result.ok) {
      this.#refuse('invalid-cmd', `command refused: ${result.details.join('; ')}`);
      return this.#respond({ status: 'error', error: result.details.join('\n'), ...readTransaction(text) });
    }
    const command = result.value;
    const transaction = command.transaction === undefined ? {} : { transaction: command.transaction };
    const supported = this.#options.definition?.commands.includes(command.command) ?? true;
    if (!supported || !this.#commandHandler) {
      this.#refuse('unsupported-cmd', `command ${command.command} not supported`);
      return this.#respond({
        status: 'error',
        error: `${command.command} is not supported by ${this.model}`,
        ...transaction,
      });
    }
    try {
      const data = await this.#commandHandler(command);
      await this.#respond({ status: 'ok', ...(data === undefined ? {} : { data }), ...transaction });
    } catch (error) {
      await this.#respond({ status: 'error', error: (error as Error).message, ...transaction });
    }
  }

  async #respond(response: DeviceResponse): Promise<void> {
    const error = response.error === undefined ? {} : { error: response.error.slice(0, 500) };
    await this.publish('response', { ...response, ...error });
  }
}
