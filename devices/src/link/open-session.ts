import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** A refused CONNECT: the broker answered with a CONNACK return/reason code. */
export class ConnectRefusedError extends Error {
  override readonly name = 'ConnectRefusedError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }

  /** "Unacceptable protocol version": 1 in 3.1.1 [MQTT-3.2.2-4, table 3.1], 0x84 = 132 in 5.0 [§3.2.2.2]. */
  get versionRefused(): boolean {
    return this.code === 1 || this.code === 132;
  }

  /** Bad credentials or not authorised: 4, 5 in 3.1.1; 134, 135 in 5.0. Retrying will not help. */
  get credentialsRefused(): boolean {
    return [4, 5, 134, 135].includes(this.code);
  }
}

/**
 * One MQTT session: resolves once CONNACK accepts, rejects when the broker refuses or the connection
 * fails first. mqtt.js's own reconnect is off (reconnectPeriod 0): the device reconnects with backoff itself.
 */
export function openSession(url: string, options: IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, { ...options, reconnectPeriod: 0 });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      client.off('connect', onConnect);
      client.off('close', onClose);
      // The error listener stays: an 'error' with no listener would throw; the device adds its own too.
      if (!error) return resolve(client);
      client.end(true);
      reject(error);
    };
    const onConnect = () => settle();
    const onClose = () => settle(new Error('connection closed before CONNACK'));
    client.on('connect', onConnect);
    client.on('close', onClose);
    client.on('error', (error: Error & { code?: unknown }) =>
      settle(typeof error.code === 'number' ? new ConnectRefusedError(error.message, error.code) : error),
    );
  });
}
