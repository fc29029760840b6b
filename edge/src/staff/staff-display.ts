import type {
  GatewayHealth,
  GatewayPars,
  HubLinkState,
  ScanModeRequest,
  ScannerMode,
  ScanModeResponse,
  StaffSnapshot,
  StockEvent,
  UndoRequest,
  WasteEntry,
  WeighReading,
} from '@pourcast/protocol';
import { sniffWastePhoto, wastePhotoProblem } from '@pourcast/protocol';
import { eq } from 'drizzle-orm';
import { stockEvents, wastePhotos } from '../db/schema.ts';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { DeviceStatusTracker } from '../broker/device-status.ts';
import type { GatewayBus } from '../bus.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { ConfigPusher } from '../devices/config-pusher.ts';
import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { ParStore } from '../hub-client/par-store.ts';
import type { ScaleSlotState } from '../ingest/scale/scale-machine.ts';
import { lastSeq, listEvents, type StockEventDraft } from '../inventory/ledger.ts';
import type { SlotLevel } from '../inventory/levels.ts';
import type { Logger } from '../log.ts';
import { AppError } from '../display/app-error.ts';
import { DisplayTokens } from './display-tokens.ts';
import { LiveFeed, sseMessage, type LiveFeedOptions } from './live-feed.ts';
import { ParStanding } from './par-standing.ts';
import {
  UNDOABLE_SOURCES,
  displayDevices,
  eventBySeq,
  isUndone,
  recentEvent,
  recentEvents,
  slotTiles,
  undoSlot,
  undoneSeq,
  weighReading,
} from './staff-view.ts';

export interface StaffDisplayOptions extends LiveFeedOptions {
  db: GatewayDb;
  bus: GatewayBus;
  log: Logger;
  catalog: CatalogStore;
  /** The bar's par levels from the hub: a tile is low when its item's on-hand stock is below par. */
  pars: ParStore;
  registry: DeviceRegistry;
  statuses: DeviceStatusTracker;
  dataDir: string;
  health: () => Promise<GatewayHealth>;
  levels: () => SlotLevel[];
  scaleStates: () => Array<{ deviceId: string; platform: number; state: ScaleSlotState }>;
  record: (drafts: readonly StockEventDraft[]) => Promise<StockEvent[]>;
  /** The devices' config pusher: a bartender's scan mode goes to the scanner as its config. */
  configs: Pick<ConfigPusher, 'push' | 'state' | 'onChange'>;
  /** Fill share under which a tile of an item without a par shows low (default 0.25). */
  lowFill?: number;
  /** How often tiles and the hub link are compared for changes (default 2 s). */
  watchMs?: number;
}

/** A reconnecting display catches up from the ledger; past this many events it reloads the snapshot. */
const MAX_REPLAY = 500;

/** The staff display's side of the gateway: snapshot, live feed, waste, undo and weighing. */
export class StaffDisplay {
  readonly tokens: DisplayTokens;
  readonly feed: LiveFeed;
  readonly lowFill: number;
  readonly #standing: ParStanding;
  readonly #offs: Array<() => void> = [];
  readonly #watch: ReturnType<typeof setInterval>;
  #lastTiles = '';
  #lastHub = '';
  /** Staff writes one at a time, so two undos of one scan cannot both pass the check. */
  #writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: StaffDisplayOptions) {
    this.tokens = new DisplayTokens(o.dataDir, o.log);
    this.tokens.load();
    this.feed = new LiveFeed(o);
    this.lowFill = o.lowFill ?? 0.25;
    this.#standing = new ParStanding(o.db);
    const reload = (pars: GatewayPars) =>
      void this.#standing.reload(pars).then(
        () => this.#checkTiles(),
        (error: unknown) => o.log.warn('staff display: par levels not applied', { error }),
      );
    if (o.pars.current) reload(o.pars.current);
    this.#offs.push(
      o.pars.onChange(reload),
      o.bus.on('stock-event', (event) => {
        this.#standing.add(event);
        const undoOf = undoneSeq(event);
        if (UNDOABLE_SOURCES.has(event.source) || undoOf !== null)
          this.feed.publish('stock', recentEvent(event, o.catalog, false), event.seq);
        this.#checkTiles();
      }),
      o.bus.on('device-status', ({ deviceId }) => this.#publishDevice(deviceId)),
      o.configs.onChange((deviceId) => this.#publishDevice(deviceId)),
    );
    this.#watch = setInterval(() => {
      if (this.feed.size === 0) return;
      this.#checkTiles();
      void this.hubLink().then(
        (hub) => this.#checkHub(hub),
        (error: unknown) => o.log.warn('staff display: hub link state failed', { error }),
      );
    }, o.watchMs ?? 2_000);
    this.#watch.unref?.();
  }

  async hubLink(): Promise<HubLinkState> {
    const health = await this.o.health();
    return {
      reachable: health.outbox.hubReachable,
      claimed: health.gatewayId !== null,
      pending: health.outbox.pending,
    };
  }

  tiles() {
    return slotTiles(this.o.levels(), this.lowFill, (itemId) => this.#standing.line(itemId));
  }

  async snapshot(): Promise<StaffSnapshot> {
    const [seq, recent, hub] = await Promise.all([
      lastSeq(this.o.db),
      recentEvents(this.o.db, this.o.catalog),
      this.hubLink(),
    ]);
    return {
      lastSeq: seq,
      tiles: this.tiles(),
      recent,
      devices: this.#devices(),
      hub,
      items: this.o.catalog
        .items()
        .map((item) => ({
          id: item.id,
          name: item.name,
          containerMl: item.containerMl,
          weighable: item.emptyWeightG !== null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      lowFill: this.lowFill,
    };
  }

  /**
   * An SSE response body. With `afterSeq` (the browser's Last-Event-ID) the events the display missed are
   * replayed from the ledger first; live events that arrive meanwhile follow without gaps or repeats.
   */
  async open(afterSeq: number | null): Promise<ReadableStream<Uint8Array>> {
    const client = this.feed.connect();
    let first = 'retry: 2000\n\n';
    if (afterSeq !== null) {
      const missed = await listEvents(this.o.db, afterSeq, MAX_REPLAY + 1);
      if (missed.length > MAX_REPLAY) first += sseMessage('resync', { reason: 'too many missed events' });
      else
        for (const event of missed)
          if (UNDOABLE_SOURCES.has(event.source))
            first += sseMessage('stock', recentEvent(event, this.o.catalog, false), event.seq);
      // Live events published while the ledger was read are already queued; the client drops repeats by seq.
    }
    first += sseMessage('tiles', { tiles: this.tiles() });
    first += sseMessage('hub', await this.hubLink());
    return client.stream(first);
  }

  recordWaste(entry: WasteEntry & { staff: string }): Promise<StockEvent> {
    const sealedBottle = entry.sealedBottle === true;
    return this.#serial(async () => {
      const item = this.o.catalog.item(entry.itemId);
      if (!item) throw new AppError(422, 'unknown_item', 'no such item', ['itemId: not in the catalog']);
      const [event] = await this.#record({
        itemId: item.id,
        kind: 'waste',
        deltaMl: sealedBottle ? -item.containerMl : -entry.ml,
        containersDelta: sealedBottle ? -1 : 0,
        levelAfterMl: null,
        source: 'display',
        userId: `staff-${entry.staff}`,
        wasteReason: entry.reason,
        ...(entry.note ? { note: entry.note } : {}),
        observedAt: new Date().toISOString(),
        confidence: 1,
      });
      return event!;
    });
  }

  /**
   * Keeps the photo of a waste entry made on a display until the hub has it (outbox/waste-photo-uploader.ts).
   * The bytes must be a JPEG, PNG or WebP of at most 1 MiB; the event must be a display waste entry here.
   */
  async attachWastePhoto(eventId: string, bytes: Uint8Array): Promise<{ eventId: string; size: number }> {
    const problem = wastePhotoProblem(bytes);
    if (problem)
      throw new AppError(problem.status, 'bad_photo', problem.reason, [`image: ${problem.reason}`]);
    const [event] = await this.o.db
      .select({ kind: stockEvents.kind, source: stockEvents.source })
      .from(stockEvents)
      .where(eq(stockEvents.id, eventId));
    if (!event || event.kind !== 'waste' || event.source !== 'display')
      throw new AppError(404, 'not_found', 'no waste entry from a display with that id on this gateway', [
        `eventId: ${eventId}`,
      ]);
    await this.o.db
      .insert(wastePhotos)
      .values({
        eventId,
        contentType: sniffWastePhoto(bytes)!,
        bytes: Buffer.from(bytes),
        takenAt: new Date().toISOString(),
      })
      .onConflictDoUpdate({
        target: wastePhotos.eventId,
        set: {
          contentType: sniffWastePhoto(bytes)!,
          bytes: Buffer.from(bytes),
          attempts: 0,
          nextAttemptAt: 0,
        },
      });
    this.o.bus.emit('waste-photo', { eventId });
    return { eventId, size: bytes.length };
  }

  undo(request: UndoRequest & { staff: string }): Promise<StockEvent> {
    return this.#serial(async () => {
      const target = await eventBySeq(this.o.db, request.seq);
      if (!target) throw new AppError(404, 'not_found', `no event ${request.seq} on this gateway`);
      if (!UNDOABLE_SOURCES.has(target.source) || undoneSeq(target) !== null)
        throw new AppError(409, 'not_undoable', 'only scans and display entries can be undone', [
          `seq: event ${request.seq} came from ${target.source}`,
        ]);
      if (await isUndone(this.o.db, request.seq))
        throw new AppError(409, 'already_undone', `event ${request.seq} is already undone`);
      const [event] = await this.#record({
        itemId: target.itemId,
        kind: 'adjust',
        deltaMl: -target.deltaMl,
        containersDelta: -target.containersDelta,
        levelAfterMl: null,
        source: 'display',
        userId: `staff-${request.staff}`,
        slot: undoSlot(target.seq),
        observedAt: new Date().toISOString(),
        confidence: 1,
      });
      return event!;
    });
  }

  /**
   * A bartender switches a scanner's mode (receive for a delivery, back to count). It goes as the scanner's
   * config, not a `set-scan-mode` command: the config is retained and re-sent until acknowledged, so a
   * scanner that is off or rebooting comes up in the mode asked for, and the display shows when it took it.
   */
  async setScanMode(
    deviceId: string,
    request: ScanModeRequest & { staff: string },
    display: { id: string; name: string },
  ): Promise<ScanModeResponse> {
    const device = this.o.registry.get(deviceId);
    if (!device || device.revokedAt !== null)
      throw new AppError(404, 'not_found', `no device ${deviceId} on this gateway`);
    if (device.kind !== 'scanner')
      throw new AppError(
        422,
        'not_a_scanner',
        `${deviceId} is a ${device.kind}: only scanners have a scan mode`,
        [`deviceId: ${deviceId} is a ${device.kind}`],
      );
    await this.o.configs.push(deviceId, { scanMode: request.mode });
    this.o.log.info('scan mode set by staff', {
      deviceId,
      mode: request.mode,
      staff: request.staff,
      displayId: display.id,
      display: display.name,
    });
    return { deviceId, scanMode: this.#scanMode(deviceId) };
  }

  weigh(deviceId: string, platform: number, itemId?: string): WeighReading {
    const device = this.o.registry.all().find((d) => d.id === deviceId && d.revokedAt === null);
    if (!device || device.kind !== 'scale')
      throw new AppError(404, 'not_found', `no scale ${deviceId} on this gateway`);
    const item = itemId ? this.o.catalog.item(itemId) : undefined;
    if (itemId && !item)
      throw new AppError(422, 'unknown_item', 'no such item', ['itemId: not in the catalog']);
    const state = this.o.scaleStates().find((s) => s.deviceId === deviceId && s.platform === platform)?.state;
    return weighReading(deviceId, platform, state, item);
  }

  close(): void {
    clearInterval(this.#watch);
    for (const off of this.#offs) off();
    this.feed.close();
  }

  async #record(draft: StockEventDraft): Promise<StockEvent[]> {
    try {
      return await this.o.record([draft]);
    } catch (error) {
      if (error instanceof Error && /not claimed/.test(error.message))
        throw new AppError(503, 'not_claimed', 'the gateway is not claimed by a hub yet');
      throw error;
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#writes.then(work, work);
    this.#writes = run.catch(() => {});
    return run;
  }

  #scanMode(deviceId: string): ScannerMode {
    const state = this.o.configs.state(deviceId);
    if (!state) return { mode: null, pending: false, configVersion: null };
    return {
      mode: state.config.scanMode ?? null,
      pending: state.pending,
      configVersion: state.configVersion,
    };
  }

  #devices() {
    return displayDevices(this.o.registry, this.o.statuses, (deviceId) => this.#scanMode(deviceId));
  }

  #publishDevice(deviceId: string): void {
    const device = this.#devices().find((d) => d.id === deviceId);
    if (device) this.feed.publish('device', device);
  }

  #checkTiles(): void {
    if (this.feed.size === 0) return;
    const tiles = this.tiles();
    const text = JSON.stringify(tiles);
    if (text === this.#lastTiles) return;
    this.#lastTiles = text;
    this.feed.publish('tiles', { tiles });
  }

  #checkHub(hub: HubLinkState): void {
    const text = JSON.stringify(hub);
    if (text === this.#lastHub) return;
    this.#lastHub = text;
    this.feed.publish('hub', hub);
  }
}
