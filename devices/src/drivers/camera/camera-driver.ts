import type { DeviceCommand, DeviceConfig } from '@pourcast/protocol';
import { UnsupportedCommandError, type DeviceLink } from '../device-link.ts';
import { silentLog, type DriverLog } from '../driver-log.ts';
import { captureJpeg, type CaptureToolOptions } from './capture-tool.ts';
import { encodeFrame } from './frame-encoder.ts';

export interface CameraDriverOptions {
  link: Pick<DeviceLink, 'publishFrame' | 'onConfig' | 'onCommand'>;
  capture: CaptureToolOptions;
  /** Time between the end of one capture and the start of the next (ms), until the config says otherwise. */
  intervalMs: number;
  /** JPEG quality of the published frame. Default 80. */
  quality?: number;
  log?: DriverLog;
}

export interface PublishedFrame {
  seq: number;
  bytes: number;
  width: number;
  height: number;
}

/**
 * A shelf camera: a still every interval (and on a `capture` command), resized and re-encoded with
 * sharp, published as raw JPEG bytes on `frame`. Captures never overlap: a capture command during one
 * waits for it.
 */
export class CameraDriver {
  readonly stats = { published: 0, failed: 0 };
  private intervalMs: number;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly log: DriverLog;

  constructor(private readonly options: CameraDriverOptions) {
    this.intervalMs = options.intervalMs;
    this.log = options.log ?? silentLog;
    options.link.onConfig((config) => this.applyConfig(config));
    options.link.onCommand((command) => this.command(command));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleNext(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.busy.catch(() => {});
  }

  /** Takes, encodes and publishes one frame, after any capture already under way. */
  captureNow(): Promise<PublishedFrame> {
    const next = this.busy.catch(() => {}).then(() => this.captureOnce());
    this.busy = next;
    return next;
  }

  private async captureOnce(): Promise<PublishedFrame> {
    const at = Date.now();
    const raw = await captureJpeg(this.options.capture);
    const frame = await encodeFrame(raw, {
      width: this.options.capture.width,
      height: this.options.capture.height,
      ...(this.options.quality === undefined ? {} : { quality: this.options.quality }),
    });
    const seq = this.seq++;
    await this.options.link.publishFrame(frame.jpeg, { seq, at, width: frame.width, height: frame.height });
    this.stats.published++;
    return { seq, bytes: frame.jpeg.length, width: frame.width, height: frame.height };
  }

  private scheduleNext(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      if (!this.running) return;
      try {
        await this.captureNow();
      } catch (error) {
        this.stats.failed++;
        this.log('warn', `capture failed: ${(error as Error).message}`);
      }
      if (this.running) this.scheduleNext(this.intervalMs);
    }, delayMs);
  }

  private applyConfig(config: DeviceConfig): void {
    if (config.frameIntervalMs !== undefined && config.frameIntervalMs !== this.intervalMs) {
      this.intervalMs = config.frameIntervalMs;
      this.log('info', `frame interval ${config.frameIntervalMs} ms`);
    }
  }

  private async command(command: DeviceCommand): Promise<unknown> {
    if (command.command !== 'capture')
      throw new UnsupportedCommandError(`a camera does not take ${command.command}`);
    return this.captureNow();
  }
}
