import type { Scan, ScanMode } from '@pourcast/protocol';
import type { ScannerDefinition } from '../definitions/definition.ts';
import type { MqttDevice } from '../mqtt-device.ts';
import type { SimClock } from './clock.ts';

export type ScanSink = (scan: Scan) => Promise<void>;
export type WasteReason = NonNullable<Scan['reason']>;

export interface ScannerSimulatorOptions {
  deviceId: string;
  definition: ScannerDefinition;
  clock: SimClock;
  send: ScanSink;
}

/** A barcode scanner: each scan is one `scan` message with device-side `seq` and `at`. */
export class ScannerSimulator {
  readonly deviceId: string;
  /** The mode the scanner is in (set by config `scanMode` or the `set-scan-mode` command). */
  mode: ScanMode;
  scansSent = 0;
  #seq = 0;
  readonly #options: ScannerSimulatorOptions;

  constructor(options: ScannerSimulatorOptions) {
    this.#options = options;
    this.deviceId = options.deviceId;
    this.mode = options.definition.scanner.defaultMode;
  }

  /** Scans a barcode; `mode` defaults to the scanner's current mode. Resolves once the gateway has it (PUBACK). */
  async scan(barcode: string, mode: ScanMode = this.mode, quantity = 1, reason?: WasteReason): Promise<Scan> {
    const scan: Scan = {
      seq: this.#seq++,
      at: this.#options.clock.now(),
      barcode,
      mode,
      quantity,
      ...(reason ? { reason } : {}),
    };
    await this.#options.send(scan);
    this.scansSent++;
    return scan;
  }
}

/** Wires a scanner simulator to its MQTT device: scanMode config and set-scan-mode commands in. */
export function attachScannerToDevice(scanner: ScannerSimulator, device: MqttDevice): void {
  device.onConfig((config) => {
    if (config.scanMode) scanner.mode = config.scanMode;
  });
  device.onCommand((command) => {
    if (command.command !== 'set-scan-mode')
      throw new Error(`${command.command} is not supported by a scanner`);
    scanner.mode = command.mode;
    return { mode: scanner.mode };
  });
}
