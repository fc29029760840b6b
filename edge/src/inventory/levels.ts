import type { CatalogStore } from '../hub-client/catalog-store.ts';
import type { ReadingPipeline } from '../ingest/reading-pipeline.ts';

/** One scale slot's current level, for the local display. */
export interface SlotLevel {
  deviceId: string;
  slot: string;
  itemId: string | null;
  itemName: string | null;
  containerMl: number | null;
  /** ml in the bottle as last written to the ledger; null before the first stable weight. */
  levelMl: number | null;
  /** Share of the container, 0-1, or null. */
  fill: number | null;
  /** bottle: standing on the platform; empty: lifted (levelMl is the level it left with). */
  phase: 'unknown' | 'empty' | 'bottle';
}

/** Current levels per slot, from the scale slot state the pipeline commits with each ledger write. */
export function currentLevels(pipeline: ReadingPipeline, catalog: CatalogStore): SlotLevel[] {
  return pipeline
    .slotStates()
    .map(({ deviceId, platform, state }) => {
      const item = state.itemId ? catalog.item(state.itemId) : undefined;
      return {
        deviceId,
        slot: `platform-${platform}`,
        itemId: state.itemId,
        itemName: item?.name ?? null,
        containerMl: item?.containerMl ?? null,
        levelMl: state.levelMl,
        fill: item && state.levelMl !== null ? Math.min(1, state.levelMl / item.containerMl) : null,
        phase: state.phase,
      };
    })
    .sort((a, b) => a.deviceId.localeCompare(b.deviceId) || a.slot.localeCompare(b.slot));
}
