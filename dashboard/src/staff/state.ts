import { computed, signal } from '@preact/signals';
import type { DisplayDevice, HubLinkState, RecentEvent, SlotTile, StaffSnapshot } from '@pourcast/protocol';

export type View = 'stock' | 'waste' | 'weigh' | 'settings';

/** Everything the display shows, kept as signals so only what changed re-renders. */
export const tiles = signal<SlotTile[]>([]);
export const recent = signal<RecentEvent[]>([]);
export const devices = signal<DisplayDevice[]>([]);
export const hub = signal<HubLinkState | null>(null);
export const items = signal<StaffSnapshot['items']>([]);
/** Fill share under which the tile of an item without a par is low (items with a par compare stock to par). */
export const lowFill = signal(0.25);
/** The live feed is connected (false: the gateway itself cannot be reached from this screen). */
export const connected = signal(false);
export const loaded = signal(false);
export const view = signal<View>('stock');
export const paired = signal<{ id: string; name: string } | null>(null);
/** Messages from the gateway that failed their schema (counted, never shown as data). */
export const invalidMessages = signal(0);

export const lowTiles = computed(() => tiles.value.filter((tile) => tile.low));
export const offlineDevices = computed(() => devices.value.filter((device) => device.state === 'offline'));

/** Newest events shown in the scans list. */
const RECENT_LIMIT = 20;

export function applySnapshot(snapshot: StaffSnapshot) {
  tiles.value = snapshot.tiles;
  recent.value = snapshot.recent;
  devices.value = snapshot.devices;
  hub.value = snapshot.hub;
  items.value = snapshot.items;
  lowFill.value = snapshot.lowFill;
  loaded.value = true;
}

/** A new event from the live feed: listed once (replays after a reconnect are dropped by seq). */
export function addRecent(entry: RecentEvent) {
  const list = recent.value;
  const known = list.find((r) => r.event.seq === entry.event.seq);
  if (known) {
    // The same event from the write's answer and from the feed: keep one, with the item's name if either has it.
    if (known.itemName === null && entry.itemName !== null)
      recent.value = list.map((r) => (r === known ? { ...r, itemName: entry.itemName } : r));
    return;
  }
  const undoOf = entry.undoOf;
  const marked =
    undoOf === null ? list : list.map((r) => (r.event.seq === undoOf ? { ...r, undone: true } : r));
  recent.value = [entry, ...marked].sort((a, b) => b.event.seq - a.event.seq).slice(0, RECENT_LIMIT);
}

export function updateDevice(device: DisplayDevice) {
  const others = devices.value.filter((known) => known.id !== device.id);
  devices.value = [...others, device].sort((a, b) => a.id.localeCompare(b.id));
}
