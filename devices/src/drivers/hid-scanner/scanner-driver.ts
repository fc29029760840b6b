import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { DeviceCommand, DeviceConfig, ScanMode } from '@pourcast/protocol';
import { silentDeviceLog, type DeviceLog } from '../../link/device-log.ts';
import { DeviceMessageError, type MqttDevice } from '../../mqtt-device.ts';
import { noFeedback, type ScanFeedback } from '../gpio/signal-patterns.ts';
import { BarcodeFraming, type BarcodeFramingOptions, type FramedBarcode } from './barcode-framing.ts';
import { BootReportDecoder, keyToChar } from './boot-report-decoder.ts';
import type { HidReportSource } from './hid-source.ts';
import { KEYBOARD_LAYOUTS, type LayoutId } from './keyboard-layouts.ts';

export interface ScannerDriverOptions {
  /** The MQTT session (devices/src/mqtt-device.ts). */
  device: Pick<MqttDevice, 'publish' | 'onConfig' | 'onCommand'>;
  framing?: BarcodeFramingOptions;
  /** Until the config or a `set-scan-mode` command says otherwise. Default `count`. */
  mode?: ScanMode;
  feedback?: ScanFeedback;
  log?: DeviceLog;
}

/**
 * A barcode scanner: key presses (from HID reports, or a terminal's text) → framed barcodes → `scan`
 * messages in the current mode (count, receive, waste).
 */
export class ScannerDriver {
  readonly stats = { published: 0, rejected: 0, badReports: 0 };
  private mode: ScanMode;
  private seq = 0;
  private readonly framing: BarcodeFraming;
  private readonly feedback: ScanFeedback;
  private readonly log: DeviceLog;
  private readonly closers: Array<() => void> = [];
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ScannerDriverOptions) {
    this.mode = options.mode ?? 'count';
    this.feedback = options.feedback ?? noFeedback;
    this.log = options.log ?? silentDeviceLog;
    this.framing = new BarcodeFraming(options.framing ?? {}, (result) => {
      this.pending = this.pending.then(() => this.handle(result));
    });
    options.device.onConfig((config) => this.applyConfig(config));
    options.device.onCommand((command) => this.command(command));
  }

  get scanMode(): ScanMode {
    return this.mode;
  }

  /** Reads boot keyboard reports from a HID device, typed with `layout`. */
  attachHid(source: HidReportSource, layout: LayoutId): void {
    const decoder = new BootReportDecoder();
    const keys = KEYBOARD_LAYOUTS[layout];
    source.on('data', (report) => {
      try {
        for (const press of decoder.decode(report)) this.framing.push(keyToChar(press, keys));
      } catch (error) {
        this.stats.badReports++;
        this.log('warn', `scanner: ${(error as Error).message}`);
      }
    });
    source.on('error', (error) => this.log('error', `scanner: ${error.message}`));
    this.closers.push(() => source.close());
  }

  /** Reads text lines, as from a scanner typing into this process's terminal (the OS applied the layout). */
  attachText(input: Readable, onEnd?: () => void): void {
    const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
    lines.on('line', (line) => this.framing.pushText(`${line}\n`));
    if (onEnd) lines.once('close', onEnd);
    this.closers.push(() => lines.close());
  }

  /** Stops reading and waits until every framed barcode has been published. */
  async close(): Promise<void> {
    this.framing.flush();
    for (const close of this.closers.splice(0)) close();
    this.framing.dispose();
    await this.pending;
  }

  /** Resolves once the barcodes framed so far are published (tests and shutdown). */
  idle(): Promise<unknown> {
    return this.pending;
  }

  private applyConfig(config: DeviceConfig): void {
    if (config.scanMode) this.mode = config.scanMode;
  }

  private command(command: DeviceCommand): unknown {
    if (command.command !== 'set-scan-mode') {
      throw new Error(`a scanner does not take ${command.command}`);
    }
    this.mode = command.mode;
    this.log('info', `scan mode ${command.mode}`);
    return { mode: this.mode };
  }

  private async handle(result: FramedBarcode): Promise<void> {
    if (!result.ok) return this.reject(`${result.reason} (read ${JSON.stringify(result.raw)})`);
    const scan = { seq: this.seq, at: Date.now(), barcode: result.barcode, mode: this.mode, quantity: 1 };
    try {
      await this.options.device.publish('scan', scan);
    } catch (error) {
      if (!(error instanceof DeviceMessageError)) throw error;
      return this.reject(error.details.join('; '));
    }
    this.seq++;
    this.stats.published++;
    this.feedback.accepted();
  }

  private reject(reason: string): void {
    this.stats.rejected++;
    this.log('warn', `scan rejected: ${reason}`);
    this.feedback.rejected();
  }
}
