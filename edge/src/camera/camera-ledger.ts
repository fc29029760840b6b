import type { StockEventDraft } from '../inventory/ledger.ts';
import type { SlotChange } from '../detection/index.ts';

/** What the ledger rules need to know about the slot a change came from. */
export interface CameraSlotFacts {
  /** The camera's device id (the event's deviceId). */
  deviceId: string;
  /** The bottle's size: the slot map's containerMl, else the catalog item's. */
  containerMl: number;
  /** True when a scale platform of this gateway weighs the slot's item. */
  weighed: boolean;
}

/**
 * Turns one camera's confirmed slot changes into ledger `count` events (source `camera`), keeping the last
 * level the camera reported for each slot.
 *
 * - `level`: the bottle stood in view and its level dropped: deltaMl is the drop since the camera's last
 *   level of that slot (negative). Without a known earlier level (the first change since the gateway
 *   started and none in the ledger) the event only states the level (deltaMl 0): the smoother's baseline
 *   is never reported, and guessing it would invent stock.
 * - `replaced`: a sealed bottle was opened in the slot: containersDelta −1 and deltaMl = level − containerMl
 *   (what was poured from the new bottle before the camera confirmed it).
 * - `removed` / `returned`: an observation (deltaMl 0). A removed bottle is not measured, so its
 *   levelAfterMl is null; a returned one states the level seen.
 *
 * One measurement per bottle: when a slot's item is ALSO weighed by a scale platform of the same gateway, the
 * scale is the measurement (grams beat pixels) and the camera only observes — every event is deltaMl 0,
 * containersDelta 0 — so the same pour or bottle swap is never counted twice.
 */
export class CameraLedger {
  readonly #lastLevelMl = new Map<string, number>();

  /** Levels by slot id from earlier camera events (the ledger), so a restart keeps measuring drops. */
  constructor(known: ReadonlyMap<string, number> = new Map()) {
    for (const [slotId, levelMl] of known) this.#lastLevelMl.set(slotId, levelMl);
  }

  lastLevelMl(slotId: string): number | undefined {
    return this.#lastLevelMl.get(slotId);
  }

  draftFor(change: SlotChange, facts: CameraSlotFacts): StockEventDraft {
    const levelMl = change.present
      ? Math.max(0, Math.round(change.levelMl ?? change.fillFraction * facts.containerMl))
      : null;
    const previous = this.#lastLevelMl.get(change.slotId);
    if (levelMl !== null) this.#lastLevelMl.set(change.slotId, levelMl);

    let deltaMl = 0;
    let containersDelta = 0;
    if (!facts.weighed && levelMl !== null) {
      if (change.kind === 'level' && previous !== undefined) deltaMl = Math.min(0, levelMl - previous);
      if (change.kind === 'replaced') {
        containersDelta = -1;
        deltaMl = Math.min(0, levelMl - facts.containerMl);
      }
    }
    return {
      itemId: change.itemId,
      kind: 'count',
      deltaMl,
      containersDelta,
      levelAfterMl: levelMl,
      source: 'camera',
      deviceId: facts.deviceId,
      slot: change.slotId,
      observedAt: new Date(change.at).toISOString(),
      confidence: Math.min(1, Math.max(0, change.confidence)),
    };
  }
}
