import { getScaleDefinition, getScannerDefinition } from '../definitions/registry.ts';
import type { BackoffOptions } from '../link/backoff.ts';
import { silentDeviceLog, type DeviceLog } from '../link/device-log.ts';
import { MqttDevice } from '../mqtt-device.ts';
import type { BarFile } from './bar-file.ts';
import type { SimClock } from './clock.ts';
import { createPrng } from './prng.ts';
import { SETTLE_READINGS } from './scale-simulator.ts';
import { ScaleSimulator, attachScaleToDevice } from './scale-simulator.ts';
import { ScannerSimulator, attachScannerToDevice } from './scanner-simulator.ts';
import { slotKey } from './shift-action.ts';

export interface OpenBarOptions {
  clock: SimClock;
  /** Seeds the scales' noise (a stream per device, apart from the scenario's). */
  seed: number;
  /** Noise σ for every scale, grams; default each definition's. */
  noiseSigmaG?: number;
  /** Bottle levels by `deviceId/platform`; default the bar file's initial levels. */
  levelsMl?: Record<string, number>;
  log?: DeviceLog;
  backoff?: BackoffOptions;
  connectTimeoutMs?: number;
  firmware?: string;
}

export interface BottleState {
  deviceId: string;
  platform: number;
  itemId: string;
  containerMl: number;
  levelMl: number;
  /** false while a bartender holds it. */
  onPlatform: boolean;
}

/** A simulated bar on the air: every device connected over MQTT, bottles on the platforms, scales streaming. */
export class RunningBar {
  private constructor(
    readonly bar: BarFile,
    readonly clock: SimClock,
    readonly devices: Map<string, MqttDevice>,
    readonly scales: Map<string, ScaleSimulator>,
    readonly scanner: ScannerSimulator | undefined,
  ) {}

  static async open(bar: BarFile, options: OpenBarOptions): Promise<RunningBar> {
    const log = options.log ?? silentDeviceLog;
    const prng = createPrng(options.seed).fork('noise');
    const devices = new Map<string, MqttDevice>();
    const scales = new Map<string, ScaleSimulator>();
    let scanner: ScannerSimulator | undefined;
    try {
      for (const bundle of bar.devices) {
        const scaleIds = new Set(bar.scales.map((s) => s.deviceId));
        const isScale = scaleIds.has(bundle.deviceId);
        const isScanner = bar.scanner?.deviceId === bundle.deviceId;
        if (!isScale && !isScanner) continue; // cameras and the like are simulated elsewhere
        const definition = isScale ? getScaleDefinition(bundle.model) : getScannerDefinition(bundle.model);
        const device = await MqttDevice.connect({
          bundle,
          definition,
          log: (level, message) => log(level, `${bundle.deviceId}: ${message}`),
          firmware: options.firmware ?? 'pourcast-sim',
          ...(options.backoff ? { backoff: options.backoff } : {}),
          ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
        });
        devices.set(bundle.deviceId, device);
        if (isScale) {
          const scale = new ScaleSimulator({
            deviceId: bundle.deviceId,
            definition: getScaleDefinition(bundle.model),
            clock: options.clock,
            prng: prng.fork(bundle.deviceId),
            send: (reading) => device.publish('weight', reading),
            ...(options.noiseSigmaG !== undefined ? { noiseSigmaG: options.noiseSigmaG } : {}),
            log: (level, message) => log(level, `${bundle.deviceId}: ${message}`),
          });
          attachScaleToDevice(scale, device);
          scales.set(bundle.deviceId, scale);
        } else {
          scanner = new ScannerSimulator({
            deviceId: bundle.deviceId,
            definition: getScannerDefinition(bundle.model),
            clock: options.clock,
            send: (scan) => device.publish('scan', scan),
          });
          attachScannerToDevice(scanner, device);
        }
      }
    } catch (error) {
      for (const device of devices.values()) await device.close();
      throw error;
    }
    for (const entry of bar.scales) {
      const levelMl = options.levelsMl?.[slotKey(entry.deviceId, entry.platform)] ?? entry.initialLevelMl;
      scales.get(entry.deviceId)!.place(entry.platform, { item: entry.item, levelMl });
    }
    for (const scale of scales.values()) scale.start();
    return new RunningBar(bar, options.clock, devices, scales, scanner);
  }

  scale(deviceId: string): ScaleSimulator {
    const scale = this.scales.get(deviceId);
    if (!scale) throw new Error(`no simulated scale ${deviceId}`);
    return scale;
  }

  /** The level of each bottle by `deviceId/platform`, as the platforms hold them now. */
  levelsMl(): Record<string, number> {
    const levels: Record<string, number> = {};
    for (const entry of this.bar.scales) {
      levels[slotKey(entry.deviceId, entry.platform)] =
        this.scale(entry.deviceId).platform(entry.platform).bottle?.levelMl ?? 0;
    }
    return levels;
  }

  /** Every platform's bottle as it stands now (a shelf camera simulator renders this). */
  bottles(): BottleState[] {
    return this.bar.scales.map((entry) => {
      const platform = this.scale(entry.deviceId).platform(entry.platform);
      return {
        deviceId: entry.deviceId,
        platform: entry.platform,
        itemId: platform.bottle?.item.id ?? entry.item.id,
        containerMl: entry.item.containerMl,
        levelMl: platform.bottle?.levelMl ?? 0,
        onPlatform: platform.onPlatform,
      };
    });
  }

  /** Lets every scale stream settled readings long enough for the gateway to see a stable weight. */
  async settle(signal?: AbortSignal): Promise<void> {
    const longest = Math.max(0, ...[...this.scales.values()].map((s) => s.readingIntervalMs));
    await this.clock.sleep(Math.ceil(SETTLE_READINGS * longest), signal ? { signal } : {});
  }

  /** Stops the streams; every device publishes a retained `offline` status and disconnects. */
  async close(): Promise<void> {
    for (const scale of this.scales.values()) scale.stop();
    await Promise.all([...this.devices.values()].map((device) => device.close()));
  }
}
