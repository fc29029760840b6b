import type { ScalePipelineSettings } from '@pourcast/protocol';
import { stableWeight } from './stability.ts';

/** What a scale platform knows, persisted per (device, platform) with the ledger in one transaction. */
export interface ScaleSlotState {
  /** unknown: nothing stable seen yet; empty: platform below the lift threshold; bottle: a bottle stands on it. */
  phase: 'unknown' | 'empty' | 'bottle';
  /** The level last written to the ledger for this slot's bottle; null = no saved state. */
  levelMl: number | null;
  itemId: string | null;
  /** The most recent grams, newest last, at most `stableWindow` of them. */
  window: number[];
}

/** The catalog data the scale needs about the item on a platform. */
export interface ScaleItem {
  id: string;
  containerMl: number;
  emptyWeightG: number;
  densityGPerMl: number;
}

export interface ScaleEventDraft {
  kind: 'count' | 'pour';
  deltaMl: number;
  containersDelta: number;
  levelAfterMl: number;
}

export const initialSlotState = (): ScaleSlotState => ({
  phase: 'unknown',
  levelMl: null,
  itemId: null,
  window: [],
});

/** Liquid left in the bottle: max(0, round((grams − empty bottle) / density)). */
export function levelMlFor(grams: number, item: ScaleItem): number {
  return Math.max(0, Math.round((grams - item.emptyWeightG) / item.densityGPerMl));
}

/**
 * Feeds one reading to a platform's state machine. Pure: returns the next state and the events to write.
 * Events are only derived from stable weights, comparing the new level L2 with the last written level L1.
 */
export function stepScale(
  previous: ScaleSlotState,
  grams: number,
  item: ScaleItem,
  settings: ScalePipelineSettings,
): { state: ScaleSlotState; events: ScaleEventDraft[] } {
  const window = [...previous.window, grams].slice(-settings.stableWindow);
  // A platform re-assigned to another item starts over: the old level belongs to another bottle.
  const base: ScaleSlotState =
    previous.itemId === item.id
      ? { ...previous, window }
      : { ...initialSlotState(), itemId: item.id, window };
  const stable = stableWeight(window, settings.stableWindow, settings.stableToleranceG);
  if (stable === null) return { state: base, events: [] };

  // Below the lift threshold the platform is empty: the bottle is in a bartender's hand. Keep L1.
  if (stable < settings.liftThresholdG) return { state: { ...base, phase: 'empty' }, events: [] };

  const l2 = levelMlFor(stable, item);
  const withLevel = (levelMl: number): ScaleSlotState => ({ ...base, phase: 'bottle', levelMl });
  const l1 = base.levelMl;

  // Rule 1: the first stable bottle with no saved state is an observation, not a change.
  if (l1 === null) {
    return {
      state: withLevel(l2),
      events: [{ kind: 'count', deltaMl: 0, containersDelta: 0, levelAfterMl: l2 }],
    };
  }
  const delta = l2 - l1;
  // Rule 2: within ±minPourMl of the last written level is noise; L1 stays, so slow drift still adds up.
  if (Math.abs(delta) < settings.minPourMl) return { state: { ...base, phase: 'bottle' }, events: [] };
  // Rule 3: lighter by at least minPourMl is a pour of the difference.
  if (delta < 0) {
    return {
      state: withLevel(l2),
      events: [{ kind: 'pour', deltaMl: delta, containersDelta: 0, levelAfterMl: l2 }],
    };
  }
  const fullMl = settings.fullBottleShare * item.containerMl;
  // Rule 4: heavier and now full while the old bottle was not: a sealed bottle was opened in its place.
  // The old remainder went out (poured), and one sealed container became an open one at L2.
  if (l2 >= fullMl && l1 < fullMl) {
    const events: ScaleEventDraft[] = [];
    if (l1 > 0) events.push({ kind: 'pour', deltaMl: -l1, containersDelta: 0, levelAfterMl: 0 });
    events.push({ kind: 'count', deltaMl: l2 - item.containerMl, containersDelta: -1, levelAfterMl: l2 });
    return { state: withLevel(l2), events };
  }
  // Rule 5: heavier but not a fresh bottle: an observation correcting the level.
  return {
    state: withLevel(l2),
    events: [{ kind: 'count', deltaMl: delta, containersDelta: 0, levelAfterMl: l2 }],
  };
}
