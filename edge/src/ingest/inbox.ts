import { readings } from '../db/schema.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { GatewayBus } from '../bus.ts';
import type { Logger } from '../log.ts';

export interface InboxEntry {
  deviceId: string;
  channel: 'weight' | 'scan';
  /** The validated payload, re-serialised (defaults applied). */
  payload: string;
  receivedAt: number;
}

interface Pending extends InboxEntry {
  done: (error: Error | null) => void;
}

/** Rows per INSERT statement, well under SQLite's 32,766 bound variables. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The readings inbox with group commit. Readings that arrive in the same event-loop turn are inserted in
 * ONE transaction; only after it commits are their callbacks released. The broker's authorizePublish waits
 * for that callback, and aedes writes the PUBACK only after authorizePublish answers
 * (node_modules/aedes/lib/handlers/publish.js: authorizePublish, then enqueuePublish), so a device never
 * holds a PUBACK for a reading that is not on disk.
 */
export class ReadingInbox {
  #queue: Pending[] = [];
  #scheduled = false;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(
    private readonly db: GatewayDb,
    private readonly bus: GatewayBus,
    private readonly log: Logger,
  ) {}

  append(entry: InboxEntry): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('inbox closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ ...entry, done: (error) => (error ? reject(error) : resolve()) });
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
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    let ids: number[];
    try {
      ids = await this.#insert(batch);
    } catch (error) {
      this.log.error('inbox write failed', { error, readings: batch.length });
      for (const entry of batch) entry.done(error as Error);
      return;
    }
    for (const entry of batch) entry.done(null);
    batch.forEach((entry, index) =>
      this.bus.emit('reading', {
        readingId: ids[index]!,
        deviceId: entry.deviceId,
        channel: entry.channel,
        receivedAt: entry.receivedAt,
      }),
    );
  }

  async #insert(batch: Pending[]): Promise<number[]> {
    const rows = batch.map(({ deviceId, channel, payload, receivedAt }) => ({
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
    const [first, ...rest] = statements;
    const results = await this.db.batch([first!, ...rest]);
    // One writer, AUTOINCREMENT: ascending ids are the insertion order (RETURNING's own order is unspecified).
    return results
      .flat()
      .map((row) => row.id)
      .sort((a, b) => a - b);
  }
}
