import { asc, gt } from 'drizzle-orm';
import { eventBatchAckSchema, gatewayParsSchema, type EventBatch } from '@pourcast/protocol';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';
import { Backoff } from '../hub-client/backoff.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import { gatewayUrl, HubRejectedError, hubRequest } from '../hub-client/hub-http.ts';
import type { HubStatus } from '../hub-client/hub-status.ts';
import { fetchSentEvents } from '../hub-client/sent-events.ts';
import { toStockEvent } from '../inventory/ledger.ts';
import type { Logger } from '../log.ts';
import {
  countPending,
  pruneAcknowledged,
  readOutboxState,
  writeOutboxState,
  type OutboxSnapshot,
} from './outbox-state.ts';
import { OutboxTrend } from './outbox-trend.ts';
import { readRestoreMark, rebaseOnHubAck, type RestoreMark } from './rebase.ts';
import { WastePhotoUploader } from './waste-photo-uploader.ts';

export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

export interface ForwarderOptions {
  db: GatewayDb;
  bus: GatewayBus;
  log: Logger;
  hubUrl: string;
  credentials: CredentialStore;
  status: HubStatus;
  batchSize: number;
  /** Acknowledged events are kept this long for the local display; 7 days by default. */
  retentionMs?: number;
  /** New events are sent together after this pause; 250 ms by default. */
  coalesceMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  /** How often the pending count is sampled for the growth rate in /health (default 60 s). */
  trendSampleMs?: number;
  /** How often waste photos waiting for a retry are looked at (default 30 s). */
  photoRetryMs?: number;
}

/**
 * Sends the ledger to the hub in seq order, in batches, and keeps what the hub acknowledged. The hub
 * applies each (gatewayId, seq) once and answers the highest contiguous seq (DESIGN.md), so resending
 * after a timeout is safe. Offline for days is fine: events wait in the ledger.
 */
export class Forwarder {
  readonly #backoff: Backoff;
  #state: OutboxSnapshot = { ackSeq: 0, lastAckAt: null, lastError: null };
  #timer: NodeJS.Timeout | null = null;
  #inBackoff = false;
  #stopped = false;
  #busy: Promise<void> = Promise.resolve();
  #off: (() => void)[] = [];
  readonly #trend = new OutboxTrend();
  #trendTimer: NodeJS.Timeout | null = null;
  /** Set after a restore from backup until the ledger is re-based on the hub's ack (rebase.ts). */
  #restoreMark: RestoreMark | null = null;
  /** Sends waste photos once their events are acknowledged (waste-photo-uploader.ts). */
  readonly #photos: WastePhotoUploader;

  constructor(private readonly options: ForwarderOptions) {
    this.#backoff = new Backoff({ random: options.random });
    this.#photos = new WastePhotoUploader({
      db: options.db,
      log: options.log,
      hubUrl: options.hubUrl,
      credentials: options.credentials,
      retryEveryMs: options.photoRetryMs,
    });
  }

  async start(): Promise<void> {
    this.#state = await readOutboxState(this.options.db);
    this.#restoreMark = await readRestoreMark(this.options.db);
    this.#off = [
      this.options.bus.on('stock-event', () => this.nudge()),
      // A photo taken after its event was acknowledged would otherwise wait for the retry timer.
      this.options.bus.on('waste-photo', () => void this.#photos.kick()),
    ];
    this.#schedule(0);
    const sampleTrend = () =>
      countPending(this.options.db, this.#state.ackSeq).then(
        (pending) => this.#trend.sample(Date.now(), pending),
        () => {},
      );
    await sampleTrend();
    this.#trendTimer = setInterval(() => void sampleTrend(), this.options.trendSampleMs ?? 60_000);
    this.#trendTimer.unref();
    this.#photos.start(this.#state.ackSeq);
  }

  /** A pending count someone measured anyway (/health), added to the growth samples. */
  recordPending(pending: number, at = Date.now()): void {
    this.#trend.sample(at, pending);
  }

  /** Unsent events added per hour over the last hour (negative while catching up); null until measured. */
  growthPerHour(): number | null {
    return this.#trend.perHour();
  }

  get state(): Readonly<OutboxSnapshot> {
    return this.#state;
  }

  /** A new event (or the claim) happened: send soon, unless the hub is in backoff. */
  nudge(): void {
    if (this.#stopped || this.#inBackoff || this.#timer) return;
    this.#schedule(this.options.coalesceMs ?? 250);
  }

  /** Runs one forwarding round now (tests and shutdown). */
  flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    return this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const off of this.#off) off();
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#trendTimer) clearInterval(this.#trendTimer);
    await this.#busy;
    await this.#photos.stop();
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#run();
    }, delayMs);
  }

  #run(): Promise<void> {
    this.#busy = this.#busy.then(() => this.#round());
    return this.#busy;
  }

  async #round(): Promise<void> {
    if (this.#stopped) return;
    const credentials = this.options.credentials.current;
    if (!credentials) return; // nudged again once claimed
    try {
      if (this.#restoreMark) await this.#rebase(credentials.gatewayId, credentials.token);
      while (!this.#stopped && (await this.#sendBatch(credentials.gatewayId, credentials.token)));
      void this.#photos.kick(this.#state.ackSeq);
      this.#inBackoff = false;
      this.#backoff.reset();
    } catch (error) {
      this.options.status.failed(error);
      this.#state = { ...this.#state, lastError: (error as Error).message };
      await writeOutboxState(this.options.db, this.#state).catch(() => {});
      const delay = this.#backoff.next();
      this.#inBackoff = true;
      const level = error instanceof HubRejectedError ? 'error' : 'warn';
      this.options.log[level]('forwarding failed; backing off', { error, retryInMs: delay });
      this.#schedule(delay);
    }
  }

  /**
   * After a restore from backup: nothing is sent until the hub's ack is known and the ledger re-based above
   * it (rebase.ts). The hub answers its cursor with the pars, then the events it holds after the restore point;
   * failing to reach it backs off like a batch, and the mark stays until both answers are in.
   */
  async #rebase(gatewayId: string, token: string): Promise<void> {
    const mark = this.#restoreMark!;
    const timeoutMs = this.options.requestTimeoutMs ?? 10_000;
    const pars = await hubRequest({
      method: 'GET',
      url: gatewayUrl(this.options.hubUrl, gatewayId, '/pars'),
      token,
      answer: gatewayParsSchema,
      timeoutMs,
    });
    const sent =
      pars.ackSeq > mark.restorePoint
        ? await fetchSentEvents({
            hubUrl: this.options.hubUrl,
            gatewayId,
            token,
            afterSeq: mark.restorePoint,
            upToSeq: pars.ackSeq,
            timeoutMs,
          })
        : [];
    const result = await rebaseOnHubAck(this.options.db, mark, this.#state.ackSeq, pars.ackSeq, sent);
    this.#restoreMark = null;
    this.#state = { ...this.#state, ackSeq: result.ackSeq, lastError: null };
    this.options.log.warn('ledger re-based on the hub after a restore from backup', {
      backupFile: mark.backupFile,
      restorePoint: mark.restorePoint,
      hubAckSeq: pars.ackSeq,
      shift: result.shift,
      moved: result.moved,
      caughtUp: result.caughtUp,
      platforms: result.platforms,
    });
    this.options.bus.emit('ledger-rebased', result);
    this.options.bus.emit('outbox-ack', { ackSeq: result.ackSeq });
  }

  /** Sends one batch; true when more may be pending. */
  async #sendBatch(gatewayId: string, token: string): Promise<boolean> {
    const { db, batchSize } = this.options;
    const rows = await db
      .select()
      .from(stockEvents)
      .where(gt(stockEvents.seq, this.#state.ackSeq))
      .orderBy(asc(stockEvents.seq))
      .limit(batchSize);
    if (rows.length === 0) return false;
    const events = rows.map(toStockEvent);
    const fromSeq = events[0]!.seq;
    const lastSent = events.at(-1)!.seq;
    const batch: EventBatch = { gatewayId, fromSeq, events };
    const ack = await hubRequest({
      method: 'POST',
      url: gatewayUrl(this.options.hubUrl, gatewayId, '/events'),
      token,
      body: batch,
      answer: eventBatchAckSchema,
      timeoutMs: this.options.requestTimeoutMs ?? 10_000,
    });
    // The ack must lie inside what was sent: below fromSeq the hub took nothing (a hot loop if believed),
    // above the last seq it claims events it never received (deleting on its word would lose them).
    if (ack.ackSeq > lastSent)
      throw new HubRejectedError(`ack ${ack.ackSeq} beyond the last seq sent ${lastSent}`, 200);
    if (ack.ackSeq < fromSeq)
      throw new HubRejectedError(`ack ${ack.ackSeq} below the batch's first seq ${fromSeq}`, 200);
    const now = Date.now();
    this.#state = { ackSeq: ack.ackSeq, lastAckAt: now, lastError: null };
    await writeOutboxState(db, this.#state);
    this.options.status.succeeded();
    this.options.bus.emit('outbox-ack', { ackSeq: ack.ackSeq });
    const pruned = await pruneAcknowledged(
      db,
      ack.ackSeq,
      now - (this.options.retentionMs ?? DEFAULT_RETENTION_MS),
    );
    this.options.log.debug('batch acknowledged', {
      fromSeq,
      ackSeq: ack.ackSeq,
      gaps: ack.gaps.length,
      pruned,
    });
    return rows.length === batchSize || ack.ackSeq < lastSent;
  }
}
