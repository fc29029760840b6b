/**
 * Labelled shelf-slot crops rendered by the camera simulator (devices/src/camera), shared by
 * train-detector.ts and eval-detector.ts. Every frame goes through the gateway's own decode and crop code.
 */
import {
  createRng,
  createShelfScene,
  randomBottleStyle,
  renderShelfFrame,
  type RenderConditions,
  type Rng,
  type ShelfState,
  type SlotLabel,
} from '../../devices/src/camera/index.ts';
import { bottleGeometry } from '../../devices/src/camera/bottle-svg.ts';
import { decodeFrame } from '../src/detection/frame-decoder.ts';
import { openFrameCache } from './detector-cache.ts';
import { cropSlots } from '../src/detection/slot-crops.ts';

/** Conditions the detector is trained on: between the simulator's normal and the evaluation's hard ones. */
export const TRAINING_CONDITIONS: RenderConditions = {
  occluderRate: 0.3,
  dimRate: 0.15,
  offRate: 0.05,
  noiseSigma: [2, 9],
  jpegQuality: [50, 92],
  shakePx: 5,
  castStrength: 0.15,
  gradientStrength: 0.35,
  placementJitter: 0.05,
};

/** One rendered frame's slot crops (NHWC floats) and their ground truth. */
export interface LabelledFrame {
  index: number;
  crops: Float32Array;
  count: number;
  labels: SlotLabel[];
  /** Per slot, where the bottle body and the liquid are, in crop rows (null for an empty slot). */
  rows: (SlotRows | null)[];
  /** What stood on each slot (bottle styles included) and how the frame was lit and shaken. */
  state: ShelfState;
  lights: 'normal' | 'dimmed' | 'off';
  shake: { dx: number; dy: number };
}

/** Vertical ground truth of one bottle in its crop, in crop-row units (0 = top of the crop, H = bottom). */
export interface SlotRows {
  /** Shoulder: where the body (the part the fill fraction measures) starts. */
  bodyTop: number;
  /** Inside of the glass base: where the body ends. */
  bodyBottom: number;
  liquidTop: number;
}

/** A random bottle level the way a bar's shelf holds them: many full, some nearly empty, the rest anywhere. */
export function randomFill(rng: Rng): number {
  const roll = rng.next();
  return roll < 0.2 ? rng.range(0.97, 1) : roll < 0.3 ? rng.range(0, 0.05) : rng.next();
}

export function randomShelfState(rng: Rng, itemIds: readonly string[]): ShelfState {
  return {
    slots: itemIds.map((itemId) => ({
      itemId,
      present: rng.chance(0.8),
      fillFraction: randomFill(rng),
      bottleStyle: randomBottleStyle(rng),
    })),
  };
}

export interface RenderFramesOptions {
  frames: number;
  seed: number;
  conditions: RenderConditions;
  cropHeight: number;
  cropWidth: number;
  /** Keep the rendered set here (a folder per seed, size, conditions and renderer version) and reuse it. */
  cacheDir?: string;
}

/** Renders `frames` frames, each a new random scene of 6-16 slots, and hands each one's crops and truth on. */
export async function forEachLabelledFrame(
  options: RenderFramesOptions,
  onFrame: (frame: LabelledFrame) => Promise<void> | void,
): Promise<{ renderMs: number; cached: boolean }> {
  const cache = options.cacheDir ? await openFrameCache(options.cacheDir, options) : null;
  if (cache?.complete) {
    for (let f = 0; f < options.frames; f++) await onFrame(await cache.read(f));
    return { renderMs: 0, cached: true };
  }
  const rng = createRng(options.seed);
  let renderMs = 0;
  for (let f = 0; f < options.frames; f++) {
    const slots = rng.int(6, 16);
    const itemIds = Array.from({ length: slots }, (_, i) => `item-${f}-${i}`);
    const scene = createShelfScene({ cameraId: 'cam-train', itemIds, seed: rng.int(1, 2 ** 31) });
    const t = performance.now();
    const state = randomShelfState(rng, itemIds);
    const frame = await renderShelfFrame(scene, state, rng, options.conditions);
    renderMs += performance.now() - t;
    const decoded = await decodeFrame(frame.jpeg, {
      maxBytes: 8 * 1024 * 1024,
      width: frame.width,
      height: frame.height,
    });
    if (!decoded.ok) throw new Error(`rendered frame refused: ${decoded.reason} ${decoded.detail}`);
    const rects = scene.slotMap.slots.map((s) => s.rect);
    const crops = cropSlots(decoded.image, rects, { height: options.cropHeight, width: options.cropWidth });
    const rows = rects.map((rect, i): SlotRows | null => {
      const slot = state.slots[i]!;
      if (!slot.present || !slot.bottleStyle) return null;
      // The renderer's own geometry, moved by the frame's camera shake, in the crop's row units.
      const g = bottleGeometry({
        rect,
        style: slot.bottleStyle,
        fillFraction: slot.fillFraction,
        offsetX: 0,
        id: '',
      });
      const toRow = (y: number) => ((y + frame.shake.dy - rect.y) * options.cropHeight) / rect.h;
      const bodyBottom = g.baseY - g.glassBase;
      return {
        bodyTop: toRow(bodyBottom - g.bodyH),
        bodyBottom: toRow(bodyBottom),
        liquidTop: toRow(bodyBottom - g.bodyH * Math.min(1, Math.max(0, slot.fillFraction))),
      };
    });
    const labelled: LabelledFrame = {
      index: f,
      crops,
      count: rects.length,
      labels: frame.labels,
      rows,
      state,
      lights: frame.lights,
      shake: frame.shake,
    };
    await cache?.write(labelled);
    await onFrame(labelled);
  }
  await cache?.finish();
  return { renderMs, cached: false };
}
