import type { GatewayHealth } from '@pourcast/protocol';
import type { RunningBroker } from '../broker/start-broker.ts';
import type { RefusalCounter } from '../broker/refusals.ts';
import type { BackupSchedule } from '../backup/backup-schedule.ts';
import type { StorageGuard } from '../db/storage-guard.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { ReadingPipeline } from '../ingest/reading-pipeline.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import type { HubStatus } from '../hub-client/hub-status.ts';
import { countEvents, lastSeq } from '../inventory/ledger.ts';
import type { Forwarder } from '../outbox/forwarder.ts';
import { countPending } from '../outbox/outbox-state.ts';

export interface HealthSources {
  startedAt: number;
  db: GatewayDb;
  dbBytes: () => number;
  broker: RunningBroker;
  refusals: RefusalCounter;
  credentials: CredentialStore;
  hubStatus: HubStatus;
  forwarder: Forwarder;
  pipeline: ReadingPipeline;
  storage?: StorageGuard;
  backups?: BackupSchedule;
}

/**
 * The gateway's health (protocol gatewayHealthSchema). `degraded` when the gateway cannot do its whole
 * job: not claimed, the hub unreachable, or readings held back for lack of catalog data.
 */
export async function collectHealth(s: HealthSources): Promise<GatewayHealth> {
  const outbox = s.forwarder.state;
  const [events, seq, pending] = await Promise.all([
    countEvents(s.db),
    lastSeq(s.db),
    countPending(s.db, outbox.ackSeq),
  ]);
  s.forwarder.recordPending(pending);
  const credentials = s.credentials.current;
  const storage = storageHealth(s);
  const degraded =
    !credentials ||
    !s.hubStatus.reachable ||
    s.pipeline.heldDevices.length > 0 ||
    (storage !== undefined && storage.alerts.length > 0);
  return {
    status: degraded ? 'degraded' : 'ok',
    gatewayId: credentials?.gatewayId ?? null,
    uptimeS: Math.round((Date.now() - s.startedAt) / 1000),
    broker: { clients: s.broker.clients(), messagesIn: s.broker.messagesIn(), refused: s.refusals.total },
    refusedByReason: s.refusals.byReason(),
    ledger: { events, lastSeq: seq, dbBytes: s.dbBytes() },
    outbox: {
      pending,
      lastAckSeq: outbox.ackSeq,
      lastAckAt: outbox.lastAckAt === null ? null : new Date(outbox.lastAckAt).toISOString(),
      lastError: outbox.lastError ?? s.hubStatus.lastError,
      hubReachable: s.hubStatus.reachable,
    },
    ...(storage ? { storage: storage.storage, alerts: storage.alerts } : {}),
  };
}

/** Disk state, outbox growth and backups, with an alert line for each thing a person must see to. */
function storageHealth(s: HealthSources) {
  if (!s.storage) return undefined;
  const disk = s.storage.snapshot();
  const backup = s.backups?.status;
  const alerts: string[] = [];
  if (disk.reason) alerts.push(`storage ${disk.state}: ${disk.reason}`);
  if (backup?.lastError) alerts.push(`backup failing: ${backup.lastError}`);
  return {
    alerts,
    storage: {
      ...disk,
      outboxGrowthPerHour: s.forwarder.growthPerHour(),
      lastBackupAt: backup?.lastAt ? new Date(backup.lastAt).toISOString() : null,
      lastBackupError: backup?.lastError ?? null,
    },
  };
}
