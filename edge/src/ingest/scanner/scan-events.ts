import type { Scan, WasteReason } from '@pourcast/protocol';

export interface ScanItem {
  id: string;
  containerMl: number;
}

export interface ScanEventDraft {
  kind: 'receive' | 'waste' | 'count';
  itemId: string;
  deltaMl: number;
  containersDelta: number;
  levelAfterMl: null;
  /** Waste mode only: the reason the scanner sent, when it sent one. */
  wasteReason?: WasteReason;
}

/**
 * A scan of a known item, by mode:
 * - receive: q sealed containers arrived → {+q × size ml, +q containers}
 * - waste: q sealed containers lost (breakage, spoiled...) → {−q × size ml, −q containers}, with the scan's
 *   reason carried as `wasteReason` to the hub's waste report
 * - count: a sealed bottle seen, an observation → {0, 0}
 * None measures a container's level, so levelAfterMl is null.
 */
export function scanToEvent(scan: Scan, item: ScanItem): ScanEventDraft {
  const q = scan.quantity;
  switch (scan.mode) {
    case 'receive':
      return {
        kind: 'receive',
        itemId: item.id,
        deltaMl: q * item.containerMl,
        containersDelta: q,
        levelAfterMl: null,
      };
    case 'waste':
      return {
        kind: 'waste',
        itemId: item.id,
        deltaMl: -q * item.containerMl,
        containersDelta: -q,
        levelAfterMl: null,
        ...(scan.reason ? { wasteReason: scan.reason } : {}),
      };
    case 'count':
      return { kind: 'count', itemId: item.id, deltaMl: 0, containersDelta: 0, levelAfterMl: null };
  }
}
