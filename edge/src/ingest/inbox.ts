import { sql } from 'drizzle-orm';
import { readingHighWater, readings } from '../db/schema.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { StorageGuard } from '../db/storage-guard.ts';
import type { GatewayBus } from '../bus.ts';
import type { Logger } from '../log.ts';
import type { InlinePass, InlineProcessor } from './reading-pipeline.ts';

export interface InboxEntry {
  deviceId: string;
  channel: 'weight' | 'scan';
  /** The validated payload, re-serialised (defaults applied). */
  payload: string;
  receivedAt: number;
  /** The device's own sequence number and clock (ms) for the reading. */
  seq: number;
  at: number;
}

/** A reading refused before any write: the storage guard keeps the disk's reserve for what is stored. */
export class StorageRefusedError extends Error {
  override readonly name = 'StorageRefusedError';
}

/** `duplicate`: a QoS 1 replay of a reading already stored; acknowledge it, store nothing. */
export type AppendOutcome = 'stored' | 'duplicate';

interface Pending extends InboxEntry {
  done: (error: Error | null, outcome?: AppendOutcome) => void;
}

type HighWater = { lastSeq: number; lastAt: number };

/**
 * A replay carries a seq and a device time at or below the newest already accepted; a restarted device
 * counts its seq from 0 again but its clock has moved on, so it is not mistaken for one.
 */
export function isReplay(mark: HighWater | undefined, seq: number, at: number): boolean {
  return mark !== undefined && seq <= mark.lastSeq && at <= mark.lastAt;
}

/** Rows per INSERT statement, well under SQLite's 32,766 bound variables. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The readings inbox with group commit. Readings that arrive in the same event-loop turn are inserted in
 * ONE transaction; only after it commits are their callbacks released. The broker's authorizePublish waits
 * for that callback, and aedes writes the PUBACK only after authorizePublish answers
 * (node_modules/aedes/lib/handlers/publish.js: authorizePublish, then enqueuePublish), so a device never
 * holds a PUBACK for a reading that is not on disk.
 *
 * With a processor set (the pipeline), a group it takes inline is committed with its pass: the readings
 * are inserted and deleted again in the transaction that writes their events, slot states and cursors, so
 * the group costs one commit and is in the ledger when its PUBACKs go. Should that transaction fail, the
 * group is stored the queued way (insert only) and a pass takes it.
 */
export class ReadingInbox {
  #queue: Pending[] = [];
  #scheduled = false;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  #processor: InlineProcessor | null = null;

  constructor(
    private readonly db: GatewayDb,
    private readonly bus: GatewayBus,
    private readonly log: Logger,
    /** Refuses readings when the disk is low or full, and hears of every storage failure. */
    private readonly storage?: StorageGuard,
  ) {}

  /** Asks `processor`, for every group about to be committed, whether to process it in the same commit. */
  processInline(processor: InlineProcessor): void {
    this.#processor = processor;
  }

  /** Newest accepted (seq, at) per `device/channel`, loaded from the database on first use. */
  #highWater: Map<string, HighWater> | null = null;

  append(entry: InboxEntry): Promise<AppendOutcome> {
    if (this.#closed) return Promise.reject(new Error('inbox closed'));
    const refusal = this.storage?.admit();
    if (refusal) return Promise.reject(new StorageRefusedError(refusal));
    return new Promise((resolve, reject) => {
      this.#queue.push({
        ...entry,
        done: (error, outcome) => (error ? reject(error) : resolve(outcome ?? 'stored')),
      });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => {
          this.#scheduled = false;
          this.#flushing = this.#flushing.then(() => this.#flush());
        });
      }
    });
  }

  /** Resolves once every reading queued so far is committed (or failed). */
  async drained(): Promise<void> {
    while (this.#queue.length > 0 || this.#scheduled) {
      await new Promise((resolve) => setImmediate(resolve));
      await this.#flushing;
    }
    await this.#flushing;
  }

  /** Drains, then refuses new readings. */
  async close(): Promise<void> {
    await this.drained();
    this.#closed = true;
  }

  async #flush(): Promise<void> {
    const queued = this.#queue;
    this.#queue = [];
    if (queued.length === 0) return;
    let ids: number[];
    let queuedForPass = true;
    let batch: Pending[];
    let marks: Map<string, HighWater>;
    try {
      marks = this.#highWater ?? (await this.#loadHighWater());
      const next = new Map<string, HighWater>();
      batch = [];
      for (const entry of queued) {
        const key = `${entry.deviceId}/${entry.channel}`;
        if (isReplay(next.get(key) ?? marks.get(key), entry.seq, entry.at)) {
          entry.done(null, 'duplicate');
          continue;
        }
        next.set(key, { lastSeq: entry.seq, lastAt: entry.at });
        batch.push(entry);
      }
      if (batch.length === 0) return;
      const inline = await this.#insertProcessed(batch, next);
      queuedForPass = inline === null;
      ids = inline ?? (await this.#insert(batch, next));
      for (const [key, mark] of next) marks.set(key, mark);
    } catch (error) {
      // SQLite rolled the whole transaction back: nothing half-written, nothing stored before is touched.
      this.storage?.failed(error);
      this.log.error('inbox write failed', { error, readings: queued.length });
      for (const entry of queued) entry.done(error as Error);
      return;
    }
    this.storage?.succeeded();
    for (const entry of batch) entry.done(null, 'stored');
    if (!queuedForPass) return;
    batch.forEach((entry, index) =>
      this.bus.emit('reading', {
        readingId: ids[index]!,
        deviceId: entry.deviceId,
        channel: entry.channel,
        receivedAt: entry.receivedAt,
      }),
    );
  }

  async #loadHighWater(): Promise<Map<string, HighWater>> {
    const rows = await this.db.select().from(readingHighWater);
    this.#highWater = new Map(
      rows.map((r) => [`${r.deviceId}/${r.channel}`, { lastSeq: r.lastSeq, lastAt: r.lastAt }]),
    );
    return this.#highWater;
  }

  /**
   * The group and its pass in one transaction, if the processor takes it inline: the readings are inserted
   * under the ids AUTOINCREMENT would give them next (the inbox is the table's only writer; a clash would
   * fail the insert, and the whole transaction with it) and deleted by the pass, which also records them in
   * the per-device cursors. Null when the group is to be queued: not taken inline, or the transaction
   * failed (rolled back whole; the caller stores the group the queued way, and reports the disk if that
   * fails too).
   */
  async #insertProcessed(batch: Pending[], marks: Map<string, HighWater>): Promise<number[] | null> {
    if (!this.#processor) return null;
    let ids: number[];
    let pass: InlinePass | null;
    let results: unknown[];
    let inserted: number;
    try {
      const [sequence] = await this.db.all<{ seq: number }>(
        sql`SELECT seq FROM sqlite_sequence WHERE name = 'readings'`,
      );
      const firstId = Number(sequence?.seq ?? 0) + 1;
      ids = batch.map((_, index) => firstId + index);
      pass = this.#processor.inline(
        batch.map((entry, index) => ({
          id: ids[index]!,
          deviceId: entry.deviceId,
          channel: entry.channel,
          payload: entry.payload,
        })),
      );
      if (!pass) return null;
      const inserts = this.#insertStatements(batch, marks, ids);
      inserted = inserts.length;
      const [first, ...rest] = [...inserts, ...pass.statements];
      results = await this.db.batch([first!, ...rest]);
    } catch (error) {
      this.log.warn('inline pass not committed; the readings are queued for a pass', { error });
      return null;
    }
    // Committed: from here on the group must not be stored again, whatever happens.
    try {
      pass.committed(results.slice(inserted));
    } catch (error) {
      this.log.error('inline pass committed, but announcing it failed', { error });
    }
    return ids;
  }

  /** The readings' insert statements (with the given ids, or AUTOINCREMENT's), then the high-water marks'. */
  #insertStatements(batch: Pending[], marks: Map<string, HighWater>, ids?: number[]) {
    const rows = batch.map(({ deviceId, channel, payload, receivedAt }, index) => ({
      ...(ids ? { id: ids[index]! } : {}),
      deviceId,
      channel,
      payload,
      receivedAt,
    }));
    const statements = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      statements.push(
        this.db
          .insert(readings)
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .returning({ id: readings.id }),
      );
    }
    const markRows = [...marks].map(([key, mark]) => {
      const [deviceId, channel] = key.split('/') as [string, 'weight' | 'scan'];
      return { deviceId, channel, ...mark };
    });
    const markStatement = this.db
      .insert(readingHighWater)
      .values(markRows)
      .onConflictDoUpdate({
        target: [readingHighWater.deviceId, readingHighWater.channel],
        set: { lastSeq: sql`excluded.last_seq`, lastAt: sql`excluded.last_at` },
      });
    return [...statements, markStatement];
  }

  async #insert(batch: Pending[], marks: Map<string, HighWater>): Promise<number[]> {
    const statements = this.#insertStatements(batch, marks);
    const [first, ...rest] = statements;
    const results = await this.db.batch([first!, ...rest]);
    // One writer, AUTOINCREMENT: ascending ids are the insertion order (RETURNING's own order is unspecified).
    const inserted = results.slice(0, statements.length - 1) as Array<Array<{ id: number }>>;
    return inserted
      .flat()
      .map((row) => row.id)
      .sort((a, b) => a - b);
  }
}
