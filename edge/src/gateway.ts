import { hostname } from 'node:os';
import type {
  DeviceCommand,
  DeviceConfig,
  GatewayConfig,
  GatewayHealth,
  StockEvent,
} from '@pourcast/protocol';
import { DeviceRegistry } from './broker/device-registry.ts';
import { DeviceStatusTracker } from './broker/device-status.ts';
import { startShelfCameras } from './camera/shelf-cameras.ts';
import { RefusalCounter } from './broker/refusals.ts';
import { startBroker } from './broker/start-broker.ts';
import { GatewayBus } from './bus.ts';
import { BackupSchedule } from './backup/backup-schedule.ts';
import { openDb, type GatewayDb, type SynchronousMode } from './db/open-db.ts';
import { StorageGuard } from './db/storage-guard.ts';
import { createHttpApp } from './display/http-app.ts';
import { startHttp } from './display/http-server.ts';
import { managedDeviceIds, startDeviceAdministration } from './devices/index.ts';
import { collectHealth } from './health/collect-health.ts';
import { DeviceActivity } from './health/device-activity.ts';
import { DeviceReporter } from './health/device-report.ts';
import { CatalogStore } from './hub-client/catalog-store.ts';
import { CredentialStore } from './hub-client/credentials.ts';
import { HubLink } from './hub-client/hub-link.ts';
import { HubProbe } from './hub-client/hub-probe.ts';
import { HubStatus } from './hub-client/hub-status.ts';
import { ParStore } from './hub-client/par-store.ts';
import { ReadingInbox } from './ingest/inbox.ts';
import { ReadingPipeline } from './ingest/reading-pipeline.ts';
import type { StockEventDraft } from './inventory/ledger.ts';
import { currentLevels, type SlotLevel } from './inventory/levels.ts';
import { recordEvents } from './inventory/record-events.ts';
import { createLogger, type Logger } from './log.ts';
import { Forwarder } from './outbox/forwarder.ts';
import { StaffDisplay } from './staff/staff-display.ts';

export interface GatewayOptions {
  /** Default: JSON lines on stderr at level `info` (POURCAST_LOG_LEVEL overrides in main.ts). */
  logger?: Logger;
  /** SQLite `synchronous` (default FULL). */
  synchronous?: SynchronousMode;
  /** How long acknowledged events stay in the ledger for the display (default 7 days). */
  retentionMs?: number;
  /** false: readings are stored but not processed (maintenance, crash-replay tests). Default true. */
  processReadings?: boolean;
  /** false: no claim, no catalog fetch, no forwarding. Default true. */
  connectHub?: boolean;
  /** Catalog refresh period (default 10 min). */
  catalogRefreshMs?: number;
  /** Between reachability probes of the hub when nothing else talked to it (default 15 s). */
  hubProbeMs?: number;
  /** Pause that coalesces new events into one batch (default 250 ms). */
  forwardCoalesceMs?: number;
  /** Jitter source for backoff (default Math.random). */
  random?: () => number;
  /** How long a tare/calibrate waits for the device's answer (default 15 s). */
  deviceCommandTimeoutMs?: number;
  /** Retry delays for unacknowledged config pushes (default base 2 s, cap 5 min). */
  configRetry?: { baseMs?: number; capMs?: number };
  /** Between device reports to the hub (default 5 min); drift and status changes go at once. */
  deviceReportMs?: number;
}

export interface Gateway {
  /** Bound ports (useful when the config asked for port 0). */
  mqttPort: number;
  httpPort: number;
  bus: GatewayBus;
  db: GatewayDb;
  /** Item lookups from the cached hub catalog. */
  catalog: CatalogStore;
  health(): Promise<GatewayHealth>;
  levels(): SlotLevel[];
  /** Appends events from other sources (camera detection, display) to the ledger; needs a claimed gateway. */
  recordEvents(drafts: readonly StockEventDraft[]): Promise<StockEvent[]>;
  publishToDevice(deviceId: string, channel: 'config', payload: DeviceConfig): Promise<void>;
  publishToDevice(deviceId: string, channel: 'cmd', payload: DeviceCommand): Promise<void>;
  /** Resolves once every stored reading has been through the pipelines (tests, tools). */
  settled(): Promise<void>;
  /** Sends what is pending to the hub now instead of waiting for the coalescing timer. */
  forwardNow(): Promise<void>;
  close(): Promise<void>;
}

/** Starts one gateway: database, broker, pipelines, hub link, forwarder and HTTP API. */
export async function startGateway(config: GatewayConfig, options: GatewayOptions = {}): Promise<Gateway> {
  const startedAt = Date.now();
  const log = options.logger ?? createLogger();
  const bus = new GatewayBus((name, error) => log.error('bus listener failed', { event: name, error }));
  const store = await openDb(config.gateway.dataDir, { synchronous: options.synchronous });
  const { db } = store;
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  const closeAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const registry = new DeviceRegistry(db);
    await registry.load(config.devices, Date.now(), await managedDeviceIds(db));
    const credentials = new CredentialStore(db);
    await credentials.load();
    const catalog = new CatalogStore(db, bus, log.child({ part: 'catalog' }));
    await catalog.load();
    const pars = new ParStore(db, log.child({ part: 'pars' }));
    await pars.load();
    const hubStatus = new HubStatus();
    const refusals = new RefusalCounter(log.child({ part: 'broker' }), bus);
    const statuses = new DeviceStatusTracker(bus);
    const storage = new StorageGuard({
      path: store.path,
      log: log.child({ part: 'storage' }),
      minFreeBytes: config.gateway.storage.minFreeBytes,
    });
    const backups = new BackupSchedule({
      dbPath: store.path,
      dataDir: config.gateway.dataDir,
      log: log.child({ part: 'backup' }),
      ...config.gateway.backup,
    });
    backups.start();
    cleanups.push(() => backups.stop());
    const inbox = new ReadingInbox(db, bus, log.child({ part: 'inbox' }), storage);

    const pipeline = new ReadingPipeline({
      db,
      bus,
      log: log.child({ part: 'pipeline' }),
      registry,
      catalog,
      credentials,
      settings: config.scale,
    });
    if (options.processReadings !== false) await pipeline.start();
    // A group of readings whose devices have nothing waiting is processed in the inbox's own commit.
    inbox.processInline(pipeline);
    cleanups.push(() => pipeline.stop());

    const forwarder = new Forwarder({
      db,
      bus,
      log: log.child({ part: 'outbox' }),
      hubUrl: config.gateway.hub.url,
      credentials,
      status: hubStatus,
      batchSize: config.gateway.hub.batchSize,
      retentionMs: options.retentionMs,
      coalesceMs: options.forwardCoalesceMs,
      random: options.random,
    });
    const hubLink = new HubLink({
      hubUrl: config.gateway.hub.url,
      claimCode: config.gateway.hub.claimCode,
      gatewayName: config.gateway.name,
      credentials,
      catalog,
      pars,
      status: hubStatus,
      log: log.child({ part: 'hub' }),
      catalogRefreshMs: options.catalogRefreshMs,
      random: options.random,
      onClaimed: () => {
        pipeline.kick();
        forwarder.nudge();
      },
    });
    const hubProbe = new HubProbe({
      hubUrl: config.gateway.hub.url,
      status: hubStatus,
      log: log.child({ part: 'hub' }),
      intervalMs: options.hubProbeMs,
    });
    // Back from an outage (whichever request noticed): send what waits now rather than at the end of the
    // outbox's backoff, and take the catalog and pars the hub may have changed meanwhile.
    hubStatus.onRecovered(() => {
      void forwarder.flush();
      void hubLink.refreshNow();
    });
    if (options.connectHub !== false) {
      await forwarder.start();
      hubLink.start();
      hubProbe.start();
    }
    cleanups.push(
      () => forwarder.stop(),
      () => hubLink.stop(),
      () => hubProbe.stop(),
    );

    // Shelf cameras listen before the broker opens, so no accepted frame goes unread; closed after it.
    const cameras = await startShelfCameras({
      devices: config.devices,
      bus,
      db,
      registry,
      catalog,
      record: (drafts) => recordEvents(db, bus, credentials, drafts),
      log: log.child({ part: 'camera' }),
      maxFrameBytes: config.gateway.mqtt.maxFrameBytes,
    });
    cleanups.push(() => cameras.close());

    const broker = await startBroker({
      host: config.gateway.mqtt.host,
      port: config.gateway.mqtt.port,
      log: log.child({ part: 'broker' }),
      registry,
      refusals,
      inbox,
      statuses,
      bus,
      limits: config.gateway.mqtt,
    });
    // Broker first on the way down, then the inbox drains what it already accepted.
    cleanups.push(
      () => inbox.close(),
      () => broker.close(),
    );

    const health = async () => {
      const collected = await collectHealth({
        startedAt,
        db,
        dbBytes: store.sizeBytes,
        broker,
        refusals,
        credentials,
        hubStatus,
        forwarder,
        pipeline,
        storage,
        backups,
      });
      return cameras.cameraIds.length > 0 ? { ...collected, cameras: cameras.stats() } : collected;
    };
    const levels = () => currentLevels(pipeline, catalog);
    const devices = await startDeviceAdministration({
      db,
      dataDir: config.gateway.dataDir,
      registry,
      broker,
      bus,
      catalog,
      log: log.child({ part: 'devices' }),
      brokerUrl: brokerUrl(config.gateway.mqtt.host, broker.port, config.gateway.mqtt.tls !== undefined),
      commandTimeoutMs: options.deviceCommandTimeoutMs,
      configRetry: { random: options.random, ...options.configRetry },
    });
    cleanups.push(() => devices.close());
    const activity = new DeviceActivity().watch(bus, broker.onWeight);
    cleanups.push(() => activity.close());
    const deviceReports = new DeviceReporter({
      db,
      registry,
      statuses,
      drift: devices.drift,
      activity,
      configs: devices.pusher,
      onActivityChange: (listener) => activity.onChange(listener),
      onDriftChange: (listener) => devices.drift.onChange(listener),
      bus,
      hubUrl: config.gateway.hub.url,
      credentials,
      log: log.child({ part: 'devices' }),
      intervalMs: options.deviceReportMs,
    });
    if (options.connectHub !== false) deviceReports.start();
    cleanups.push(() => deviceReports.stop());
    const staff = new StaffDisplay({
      db,
      bus,
      log: log.child({ part: 'staff' }),
      catalog,
      pars,
      registry,
      statuses,
      dataDir: config.gateway.dataDir,
      health,
      levels,
      scaleStates: () => pipeline.slotStates(),
      record: (drafts) => recordEvents(db, bus, credentials, drafts),
      configs: devices.pusher,
    });
    cleanups.push(() => staff.close());
    const app = createHttpApp({
      db,
      log: log.child({ part: 'http' }),
      registry,
      statuses,
      health,
      levels,
      devices,
      activity,
      staff,
    });
    const http = await startHttp(
      app.fetch,
      config.gateway.http.host,
      config.gateway.http.port,
      config.gateway.http.tls,
    );
    cleanups.push(() => http.close());

    let closing: Promise<void> | null = null;
    return {
      mqttPort: broker.port,
      httpPort: http.port,
      bus,
      db,
      catalog,
      health,
      levels,
      recordEvents: (drafts) => recordEvents(db, bus, credentials, drafts),
      publishToDevice: broker.publishToDevice,
      settled: async () => {
        await inbox.drained();
        await pipeline.idle();
        await cameras.idle();
      },
      forwardNow: () => forwarder.flush(),
      close: () => {
        closing ??= closeAll().then(() => bus.removeAllListeners());
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * The address a device bundle names: the broker's own, or this host's name when it listens on all; mqtts://
 * when the listener has TLS (it speaks only TLS then).
 */
function brokerUrl(host: string, port: number, tls: boolean): string {
  const reachable = host === '0.0.0.0' || host === '::' ? hostname() : host;
  return `${tls ? 'mqtts' : 'mqtt'}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
