import type { ScalePipelineSettings, WeightReading } from '@pourcast/protocol';
import type { DeviceRegistry } from '../../broker/device-registry.ts';
import type { CatalogStore } from '../../hub-client/catalog-store.ts';
import { slotKey, type PipelineWork } from '../pipeline-work.ts';
import { initialSlotState, stepScale, type ScaleSlotState } from './scale-machine.ts';

/** Scale events are measurements through a load cell; the level is right to within a few ml. */
export const SCALE_CONFIDENCE = 0.99;

export interface ScalePipelineDeps {
  registry: DeviceRegistry;
  catalog: CatalogStore;
  settings: ScalePipelineSettings;
  /** Committed state per slotKey. */
  slots: Map<string, ScaleSlotState>;
}

/**
 * One weight reading through its platform's state machine. 'hold' when the catalog cannot say what the
 * item weighs yet: the reading stays in the inbox and is retried when a catalog arrives.
 */
export function processWeight(
  deps: ScalePipelineDeps,
  deviceId: string,
  reading: WeightReading,
  work: PipelineWork,
): 'done' | 'hold' {
  const slot = deps.registry.get(deviceId)?.slots.find((s) => s.platform === reading.platform);
  if (!slot) return 'done'; // a platform no item is assigned to: nothing to measure
  const item = deps.catalog.item(slot.itemId);
  if (!item || item.emptyWeightG === null) return 'hold';
  const key = slotKey(deviceId, reading.platform);
  const previous = work.slotUpdates.get(key)?.state ?? deps.slots.get(key) ?? initialSlotState();
  const { state, events } = stepScale(
    previous,
    reading.grams,
    {
      id: item.id,
      containerMl: item.containerMl,
      emptyWeightG: item.emptyWeightG,
      densityGPerMl: item.densityGPerMl,
    },
    deps.settings,
  );
  const observedAt = new Date(reading.at).toISOString();
  work.slotUpdates.set(key, { deviceId, platform: reading.platform, state, observedAt });
  for (const event of events) {
    work.drafts.push({
      ...event,
      itemId: item.id,
      source: 'scale',
      deviceId,
      slot: `platform-${reading.platform}`,
      observedAt,
      confidence: SCALE_CONFIDENCE,
    });
  }
  return 'done';
}
