import { eq } from 'drizzle-orm';
import type { DeviceConfig, DeviceConfigPush, DeviceResponse } from '@pourcast/protocol';
import type { RunningBroker } from '../broker/start-broker.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { AppError } from '../display/app-error.ts';
import { Backoff, type BackoffOptions } from '../hub-client/backoff.ts';
import type { Logger } from '../log.ts';
import { deviceConfigs } from './tables.ts';

type Broker = Pick<RunningBroker, 'publishToDevice' | 'onResponse'>;

export interface ConfigPusherOptions {
  db: GatewayDb;
  broker: Broker;
  bus: GatewayBus;
  log: Logger;
  /** Retry delays for unacknowledged pushes (default base 2 s, cap 5 min, full jitter). */
  retry?: BackoffOptions;
  /** Whether a device may still be sent its config (false once revoked). Default: every device. */
  active?: (deviceId: string) => boolean;
}

export interface ConfigPushState {
  config: DeviceConfig;
  configVersion: number;
  ackedVersion: number | null;
  /** Pushed and not yet acknowledged by the device. */
  pending: boolean;
  attempts: number;
  lastError: string | null;
  pushedAt: string;
  ackedAt: string | null;
}

type Row = typeof deviceConfigs.$inferSelect;

/**
 * Config push with acknowledgement: the config is published retained on the device's `config` topic; the
 * device answers on `response` with its configVersion (or reports it in its retained status). Until then
 * the push is pending and republished with exponential backoff.
 */
export class ConfigPusher {
  readonly #rows = new Map<string, Row>();
  readonly #timers = new Map<string, { timer: ReturnType<typeof setTimeout>; backoff: Backoff }>();
  readonly #offs: Array<() => void> = [];
  readonly #listeners = new Set<(deviceId: string) => void>();
  #pushes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ConfigPusherOptions) {}

  /**
   * Loads every device's config from the database and publishes it again (retained): the broker keeps
   * retained messages in memory only, and a scale's driver keeps its calibration in memory only, so after a
   * restart of either the device gets its calibration back from here. Acknowledged configs are sent once
   * (the device re-applies the same version); pending ones are retried until acknowledged.
   */
  async start(): Promise<void> {
    const active = this.options.active ?? (() => true);
    for (const row of await this.options.db.select().from(deviceConfigs)) {
      this.#rows.set(row.deviceId, row);
      if (!active(row.deviceId)) continue;
      try {
        await this.options.broker.publishToDevice(row.deviceId, 'config', row.config);
      } catch (error) {
        this.options.log.warn('stored config not republished', { deviceId: row.deviceId, error });
      }
      if (isPending(row)) this.#schedule(row.deviceId);
    }
    this.#offs.push(
      this.options.broker.onResponse((deviceId, response) => this.#onResponse(deviceId, response)),
      this.options.bus.on('device-status', ({ deviceId, status }) => {
        if (status.state === 'online' && status.configVersion !== undefined)
          void this.#acknowledge(deviceId, status.configVersion);
      }),
    );
  }

  current(deviceId: string): DeviceConfig | undefined {
    return this.#rows.get(deviceId)?.config;
  }

  /**
   * Merges the push into the device's current config, publishes it and keeps it pending until acked. Pushes
   * run one at a time: two at once (a technician's and a bartender's) would otherwise take the same version,
   * and the device ignores a config whose version it already runs.
   */
  push(deviceId: string, push: DeviceConfigPush, now = Date.now()): Promise<ConfigPushState> {
    return this.#oneAtATime(() => this.#push(deviceId, push, now));
  }

  #oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#pushes.then(work);
    this.#pushes = run.catch(() => {});
    return run;
  }

  async #push(deviceId: string, push: DeviceConfigPush, now: number): Promise<ConfigPushState> {
    const previous = this.#rows.get(deviceId);
    const lastVersion = previous?.configVersion ?? 0;
    const configVersion = push.configVersion ?? lastVersion + 1;
    if (previous && configVersion <= lastVersion)
      throw new AppError(409, 'stale_config', `configVersion must be above ${lastVersion}`);
    const config: DeviceConfig = { ...previous?.config, ...push, configVersion };
    const row: Row = {
      deviceId,
      config,
      configVersion,
      ackedVersion: previous?.ackedVersion ?? null,
      attempts: 1,
      lastError: null,
      pushedAt: now,
      ackedAt: previous?.ackedAt ?? null,
    };
    await this.options.db
      .insert(deviceConfigs)
      .values(row)
      .onConflictDoUpdate({ target: deviceConfigs.deviceId, set: row });
    this.#rows.set(deviceId, row);
    this.#cancel(deviceId);
    await this.options.broker.publishToDevice(deviceId, 'config', config);
    this.#schedule(deviceId);
    this.#changed(deviceId);
    return this.state(deviceId)!;
  }

  /**
   * A device's provisioned settings (its scan mode) as its first config: pushed, retained and retried like
   * any push, so a scanner provisioned for receive mode starts in it. A device that was pushed a config
   * before keeps that one (it is newer than the provisioning); undefined then, or when there is nothing to send.
   */
  async provision(
    deviceId: string,
    settings: Omit<DeviceConfigPush, 'configVersion'>,
  ): Promise<ConfigPushState | undefined> {
    if (Object.keys(settings).length === 0) return undefined;
    const state = await this.#oneAtATime(async () =>
      this.#rows.has(deviceId) ? undefined : this.#push(deviceId, settings, Date.now()),
    );
    if (!state) return undefined;
    this.options.log.info('provisioned settings pushed as the first config', { deviceId, ...settings });
    return state;
  }

  /** Listens to a device's config being pushed or acknowledged (the staff display shows a scanner's mode). */
  onChange(listener: (deviceId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  state(deviceId: string): ConfigPushState | undefined {
    const row = this.#rows.get(deviceId);
    if (!row) return undefined;
    return {
      config: row.config,
      configVersion: row.configVersion,
      ackedVersion: row.ackedVersion,
      pending: isPending(row),
      attempts: row.attempts,
      lastError: row.lastError,
      pushedAt: new Date(row.pushedAt).toISOString(),
      ackedAt: row.ackedAt === null ? null : new Date(row.ackedAt).toISOString(),
    };
  }

  /** Forgets a device's config (revoked): no more retries. The retained message stays for its successor. */
  stopRetrying(deviceId: string): void {
    this.#cancel(deviceId);
  }

  close(): void {
    for (const off of this.#offs.splice(0)) off();
    this.#listeners.clear();
    for (const deviceId of [...this.#timers.keys()]) this.#cancel(deviceId);
  }

  #onResponse(deviceId: string, response: DeviceResponse): void {
    // Command answers carry a transaction; config acknowledgements carry the configVersion only.
    if (response.transaction !== undefined || response.configVersion === undefined) return;
    if (response.status === 'ok') return void this.#acknowledge(deviceId, response.configVersion);
    const row = this.#rows.get(deviceId);
    if (!row || response.configVersion !== row.configVersion) return;
    row.lastError = response.error ?? 'refused by the device';
    // Resending what the device refused would be refused again: it stays pending, with the reason shown.
    this.#cancel(deviceId);
    this.options.log.warn('device refused its config', { deviceId, configVersion: row.configVersion });
    void this.#save(row);
  }

  async #acknowledge(deviceId: string, version: number, now = Date.now()): Promise<void> {
    const row = this.#rows.get(deviceId);
    if (!row || version < row.configVersion || row.ackedVersion === row.configVersion) return;
    row.ackedVersion = row.configVersion;
    row.ackedAt = now;
    row.lastError = null;
    this.#cancel(deviceId);
    this.options.log.info('device applied its config', { deviceId, configVersion: row.configVersion });
    await this.#save(row);
    this.#changed(deviceId);
  }

  #schedule(deviceId: string): void {
    const existing = this.#timers.get(deviceId);
    const backoff = existing?.backoff ?? new Backoff({ baseMs: 2000, capMs: 300_000, ...this.options.retry });
    const timer = setTimeout(() => void this.#retry(deviceId), Math.max(1, backoff.next()));
    timer.unref?.();
    this.#timers.set(deviceId, { timer, backoff });
  }

  async #retry(deviceId: string): Promise<void> {
    const row = this.#rows.get(deviceId);
    if (!row || !isPending(row) || !this.#timers.has(deviceId)) return;
    row.attempts++;
    try {
      await this.options.broker.publishToDevice(deviceId, 'config', row.config);
      await this.#save(row);
    } catch (error) {
      this.options.log.warn('config republish failed', { deviceId, error });
    }
    if (this.#timers.has(deviceId)) this.#schedule(deviceId);
  }

  #changed(deviceId: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(deviceId);
      } catch (error) {
        this.options.log.warn('config change listener failed', { deviceId, error });
      }
    }
  }

  #cancel(deviceId: string): void {
    const existing = this.#timers.get(deviceId);
    if (existing) clearTimeout(existing.timer);
    this.#timers.delete(deviceId);
  }

  async #save(row: Row): Promise<void> {
    const { deviceId, ...rest } = row;
    await this.options.db.update(deviceConfigs).set(rest).where(eq(deviceConfigs.deviceId, deviceId));
  }
}

function isPending(row: Row): boolean {
  return row.ackedVersion === null || row.ackedVersion < row.configVersion;
}
