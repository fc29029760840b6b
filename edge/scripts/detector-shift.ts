/**
 * A simulated shift in front of one shelf camera, for eval-detector.ts: bartenders take bottles, pour and
 * put them back lower, swap empties for full ones; the camera renders a frame every 2 s and the detector
 * (through its smoothing) reports changes. Every reported change is matched against the true history.
 */
import {
  createRng,
  createShelfScene,
  randomBottleStyle,
  renderShelfFrame,
  type RenderConditions,
  type ShelfState,
} from '../../devices/src/camera/index.ts';
import { createShelfDetection, type SlotChange } from '../src/detection/index.ts';
import type { DetectorBackend } from '../src/detection/backend.ts';

export interface ShiftOptions {
  minutes: number;
  seed: number;
  slots: number;
  conditions: RenderConditions;
  backend: DetectorBackend;
  modelDir?: string;
}

export interface ShiftResult {
  frames: number;
  hours: number;
  trueChanges: number;
  reported: number;
  falseEvents: number;
  missed: number;
  falseEventsPerCameraHour: number;
  falseExamples: string[];
}

interface TrueChange {
  slot: number;
  at: number;
  present: boolean;
  fill: number;
  matched: boolean;
}

const FRAME_MS = 2_000;
/** A reported change must follow a true one on its slot within this long (smoothing needs ~3 frames). */
const MATCH_WINDOW_MS = 60_000;
const FILL_TOLERANCE = 0.12;

export async function simulateShift(options: ShiftOptions): Promise<ShiftResult> {
  const rng = createRng(options.seed);
  const itemIds = Array.from({ length: options.slots }, (_, i) => `item-${i + 1}`);
  const scene = createShelfScene({ cameraId: 'cam-shift', itemIds, containerMl: 750, seed: options.seed });
  const state: ShelfState = {
    slots: itemIds.map((itemId) => ({
      itemId,
      present: true,
      fillFraction: rng.range(0.2, 1),
      bottleStyle: randomBottleStyle(rng),
    })),
  };
  const detection = await createShelfDetection({
    slotMap: scene.slotMap,
    backend: options.backend,
    ...(options.modelDir ? { modelDir: options.modelDir } : {}),
  });
  const reported: SlotChange[] = [];
  detection.on('change', (change) => reported.push(change));
  const truth: TrueChange[] = [];
  const start = 1_800_000_000_000;
  const frames = Math.round((options.minutes * 60_000) / FRAME_MS);
  // Per slot: when a taken bottle comes back, and how full.
  const away = new Map<number, { backAt: number; fill: number }>();
  for (let f = 0; f < frames; f++) {
    const now = start + f * FRAME_MS;
    for (const [slot, trip] of away)
      if (now >= trip.backAt) {
        state.slots[slot] = { ...state.slots[slot]!, present: true, fillFraction: trip.fill };
        truth.push({ slot, at: now, present: true, fill: trip.fill, matched: false });
        away.delete(slot);
      }
    // About one bottle movement every 40 s on this camera.
    if (rng.chance(FRAME_MS / 40_000)) {
      const slot = rng.int(0, options.slots - 1);
      const s = state.slots[slot]!;
      if (s.present && !away.has(slot)) {
        const replace = s.fillFraction < 0.15 || rng.chance(0.08);
        const fill = replace ? rng.range(0.97, 1) : Math.max(0, s.fillFraction - rng.range(0.03, 0.09));
        state.slots[slot] = { ...s, present: false, ...(replace ? { bottleStyle: s.bottleStyle } : {}) };
        truth.push({ slot, at: now, present: false, fill: 0, matched: false });
        away.set(slot, { backAt: now + rng.range(6_000, 40_000), fill });
      }
    }
    const frame = await renderShelfFrame(scene, structuredClone(state), rng, options.conditions);
    detection.submitFrame(
      'cam-shift',
      frame.jpeg,
      { seq: f, at: now, width: frame.width, height: frame.height },
      now,
    );
    await detection.idle();
  }
  await detection.close();

  const falseExamples: string[] = [];
  let falseEvents = 0;
  for (const change of reported) {
    const slot = scene.slotMap.slots.findIndex((s) => s.id === change.slotId);
    const match = truth.find(
      (t) =>
        !t.matched &&
        t.slot === slot &&
        t.at <= change.at &&
        change.at - t.at <= MATCH_WINDOW_MS &&
        t.present === change.present &&
        (!t.present || Math.abs(t.fill - change.fillFraction) <= FILL_TOLERANCE),
    );
    if (match) match.matched = true;
    else {
      falseEvents++;
      if (falseExamples.length < 5)
        falseExamples.push(
          `${change.slotId} ${change.kind} fill ${change.fillFraction.toFixed(2)} at +${((change.at - start) / 1000).toFixed(0)} s`,
        );
    }
  }
  const hours = (frames * FRAME_MS) / 3_600_000;
  return {
    frames,
    hours,
    trueChanges: truth.length,
    reported: reported.length,
    falseEvents,
    missed: truth.filter((t) => !t.matched).length,
    falseEventsPerCameraHour: falseEvents / hours,
    falseExamples,
  };
}
