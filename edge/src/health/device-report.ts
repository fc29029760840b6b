import { deviceHealthAckSchema, type DeviceHealthReport, type ReportedDevice } from '@pourcast/protocol';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { DeviceStatusTracker } from '../broker/device-status.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { latestCalibration } from '../devices/calibration.ts';
import type { ConfigPusher } from '../devices/config-pusher.ts';
import type { DriftWatch } from '../devices/drift-watch.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import { gatewayUrl, hubRequest } from '../hub-client/hub-http.ts';
import type { Logger } from '../log.ts';
import type { DeviceActivity } from './device-activity.ts';

export interface DeviceReportSources {
  db: GatewayDb;
  registry: Pick<DeviceRegistry, 'all'>;
  statuses: Pick<DeviceStatusTracker, 'get'>;
  drift: Pick<DriftWatch, 'drift'>;
  /** Last reading and signs of trouble; without it the report leaves them out. */
  activity?: Pick<DeviceActivity, 'lastReading' | 'trouble'>;
  /** The config pushes (version pushed and acknowledged); without it the report leaves them out. */
  configs?: Pick<ConfigPusher, 'state'>;
}

/**
 * Every device's state, last status, calibration date (scales), platform drift, last reading, firmware,
 * config version (pushed, acknowledged) and signs of trouble, as the hub takes it.
 */
export async function buildDeviceReport(
  s: DeviceReportSources,
  now = new Date(),
): Promise<DeviceHealthReport> {
  const devices: ReportedDevice[] = [];
  for (const device of s.registry.all()) {
    const tracked = s.statuses.get(device.id);
    const calibration = device.kind === 'scale' ? await latestCalibration(s.db, device.id) : undefined;
    devices.push({
      deviceId: device.id,
      kind: device.kind,
      model: device.model,
      state: device.revokedAt !== null ? 'revoked' : (tracked?.status.state ?? 'unknown'),
      lastStatusAt: tracked ? new Date(tracked.receivedAt).toISOString() : null,
      ...(device.kind === 'scale' ? { calibratedAt: calibration?.calibratedAt ?? null } : {}),
      drift: s.drift.drift(device.id),
      firmware: tracked?.status.firmware ?? null,
      ...(s.activity
        ? { lastReading: s.activity.lastReading(device.id), trouble: s.activity.trouble(device.id) }
        : {}),
      ...(s.configs ? { config: configVersions(s.configs, device.id) } : {}),
    });
  }
  return { reportedAt: now.toISOString(), devices };
}

function configVersions(configs: Pick<ConfigPusher, 'state'>, deviceId: string) {
  const state = configs.state(deviceId);
  return state ? { version: state.configVersion, ackedVersion: state.ackedVersion } : null;
}

export interface DeviceReporterOptions extends DeviceReportSources {
  hubUrl: string;
  credentials: Pick<CredentialStore, 'current'>;
  /** Drift changes (DriftWatch.onChange) are reported soon, not at the next tick. */
  onDriftChange: (listener: (deviceId: string) => void) => () => void;
  /** A device's first reading and its signs of trouble appearing or clearing (DeviceActivity.onChange) too. */
  onActivityChange?: (listener: (deviceId: string) => void) => () => void;
  /** Device status changes and the first catalog after a claim are reported soon too. */
  bus: Pick<GatewayBus, 'on'>;
  log: Logger;
  /** Between regular reports (default 5 min); a failed report waits for the next. */
  intervalMs?: number;
  /** How long a drift change waits for others before it is sent (default 2 s). */
  coalesceMs?: number;
}

/**
 * Sends the device report to the hub (`POST /gateways/:id/devices/health`) every interval and shortly after
 * a scale starts or stops drifting, so the hub's "recalibrate scale" alert opens and resolves with it.
 * Nothing is sent before the gateway is claimed; a device coming or going and the first catalog after the claim
 * are reported within the coalescing delay.
 */
export class DeviceReporter {
  #interval: ReturnType<typeof setInterval> | undefined;
  #soon: ReturnType<typeof setTimeout> | undefined;
  #sending: Promise<void> | null = null;
  #stopped = false;
  readonly #offs: Array<() => void> = [];
  sent = 0;
  failed = 0;

  constructor(private readonly options: DeviceReporterOptions) {}

  start(): void {
    this.#interval = setInterval(() => void this.send(), this.options.intervalMs ?? 300_000);
    this.#interval.unref?.();
    const soon = () => this.#sendSoon();
    this.#offs.push(
      this.options.onDriftChange(soon),
      this.options.bus.on('device-status', soon),
      this.options.bus.on('catalog', soon),
      ...(this.options.onActivityChange ? [this.options.onActivityChange(soon)] : []),
    );
    this.#sendSoon();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#interval);
    clearTimeout(this.#soon);
    for (const off of this.#offs.splice(0)) off();
    await this.#sending;
  }

  /** One report now (joins one under way). */
  send(): Promise<void> {
    this.#sending ??= this.#send().finally(() => (this.#sending = null));
    return this.#sending;
  }

  #sendSoon(): void {
    if (this.#soon || this.#stopped) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      // A report under way may have been built before this change: send another once it is done.
      if (this.#sending) void this.#sending.then(() => this.#sendSoon());
      else void this.send();
    }, this.options.coalesceMs ?? 2_000);
    this.#soon.unref?.();
  }

  async #send(): Promise<void> {
    const identity = this.options.credentials.current;
    if (!identity) return;
    try {
      const report = await buildDeviceReport(this.options);
      await hubRequest({
        method: 'POST',
        url: gatewayUrl(this.options.hubUrl, identity.gatewayId, '/devices/health'),
        token: identity.token,
        body: report,
        answer: deviceHealthAckSchema,
      });
      this.sent++;
    } catch (error) {
      this.failed++;
      this.options.log.warn('device report not delivered; next one at the interval', {
        error: (error as Error).message,
      });
    }
  }
}
