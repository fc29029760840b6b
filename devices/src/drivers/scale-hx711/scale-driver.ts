import type { DeviceCommand, DeviceConfig } from '@pourcast/protocol';
import { silentDeviceLog, type DeviceLog } from '../../link/device-log.ts';
import { DeviceMessageError, type MqttDevice } from '../../mqtt-device.ts';
import { ScaleCalibration, type Calibration } from './calibration.ts';
import type { Hx711Conversion } from './hx711.ts';
import { SampleWindow } from './reading-filter.ts';

export interface CountSource {
  read(): Promise<Hx711Conversion>;
}

export interface ScaleDriverOptions {
  /** The MQTT session (devices/src/mqtt-device.ts). */
  device: Pick<MqttDevice, 'publish' | 'onConfig' | 'onCommand'>;
  /** The HX711 (or anything giving conversions). */
  source: CountSource;
  /** Platform index this load cell is. Default 0. */
  platform?: number;
  /** Samples in the median/MAD window. Default 5. */
  windowSize?: number;
  /** Readings published per second until the config says otherwise. Default 10. */
  sampleHz?: number;
  /** Until the gateway's config carries one. */
  calibration?: Calibration;
  /** How long tare and calibrate wait for a fresh window of samples (ms). Default 5000. */
  commandTimeoutMs?: number;
  log?: DeviceLog;
}

/**
 * A load-cell scale: reads the HX711 as fast as it converts, keeps a window of counts, and publishes
 * the filtered, calibrated weight at the configured rate. Answers `tare` and `calibrate`.
 */
export class ScaleDriver {
  readonly calibration: ScaleCalibration;
  readonly stats = { samples: 0, saturated: 0, readErrors: 0, published: 0, uncalibrated: 0, invalid: 0 };
  private readonly window: SampleWindow;
  private readonly log: DeviceLog;
  private readonly platform: number;
  private readonly commandTimeoutMs: number;
  private sampleHz: number;
  private seq = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private freshWaiters: Array<() => void> = [];
  /** Bumped when the window is cleared: a conversion begun before that is not fresh. */
  private generation = 0;

  constructor(private readonly options: ScaleDriverOptions) {
    this.window = new SampleWindow(options.windowSize ?? 5);
    this.calibration = new ScaleCalibration(options.calibration);
    this.log = options.log ?? silentDeviceLog;
    this.platform = options.platform ?? 0;
    this.sampleHz = options.sampleHz ?? 10;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
    options.device.onConfig((config) => this.applyConfig(config));
    options.device.onCommand((command) => this.command(command));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.acquire();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.loop;
  }

  /** The filtered count of a window taken wholly after this call. */
  async freshCount(): Promise<number> {
    this.window.clear();
    this.generation++;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.freshWaiters = this.freshWaiters.filter((w) => w !== done);
        reject(new Error(`no readings from the load cell within ${this.commandTimeoutMs} ms`));
      }, this.commandTimeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.freshWaiters.push(done);
    });
    return this.window.filtered()!.value;
  }

  private applyConfig(config: DeviceConfig): void {
    if (config.calibration) this.calibration.apply(config.calibration);
    if (config.sampleHz !== undefined && config.sampleHz !== this.sampleHz) {
      this.sampleHz = config.sampleHz;
      if (this.running) this.schedule();
    }
  }

  private async command(command: DeviceCommand): Promise<unknown> {
    switch (command.command) {
      case 'tare': {
        const { offset } = this.calibration.tare(await this.freshCount());
        this.log('info', `tared at ${offset.toFixed(0)} counts`);
        return { calibration: this.calibration.current() ?? { offset } };
      }
      case 'calibrate': {
        const calibration = this.calibration.calibrate(await this.freshCount(), command.knownGrams);
        this.log('info', `calibrated: ${calibration.factor.toFixed(3)} counts per gram`);
        return { calibration };
      }
      default:
        throw new Error(`a scale does not take ${command.command}`);
    }
  }

  private async acquire(): Promise<void> {
    while (this.running) {
      try {
        const generation = this.generation;
        const conversion = await this.options.source.read();
        if (generation !== this.generation) {
          // Begun before a tare or calibrate asked for fresh samples: not one of them.
        } else if (conversion.saturated) {
          // Out of the ADC's range: overload, or a loose wire. Never averaged in.
          this.stats.saturated++;
        } else {
          this.stats.samples++;
          this.window.push(conversion.count);
          if (this.window.full) for (const wake of this.freshWaiters.splice(0)) wake();
        }
      } catch (error) {
        this.stats.readErrors++;
        this.log('warn', `load cell: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // Let network I/O in between conversions.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private schedule(): void {
    clearInterval(this.timer);
    this.timer = setInterval(() => void this.publish(), 1000 / this.sampleHz);
  }

  private async publish(): Promise<void> {
    const filtered = this.window.filtered();
    if (!filtered) return;
    const grams = this.calibration.grams(filtered.value);
    if (grams === undefined) {
      if (this.stats.uncalibrated++ % 100 === 0)
        this.log('warn', 'not calibrated: send tare, then calibrate');
      return;
    }
    const reading = {
      seq: this.seq++,
      at: Date.now(),
      grams: Math.round(grams * 10) / 10,
      platform: this.platform,
    };
    try {
      await this.options.device.publish('weight', reading);
      this.stats.published++;
    } catch (error) {
      // Out of the protocol's range (overload, or a wrong calibration): dropped with its reason.
      if (!(error instanceof DeviceMessageError)) throw error;
      this.stats.invalid++;
      if (this.stats.invalid % 100 === 1) this.log('warn', `weight not published: ${error.message}`);
    }
  }
}
