import { randomUUID } from 'node:crypto';
import type { DeviceCommand, DeviceResponse } from '@pourcast/protocol';
import type { RunningBroker } from '../broker/start-broker.ts';
import { AppError } from '../display/app-error.ts';

type Broker = Pick<RunningBroker, 'publishToDevice' | 'onResponse'>;
type CommandWithoutTransaction = DeviceCommand extends infer C
  ? C extends DeviceCommand
    ? Omit<C, 'transaction'>
    : never
  : never;

/**
 * Request/response over MQTT: a command goes out on the device's `cmd` topic with a transaction id, and
 * the device's `response` carrying the same transaction settles it (STYLE.md "One error shape").
 */
export class DeviceCommands {
  readonly #waiting = new Map<string, { deviceId: string; settle: (response: DeviceResponse) => void }>();
  readonly #off: () => void;

  constructor(
    private readonly broker: Broker,
    private readonly timeoutMs = 15_000,
  ) {
    this.#off = broker.onResponse((deviceId, response) => {
      const waiter = response.transaction ? this.#waiting.get(response.transaction) : undefined;
      if (waiter && waiter.deviceId === deviceId) waiter.settle(response);
    });
  }

  /** Resolves with the response's data; an error response or no answer in time is an AppError. */
  async send(deviceId: string, command: CommandWithoutTransaction): Promise<unknown> {
    const transaction = randomUUID();
    const answered = new Promise<DeviceResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(transaction);
        reject(
          new AppError(
            504,
            'device_timeout',
            `${deviceId} did not answer ${command.command} within ${this.timeoutMs / 1000} s: is it online?`,
          ),
        );
      }, this.timeoutMs);
      this.#waiting.set(transaction, {
        deviceId,
        settle: (response) => {
          clearTimeout(timer);
          this.#waiting.delete(transaction);
          resolve(response);
        },
      });
    });
    await this.broker.publishToDevice(deviceId, 'cmd', { ...command, transaction } as DeviceCommand);
    const response = await answered;
    if (response.status === 'error')
      throw new AppError(
        422,
        'device_error',
        `${deviceId} refused ${command.command}: ${response.error ?? 'no reason given'}`,
      );
    return response.data;
  }

  close(): void {
    this.#off();
  }
}
