import type { DeviceCommand, DeviceConfig } from '@pourcast/protocol';
import type { FramePublisher } from '../../camera/frame-publisher.ts';
import { silentDeviceLog, type DeviceLog } from '../../link/device-log.ts';
import { captureJpeg, type CaptureToolOptions } from './capture-tool.ts';
import { encodeFrame } from './frame-encoder.ts';

export interface CameraDriverOptions {
  /**
   * Publishes frames (metadata as MQTT 5 user properties, or in a JPEG COM segment on 3.1.1) over the
   * device's MQTT session; devices/src/camera/frame-publisher.ts.
   */
  publisher: Pick<FramePublisher, 'publishFrame' | 'device'>;
  capture: CaptureToolOptions;
  /** Time between the end of one capture and the start of the next (ms), until the config says otherwise. */
  intervalMs: number;
  /** JPEG quality of the published frame. Default 80. */
  quality?: number;
  log?: DeviceLog;
}

export interface PublishedFrame {
  seq: number;
  /** Size of the encoded JPEG (before any metadata segment the 3.1.1 path adds). */
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
  private readonly log: DeviceLog;

  constructor(private readonly options: CameraDriverOptions) {
    this.intervalMs = options.intervalMs;
    this.log = options.log ?? silentDeviceLog;
    options.publisher.device.onConfig((config) => this.applyConfig(config));
    options.publisher.device.onCommand((command) => this.command(command));
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
    await this.options.publisher.publishFrame(frame.jpeg, {
      seq,
      at,
      width: frame.width,
      height: frame.height,
    });
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
    if (command.command !== 'capture') throw new Error(`a camera does not take ${command.command}`);
    return this.captureNow();
  }
}
