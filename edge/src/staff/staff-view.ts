import { desc, eq } from 'drizzle-orm';
import { undoSlot, undoneSeq } from '@pourcast/protocol';
import type {
  DisplayDevice,
  RecentEvent,
  ScannerMode,
  SlotTile,
  StockEvent,
  WeighReading,
} from '@pourcast/protocol';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { DeviceStatusTracker } from '../broker/device-status.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';
import type { CatalogItem, CatalogStore } from '../hub-client/catalog-store.ts';
import type { ScaleSlotState } from '../ingest/scale/scale-machine.ts';
import { toStockEvent } from '../inventory/ledger.ts';
import type { SlotLevel } from '../inventory/levels.ts';
import type { ParLine } from './par-standing.ts';

/** The undo-slot convention is shared with the hub (protocol/src/staff-display.ts). */
export { UNDO_SLOT_PREFIX, undoSlot, undoneSeq } from '@pourcast/protocol';

/** Sources of events a person caused and may take back: scanner reads and the display's own entries. */
export const UNDOABLE_SOURCES: ReadonlySet<StockEvent['source']> = new Set(['scanner', 'display']);

/**
 * A tile is low when the bar's on-hand stock of its item is below the item's par; an item without a par (or
 * before the hub sent any) falls back to the bottle's fill share against `lowFill`.
 */
export function slotTiles(
  levels: readonly SlotLevel[],
  lowFill: number,
  parOf: (itemId: string) => ParLine | null = () => null,
): SlotTile[] {
  return levels.map((level) => {
    const par = level.itemId ? parOf(level.itemId) : null;
    return {
      ...level,
      parMl: par?.parMl ?? null,
      onHandMl: par?.onHandMl ?? null,
      low: par ? par.onHandMl < par.parMl : level.fill !== null && level.fill < lowFill,
    };
  });
}

export function displayDevices(
  registry: DeviceRegistry,
  statuses: DeviceStatusTracker,
  scanMode: (deviceId: string) => ScannerMode = () => ({ mode: null, pending: false, configVersion: null }),
): DisplayDevice[] {
  return registry
    .all()
    .filter((device) => device.revokedAt === null)
    .map((device): DisplayDevice => {
      const tracked = statuses.get(device.id);
      return {
        id: device.id,
        kind: device.kind,
        state: tracked?.status.state ?? 'unknown',
        lastStatusAt: tracked ? new Date(tracked.receivedAt).toISOString() : null,
        ...(device.kind === 'scanner' ? { scanMode: scanMode(device.id) } : {}),
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function recentEvent(event: StockEvent, catalog: CatalogStore, undone: boolean): RecentEvent {
  return {
    event,
    itemName: catalog.item(event.itemId)?.name ?? null,
    undone,
    undoOf: undoneSeq(event),
  };
}

/** The newest events people made (scans, waste, undos), newest first, with what has been undone. */
export async function recentEvents(db: GatewayDb, catalog: CatalogStore, limit = 20): Promise<RecentEvent[]> {
  const rows = await db.select().from(stockEvents).orderBy(desc(stockEvents.seq)).limit(500);
  const events = rows.map(toStockEvent).filter((event) => UNDOABLE_SOURCES.has(event.source));
  const undone = new Set(events.map(undoneSeq).filter((seq) => seq !== null));
  return events.slice(0, limit).map((event) => recentEvent(event, catalog, undone.has(event.seq)));
}

export async function eventBySeq(db: GatewayDb, seq: number): Promise<StockEvent | undefined> {
  const [row] = await db.select().from(stockEvents).where(eq(stockEvents.seq, seq));
  return row ? toStockEvent(row) : undefined;
}

export async function isUndone(db: GatewayDb, seq: number): Promise<boolean> {
  const rows = await db
    .select()
    .from(stockEvents)
    .where(eq(stockEvents.slot, undoSlot(seq)))
    .limit(1);
  return rows.some((row) => row.source === 'display');
}

/** Readings agreeing within this many grams over the scale's window count as stable. */
const STABLE_SPREAD_G = 3;

/** The live weight on one scale platform and, for a chosen item, the liquid it means. */
export function weighReading(
  deviceId: string,
  platform: number,
  state: ScaleSlotState | undefined,
  item: CatalogItem | undefined,
): WeighReading {
  const window = state?.window ?? [];
  const grams = window.at(-1) ?? null;
  const stable = window.length >= 3 && Math.max(...window) - Math.min(...window) <= STABLE_SPREAD_G;
  let levelMl: number | null = null;
  if (grams !== null && item?.emptyWeightG != null && item.densityGPerMl > 0) {
    const liquid = Math.round((grams - item.emptyWeightG) / item.densityGPerMl);
    levelMl = Math.min(item.containerMl, Math.max(0, liquid));
  }
  const fill = levelMl !== null && item ? levelMl / item.containerMl : null;
  return { deviceId, platform, grams: grams === null ? null : Math.round(grams), stable, levelMl, fill };
}
