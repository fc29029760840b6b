import { createClient, type Client } from '@libsql/client';

/**
 * Watches the gateway's readings inbox from outside its process (a second, read-only SQLite connection:
 * WAL lets it read while the gateway writes) to time publish → ledger. The pipeline writes a reading's
 * events and deletes it from the inbox in one transaction (edge/src/ingest/commit-work.ts), so a reading
 * no longer in the inbox is in the ledger. A reading processed inline (edge/src/ingest/inbox.ts) is
 * inserted and deleted in the transaction that writes its events: never seen in the inbox, but its id
 * still moves `sqlite_sequence`, so it is done at the first snapshot that sees it given.
 *
 * Every `intervalMs` it records the inbox's lowest remaining id and the highest id ever given. A reading
 * acknowledged at tAck has an id at most the highest id seen at the first snapshot after tAck; it is in
 * the ledger by the first later snapshot whose lowest remaining id is above that (or whose inbox is empty).
 * The time of that snapshot minus the publish time is an upper bound of the reading's publish → ledger,
 * over by at most about two polling intervals.
 */
export class LedgerWatch {
  readonly #client: Client;
  readonly #snapshots: Array<{ t: number; doneBelow: number; highest: number }> = [];
  #timer: NodeJS.Timeout | null = null;
  #busy = false;

  constructor(
    dbPath: string,
    private readonly intervalMs = 2,
  ) {
    this.#client = createClient({ url: `file:${dbPath}` });
  }

  start(): void {
    this.#snapshots.length = 0;
    this.#timer = setInterval(() => void this.#poll(), this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#busy) await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
  }

  close(): void {
    this.#client.close();
  }

  async #poll(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const result = await this.#client.execute(
        "SELECT (SELECT min(id) FROM readings) AS lo, (SELECT seq FROM sqlite_sequence WHERE name = 'readings') AS hi",
      );
      const row = result.rows[0]!;
      const highest = Number(row.hi ?? 0);
      // Everything below the lowest remaining id is done; an empty inbox means everything given is done.
      const doneBelow = row.lo === null ? highest + 1 : Number(row.lo);
      this.#snapshots.push({ t: performance.now(), doneBelow, highest });
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Publish → ledger upper bounds (ms) for readings published at `sentAt` and acknowledged at `ackedAt`
   * (performance.now() of this process). Readings not seen done before the watch stopped are left out and
   * counted in `unseen`.
   */
  latencies(published: Array<{ sentAt: number; ackedAt: number }>): { ms: number[]; unseen: number } {
    const snapshots = this.#snapshots;
    const byAck = [...published].sort((a, b) => a.ackedAt - b.ackedAt);
    const ms: number[] = [];
    let unseen = 0;
    let first = 0; // first snapshot at or after the ack: its `highest` bounds the reading's id
    let done = 0; // first snapshot where that bound is done (both only move forward: acks are sorted)
    for (const reading of byAck) {
      while (first < snapshots.length && snapshots[first]!.t < reading.ackedAt) first++;
      if (first === snapshots.length) {
        unseen++;
        continue;
      }
      const bound = snapshots[first]!.highest;
      done = Math.max(done, first);
      while (done < snapshots.length && snapshots[done]!.doneBelow <= bound) done++;
      if (done === snapshots.length) {
        unseen++;
        continue;
      }
      ms.push(snapshots[done]!.t - reading.sentAt);
    }
    return { ms: ms.sort((a, b) => a - b), unseen };
  }
}
