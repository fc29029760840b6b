import { asc, notInArray } from 'drizzle-orm';
import {
  scanSchema,
  weightReadingSchema,
  type ScalePipelineSettings,
  type StockEvent,
} from '@pourcast/protocol';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { pipelineCursor, readings, scaleSlots } from '../db/schema.ts';
import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { CredentialStore } from '../hub-client/credentials.ts';
import type { Logger } from '../log.ts';
import { readRestoreMark } from '../outbox/rebase.ts';
import { commitWork, workStatements } from './commit-work.ts';
import type { BatchItem } from 'drizzle-orm/batch';
import { PipelineWork, slotKey } from './pipeline-work.ts';
import type { ScaleSlotState } from './scale/scale-machine.ts';
import { processWeight } from './scale/scale-pipeline.ts';
import { processScan } from './scanner/scanner-pipeline.ts';

export interface ReadingPipelineDeps {
  db: GatewayDb;
  bus: GatewayBus;
  log: Logger;
  registry: DeviceRegistry;
  catalog: CatalogStore;
  credentials: CredentialStore;
  settings: ScalePipelineSettings;
  /** Readings per pass. */
  batchSize?: number;
  /**
   * How long a new reading waits for others before a pass starts when the pipeline is idle (default 0: the
   * next turn of the event loop, after the inbox commit that stored it). Batching is adaptive rather than
   * timed: readings that arrive while a pass runs are taken together by the pass right after it, so under
   * load passes grow and their number stays bounded by how long each takes. A fixed 50 ms wait added 50 ms
   * to every reading's publish → ledger.
   */
  passDelayMs?: number;
}

/** A reading the inbox is about to commit, with the id it will have. */
export interface InlineReading {
  id: number;
  deviceId: string;
  channel: 'weight' | 'scan';
  payload: string;
}

/** A pass over readings not yet committed, to be written in the same transaction as their inbox insert. */
export interface InlinePass {
  /** Run right after the readings' insert, in the same batch. */
  statements: BatchItem<'sqlite'>[];
  /** After the commit, with the results of exactly `statements`: takes the new state, announces events. */
  committed(results: readonly unknown[]): void;
}

/** What the inbox asks, for each group it commits, whether to process it inline. */
export interface InlineProcessor {
  inline(readings: InlineReading[]): InlinePass | null;
}

/**
 * Consumes the readings inbox in order. A device whose readings cannot be processed yet (no catalog, or
 * an item the catalog lacks) is held: its readings stay in the inbox, in order, and other devices go on.
 * Nothing is processed before the gateway is claimed: events need its gatewayId and locationId.
 */
export class ReadingPipeline implements InlineProcessor {
  readonly #slots = new Map<string, ScaleSlotState>();
  readonly #cursors = new Map<string, number>();
  readonly #held = new Set<string>();
  #running: Promise<void> | null = null;
  #waiting: { cancel: () => void; started: Promise<void>; start: () => void } | null = null;
  #again = false;
  /**
   * Whether the inbox may hold readings no pass has looked at: set when one is queued (and at start, for
   * what a previous run left), cleared when a pass reads the inbox, set again if that pass fails.
   */
  #backlog = true;
  #stopped = false;
  #retryTimer: NodeJS.Timeout | null = null;
  readonly #offs: Array<() => void> = [];
  /**
   * Restored from a backup and not yet re-based on the hub (outbox/rebase.ts): the platforms stand where the
   * backup left them, not where the hub's events after it did, so a weighing now would count that usage again.
   * Weighings are taken from the inbox without effect meanwhile: a platform's next stable weight after the
   * re-base measures all that changed since its newest event (the machine compares levels, not readings).
   */
  #rewound = false;
  /** The re-base moved platforms on in the database: reload them before the next weighing. */
  #reloadSlots = false;

  constructor(private readonly deps: ReadingPipelineDeps) {}

  async start(): Promise<void> {
    this.#rewound = (await readRestoreMark(this.deps.db)) !== null;
    await this.#loadSlots();
    this.#offs.push(
      this.deps.bus.on('ledger-rebased', () => {
        this.#rewound = false;
        this.#reloadSlots = true;
        this.kick();
      }),
    );
    for (const row of await this.deps.db.select().from(pipelineCursor))
      this.#cursors.set(row.deviceId, row.lastReadingId);
    this.#offs.push(
      this.deps.bus.on('reading', () => {
        this.#backlog = true;
        this.kick();
      }),
    );
    this.#offs.push(
      this.deps.bus.on('catalog', () => {
        this.#held.clear();
        this.kick();
      }),
    );
    this.kick(0); // replay whatever a previous run left in the inbox
  }

  async #loadSlots(): Promise<void> {
    this.#slots.clear();
    for (const row of await this.deps.db.select().from(scaleSlots)) {
      this.#slots.set(slotKey(row.deviceId, row.platform), {
        phase: row.phase,
        levelMl: row.levelMl,
        itemId: row.itemId,
        window: row.window,
      });
    }
  }

  /** Devices whose readings wait for catalog data. */
  get heldDevices(): string[] {
    return [...this.#held];
  }

  slotStates(): Array<{ deviceId: string; platform: number; state: ScaleSlotState }> {
    return [...this.#slots].map(([key, state]) => {
      const cut = key.lastIndexOf('/');
      return { deviceId: key.slice(0, cut), platform: Number(key.slice(cut + 1)), state };
    });
  }

  /**
   * Schedules a pass `delayMs` from now (0: on the next turn of the event loop); passes never overlap,
   * kicks while one waits join it, and a kick during a pass runs another right after it.
   */
  kick(delayMs = this.deps.passDelayMs ?? 0): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#waiting) return;
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const go = () => {
      this.#waiting = null;
      this.#run();
      start();
    };
    let cancel: () => void;
    if (delayMs > 0) {
      const timer = setTimeout(go, delayMs);
      cancel = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(go);
      cancel = () => clearImmediate(immediate);
    }
    this.#waiting = { cancel, started, start };
  }

  #run(): void {
    this.#running = this.#drain().finally(() => {
      this.#running = null;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        this.kick();
      }
    });
  }

  /** Resolves when no pass is running or scheduled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running || this.#waiting) {
      if (this.#waiting) await this.#waiting.started;
      if (this.#running) await this.#running;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#waiting) {
      // Readings a waiting pass would have taken stay in the inbox: the next start replays them.
      this.#waiting.cancel();
      this.#waiting.start(); // whoever waits in idle() goes on
      this.#waiting = null;
    }
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#offs.forEach((off) => off());
    await this.idle();
  }

  async #drain(): Promise<void> {
    const limit = this.deps.batchSize ?? 500;
    try {
      while (!this.#stopped && (await this.#pass(limit)) === limit);
    } catch (error) {
      this.#backlog = true;
      this.deps.log.error('pipeline pass failed; retrying', { error });
      this.#retryTimer = setTimeout(() => this.kick(), 1000);
    }
  }

  /** One pass over up to `limit` readings; returns how many rows were looked at. */
  async #pass(limit: number): Promise<number> {
    const identity = this.deps.credentials.current;
    if (!identity) return 0;
    const { db } = this.deps;
    if (this.#reloadSlots) {
      this.#reloadSlots = false;
      await this.#loadSlots();
    }
    // Every reading queued before this point is committed, so the select below sees it.
    this.#backlog = false;
    const held = [...this.#held];
    const rows = await db
      .select()
      .from(readings)
      .where(held.length ? notInArray(readings.deviceId, held) : undefined)
      .orderBy(asc(readings.id))
      .limit(limit);
    if (rows.length === 0) return 0;
    const work = new PipelineWork();
    for (const row of rows) {
      if (this.#held.has(row.deviceId)) continue; // keep each device's readings in order
      if (row.id <= (this.#cursors.get(row.deviceId) ?? 0)) {
        work.processedIds.push(row.id); // already applied: only the deletion was lost
        continue;
      }
      if (this.#process(row.deviceId, row.channel, row.payload, work) === 'hold') {
        this.#held.add(row.deviceId);
        this.deps.log.warn('readings held until the catalog knows the item', { deviceId: row.deviceId });
        continue;
      }
      work.markProcessed(row.deviceId, row.id);
    }
    if (work.empty) return rows.length;
    this.#apply(work, await commitWork(db, identity, work));
    return rows.length;
  }

  /**
   * The one place that decides "inline or queued" for readings the inbox is about to commit. Inline (their
   * pass written in the inbox's own transaction: one commit, and publish → ledger is publish → PUBACK)
   * only when nothing older can be waiting in front of them: the pipeline started and not stopped, the
   * gateway claimed, no pass running or scheduled, no device held, the inbox seen empty since the last
   * queued reading, and none of these readings held or failing. Otherwise null: the inbox stores them and
   * a pass takes them, as it takes everything after a restart.
   */
  inline(batch: InlineReading[]): InlinePass | null {
    const identity = this.deps.credentials.current;
    if (this.#offs.length === 0 || this.#stopped || !identity) return null;
    if (this.#backlog || this.#running || this.#waiting || this.#held.size > 0) return null;
    if (this.#rewound || this.#reloadSlots) return null;
    const work = new PipelineWork();
    try {
      for (const reading of batch) {
        if (this.#process(reading.deviceId, reading.channel, reading.payload, work) === 'hold') return null;
        work.markProcessed(reading.deviceId, reading.id);
      }
    } catch (error) {
      this.deps.log.warn('inline pass failed; the readings are queued for a pass', { error });
      return null;
    }
    const { statements, events } = workStatements(this.deps.db, identity, work);
    return { statements, committed: (results) => this.#apply(work, events(results)) };
  }

  /** After a pass's commit: its state becomes the pipeline's, its scans and events are announced. */
  #apply(work: PipelineWork, events: StockEvent[]): void {
    for (const update of work.slotUpdates.values())
      this.#slots.set(slotKey(update.deviceId, update.platform), update.state);
    for (const [deviceId, cursor] of work.cursors) this.#cursors.set(deviceId, cursor);
    for (const scan of work.scans) this.deps.bus.emit('scan', scan);
    for (const event of events) this.deps.bus.emit('stock-event', event);
  }

  #process(
    deviceId: string,
    channel: 'weight' | 'scan',
    payload: string,
    work: PipelineWork,
  ): 'done' | 'hold' {
    // The broker validated the payload before it was stored; parse again so the types are checked here too.
    if (channel === 'weight') {
      if (this.#rewound || this.#reloadSlots) return 'done';
      const reading = weightReadingSchema.safeParse(JSON.parse(payload));
      if (!reading.success) return 'done';
      return processWeight({ ...this.deps, slots: this.#slots }, deviceId, reading.data, work);
    }
    const scan = scanSchema.safeParse(JSON.parse(payload));
    if (!scan.success) return 'done';
    return processScan(this.deps.catalog, deviceId, scan.data, work);
  }
}
