import { gt, max, sql } from 'drizzle-orm';
import type { GatewayPars, StockEvent } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';

/** An item's on-hand stock at the bar against its par, ml. */
export interface ParLine {
  parMl: number;
  onHandMl: number;
}

/**
 * Each item's on-hand stock against its par: the hub's figure, which folds this gateway's events up to the
 * pars' `ackSeq`, plus this gateway's own events after that seq, summed the way the hub folds them
 * (Σ deltaMl). A pour the outbox has not forwarded yet, or made while the hub is unreachable, still counts.
 * Events after `ackSeq` are never pruned before the hub acknowledges them and the retention has passed
 * (outbox/forwarder.ts), far longer than the 10 min between par refreshes.
 */
export class ParStanding {
  #pars = new Map<string, { parMl: number | null; onHandMl: number }>();
  #local = new Map<string, number>();
  /** The highest seq already in `#local` (or folded by the hub). */
  #countedThrough = 0;
  /** Events seen while a reload reads the ledger; applied after it. */
  #pending: StockEvent[] | null = null;
  #reloads: Promise<void> = Promise.resolve();

  constructor(private readonly db: GatewayDb) {}

  /** Takes a new set of pars from the hub and sums this gateway's events after its ack seq. */
  reload(pars: GatewayPars): Promise<void> {
    this.#reloads = this.#reloads.then(
      () => this.#reload(pars),
      () => this.#reload(pars),
    );
    return this.#reloads;
  }

  /** A new ledger event (from the bus, after it was committed). */
  add(event: StockEvent): void {
    if (this.#pending) {
      this.#pending.push(event);
      return;
    }
    if (event.seq <= this.#countedThrough) return;
    this.#local.set(event.itemId, (this.#local.get(event.itemId) ?? 0) + event.deltaMl);
    this.#countedThrough = event.seq;
  }

  /** The item's stock against its par, or null when it has none (or no pars came from the hub yet). */
  line(itemId: string): ParLine | null {
    const par = this.#pars.get(itemId);
    if (!par || par.parMl === null) return null;
    return { parMl: par.parMl, onHandMl: par.onHandMl + (this.#local.get(itemId) ?? 0) };
  }

  async #reload(pars: GatewayPars): Promise<void> {
    const pending: StockEvent[] = [];
    this.#pending = pending;
    try {
      const rows = await this.db
        .select({
          itemId: stockEvents.itemId,
          deltaMl: sql<number>`coalesce(sum(${stockEvents.deltaMl}), 0)`,
          lastSeq: max(stockEvents.seq),
        })
        .from(stockEvents)
        .where(gt(stockEvents.seq, pars.ackSeq))
        .groupBy(stockEvents.itemId);
      this.#pars = new Map(pars.items.map((line) => [line.itemId, line]));
      this.#local = new Map(rows.map((row) => [row.itemId, Number(row.deltaMl)]));
      this.#countedThrough = Math.max(pars.ackSeq, ...rows.map((row) => row.lastSeq ?? 0));
    } finally {
      this.#pending = null;
      for (const event of pending) this.add(event);
    }
  }
}
