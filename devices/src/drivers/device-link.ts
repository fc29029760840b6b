import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import {
  channelPayloadSchemas,
  deviceCommandSchema,
  deviceConfigSchema,
  deviceTopic,
  parseJsonMessage,
  parseTopic,
  validate,
  type DeviceBundle,
  type DeviceCommand,
  type DeviceConfig,
  type DeviceResponse,
  type FrameMetadata,
  type Validated,
} from '@pourcast/protocol';
import { silentLog, type DriverLog } from './driver-log.ts';

/**
 * A hardware driver's MQTT session with its gateway: login with the bundle's id and secret, a retained
 * `online` status with an `offline` last will, config and commands in (QoS 1, validated), readings and
 * responses out (QoS 1, validated before they leave).
 */
export type CommandHandler = (command: DeviceCommand) => unknown;
export type ConfigHandler = (config: DeviceConfig) => void;

export interface DeviceLinkOptions {
  bundle: DeviceBundle;
  /**
   * MQTT version. Frames carry their metadata as MQTT 5 user properties; `auto` (the default) asks for
   * 5 and falls back to 3.1.1 when the broker refuses the version (aedes 1.x speaks only 3.1.1).
   */
  protocol?: 'auto' | 5 | 4;
  firmware?: string;
  log?: DriverLog;
  /** Passed to MQTT.js (tests use a short reconnect period). */
  reconnectPeriodMs?: number;
}

export class UnsupportedCommandError extends Error {
  override readonly name = 'UnsupportedCommandError';
}

/** CONNACK "unacceptable protocol version": 1 in 3.1.1 [MQTT-3.2.2-4 table 3.1], 132 in 5.0. */
function isVersionRefusal(error: Error & { code?: unknown }): boolean {
  return error.code === 1 || error.code === 132;
}

function connectOnce(url: string, options: IClientOptions, log: DriverLog): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, options);
    const onConnect = () => {
      client.off('error', onError);
      resolve(client);
    };
    const onError = (error: Error & { code?: unknown }) => {
      if (isVersionRefusal(error)) {
        client.off('connect', onConnect);
        client.off('error', onError);
        client.end(true);
        reject(error);
      } else {
        log('warn', `mqtt: ${error.message} (retrying)`);
      }
    };
    client.once('connect', onConnect);
    client.on('error', onError);
  });
}

export class DeviceLink {
  config: DeviceConfig | undefined;
  readonly dropped: Record<string, number> = {};
  private readonly configHandlers: ConfigHandler[] = [];
  private commandHandler: CommandHandler | undefined;

  private constructor(
    private readonly client: MqttClient,
    readonly bundle: DeviceBundle,
    readonly protocolVersion: 4 | 5,
    private readonly firmware: string | undefined,
    private readonly log: DriverLog,
  ) {
    client.on('message', (topic, payload) => void this.receive(topic, payload));
    client.on('connect', () => void this.announce());
    client.on('error', (error) => log('warn', `mqtt: ${error.message}`));
  }

  static async connect(options: DeviceLinkOptions): Promise<DeviceLink> {
    const { bundle } = options;
    const log = options.log ?? silentLog;
    const base = (protocolVersion: 4 | 5): IClientOptions => ({
      clientId: bundle.deviceId,
      username: bundle.deviceId,
      password: bundle.secret,
      protocolVersion,
      clean: true,
      reconnectPeriod: options.reconnectPeriodMs ?? 2_000,
      will: {
        topic: deviceTopic(bundle.deviceId, 'status'),
        payload: Buffer.from(JSON.stringify({ state: 'offline' })),
        qos: 1,
        retain: true,
      },
    });
    const wanted = options.protocol ?? 'auto';
    let client: MqttClient;
    let version: 4 | 5 = wanted === 4 ? 4 : 5;
    try {
      client = await connectOnce(bundle.brokerUrl, base(version), log);
    } catch (error) {
      if (wanted !== 'auto')
        throw new Error(`the broker refused MQTT ${version}: ${(error as Error).message}`);
      log('warn', 'the broker refused MQTT 5; using MQTT 3.1.1, so frames travel without metadata');
      version = 4;
      client = await connectOnce(bundle.brokerUrl, base(version), log);
    }
    const link = new DeviceLink(client, bundle, version, options.firmware, log);
    await client.subscribeAsync(
      [deviceTopic(bundle.deviceId, 'config'), deviceTopic(bundle.deviceId, 'cmd')],
      { qos: 1 },
    );
    await link.announce();
    return link;
  }

  onConfig(handler: ConfigHandler): void {
    this.configHandlers.push(handler);
    if (this.config) handler(this.config);
  }

  /** One handler per driver; what it returns is the response's `data`; what it throws, the `error`. */
  onCommand(handler: CommandHandler): void {
    this.commandHandler = handler;
  }

  /** Validates against the channel's protocol schema, then publishes at QoS 1. A bad payload is dropped. */
  async publishJson(channel: 'weight' | 'scan' | 'response', payload: unknown): Promise<Validated<unknown>> {
    const result = validate(channelPayloadSchemas[channel], payload);
    if (!result.ok) {
      this.drop(`invalid-${channel}`, `not publishing ${channel}: ${result.details.join('; ')}`);
      return result;
    }
    await this.client.publishAsync(deviceTopic(this.bundle.deviceId, channel), JSON.stringify(result.value), {
      qos: 1,
    });
    return result;
  }

  /** Raw JPEG bytes; the metadata as MQTT 5 user properties (decimal strings), when the session is MQTT 5. */
  async publishFrame(jpeg: Buffer, meta: FrameMetadata): Promise<void> {
    const properties =
      this.protocolVersion === 5
        ? {
            contentType: 'image/jpeg',
            userProperties: {
              seq: String(meta.seq),
              at: String(meta.at),
              width: String(meta.width),
              height: String(meta.height),
            },
          }
        : undefined;
    await this.client.publishAsync(deviceTopic(this.bundle.deviceId, 'frame'), jpeg, {
      qos: 1,
      ...(properties ? { properties } : {}),
    });
  }

  /** Publishes a retained `offline` status (a clean exit is not a lost connection) and disconnects. */
  async close(): Promise<void> {
    if (this.client.connected) {
      await this.client.publishAsync(
        deviceTopic(this.bundle.deviceId, 'status'),
        JSON.stringify({ state: 'offline', at: Date.now() }),
        { qos: 1, retain: true },
      );
    }
    await this.client.endAsync();
  }

  private async announce(): Promise<void> {
    const status = {
      state: 'online',
      at: Date.now(),
      model: this.bundle.model,
      ...(this.firmware ? { firmware: this.firmware } : {}),
      ...(this.config ? { configVersion: this.config.configVersion } : {}),
    };
    await this.client.publishAsync(deviceTopic(this.bundle.deviceId, 'status'), JSON.stringify(status), {
      qos: 1,
      retain: true,
    });
  }

  private drop(reason: string, message: string): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
    this.log('warn', message);
  }

  private async receive(topic: string, payload: Buffer): Promise<void> {
    const parsed = parseTopic(topic);
    if (!parsed.ok || parsed.deviceId !== this.bundle.deviceId) return;
    if (parsed.channel === 'config') await this.receiveConfig(payload.toString('utf8'));
    if (parsed.channel === 'cmd') await this.receiveCommand(payload.toString('utf8'));
  }

  private async receiveConfig(text: string): Promise<void> {
    if (text.length === 0) return; // a cleared retained config
    const result = parseJsonMessage(deviceConfigSchema, text);
    if (!result.ok) {
      this.drop('invalid-config', `config refused: ${result.details.join('; ')}`);
      await this.respond({ status: 'error', error: result.reason });
      return;
    }
    const config = result.value;
    // "Monotonic: a device ignores a config older than the one it runs."
    if (this.config && config.configVersion <= this.config.configVersion) return;
    try {
      for (const handler of this.configHandlers) handler(config);
    } catch (error) {
      await this.respond({
        status: 'error',
        error: (error as Error).message,
        configVersion: config.configVersion,
      });
      return;
    }
    this.config = config;
    this.log('info', `config ${config.configVersion} applied`);
    await this.respond({ status: 'ok', configVersion: config.configVersion });
    await this.announce();
  }

  private async receiveCommand(text: string): Promise<void> {
    const result = parseJsonMessage(deviceCommandSchema, text);
    if (!result.ok) {
      this.drop('invalid-cmd', `command refused: ${result.details.join('; ')}`);
      await this.respond({ status: 'error', error: result.reason, ...transactionOf(text) });
      return;
    }
    const command = result.value;
    const transaction = command.transaction === undefined ? {} : { transaction: command.transaction };
    try {
      if (!this.commandHandler) throw new UnsupportedCommandError(`${command.command} is not supported here`);
      const data = await this.commandHandler(command);
      await this.respond({ status: 'ok', ...(data === undefined ? {} : { data }), ...transaction });
    } catch (error) {
      await this.respond({ status: 'error', error: (error as Error).message, ...transaction });
    }
  }

  private async respond(response: DeviceResponse): Promise<void> {
    const error = response.error === undefined ? {} : { error: response.error.slice(0, 500) };
    await this.publishJson('response', { ...response, ...error });
  }
}

/** The transaction of a command that failed validation, when one can still be read from it. */
function transactionOf(text: string): { transaction?: string } {
  try {
    const value = JSON.parse(text) as { transaction?: unknown };
    return typeof value.transaction === 'string' && value.transaction.length <= 64
      ? { transaction: value.transaction }
      : {};
  } catch {
    return {};
  }
}
