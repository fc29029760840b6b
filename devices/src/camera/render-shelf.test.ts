import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cameraSlotMapSchema } from '@pourcast/protocol';
import { bottleStyleFor } from './bottle-style.ts';
import {
  NORMAL_CONDITIONS,
  renderShelfFrame,
  type RenderConditions,
  type ShelfState,
} from './render-shelf.ts';
import { createRng } from './rng.ts';
import { createShelfScene, layoutSlots } from './shelf-scene.ts';

const calm: RenderConditions = { ...NORMAL_CONDITIONS, occluderRate: 0, dimRate: 0, offRate: 0 };

function stateFor(itemIds: string[]): ShelfState {
  return {
    slots: itemIds.map((itemId, i) => ({ itemId, present: i % 4 !== 3, fillFraction: (i % 5) / 4 })),
  };
}

describe('renderShelfFrame', () => {
  it('renders a decodable JPEG of the configured size, with a label per slot', async () => {
    const itemIds = Array.from({ length: 8 }, (_, i) => `item-${i}`);
    const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds, width: 640, height: 360 });
    const state = stateFor(itemIds);
    const frame = await renderShelfFrame(scene, state, createRng(3), calm);
    const meta = await sharp(frame.jpeg).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([640, 360]);
    const { data, info } = await sharp(frame.jpeg).raw().toBuffer({ resolveWithObject: true });
    expect(data.length).toBe(info.width * info.height * info.channels);
    expect(frame.labels.map((l) => l.slotId)).toEqual(scene.slotMap.slots.map((s) => s.id));
    frame.labels.forEach((label, i) => {
      expect(label.present).toBe(state.slots[i]!.present);
      expect(label.fillFraction).toBe(state.slots[i]!.present ? state.slots[i]!.fillFraction : 0);
      expect(label.uncertain).toBe(false);
    });
  });

  it('renders the default 1280 × 720 frame and is reproducible from its seed', async () => {
    const itemIds = Array.from({ length: 12 }, (_, i) => `item-${i}`);
    const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds });
    const a = await renderShelfFrame(scene, stateFor(itemIds), createRng(9));
    const b = await renderShelfFrame(scene, stateFor(itemIds), createRng(9));
    const c = await renderShelfFrame(scene, stateFor(itemIds), createRng(10));
    expect(await sharp(a.jpeg).metadata()).toMatchObject({ width: 1280, height: 720 });
    expect(a.jpeg.equals(b.jpeg)).toBe(true);
    expect(a.jpeg.equals(c.jpeg)).toBe(false);
  });

  it('draws the liquid level: a full bottle and an empty one of the same style differ in the lower body', async () => {
    const style = bottleStyleFor('item-whisky');
    const itemIds = ['a', 'b', 'c', 'd', 'e', 'f'];
    const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds, width: 640, height: 360 });
    const still: RenderConditions = {
      ...calm,
      noiseSigma: [0, 0],
      shakePx: 0,
      placementJitter: 0,
      jpegQuality: [95, 95],
    };
    const slots = (fill: number) =>
      itemIds.map((itemId) => ({ itemId, present: true, fillFraction: fill, bottleStyle: style }));
    const full = await renderShelfFrame(scene, { slots: slots(1) }, createRng(1), still);
    const empty = await renderShelfFrame(scene, { slots: slots(0) }, createRng(1), still);
    const rect = scene.slotMap.slots[0]!.rect;
    const region = {
      left: rect.x + Math.round(rect.w * 0.4),
      top: rect.y + Math.round(rect.h * 0.85),
      width: 6,
      height: 6,
    };
    const mean = async (jpeg: Buffer) =>
      (await sharp(jpeg).extract(region).stats()).channels.map((c) => c.mean);
    const [fullMean, emptyMean] = [await mean(full.jpeg), await mean(empty.jpeg)];
    const distance = Math.hypot(...fullMean.map((v, i) => v - emptyMean[i]!));
    expect(distance).toBeGreaterThan(10);
  });

  it('labels slots behind an arm, and every slot when the lights are off, as uncertain', async () => {
    const itemIds = Array.from({ length: 10 }, (_, i) => `item-${i}`);
    const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds, width: 640, height: 360 });
    const armed = await renderShelfFrame(scene, stateFor(itemIds), createRng(5), {
      ...calm,
      occluderRate: 1,
    });
    expect(armed.occluders).toBeGreaterThan(0);
    for (const label of armed.labels) expect(label.uncertain).toBe(label.occludedShare > 0.05);
    const dark = await renderShelfFrame(scene, stateFor(itemIds), createRng(5), { ...calm, offRate: 1 });
    expect(dark.lights).toBe('off');
    expect(dark.labels.every((l) => l.uncertain)).toBe(true);
  });

  it('refuses a shelf state that does not match the scene', async () => {
    const scene = createShelfScene({
      cameraId: 'cam-bar-1',
      itemIds: ['a', 'b', 'c', 'd', 'e', 'f'],
      width: 320,
      height: 180,
    });
    await expect(renderShelfFrame(scene, { slots: [] }, createRng(1))).rejects.toThrow(/0 slots/);
  });
});

describe('shelf layout', () => {
  it('lays 6-16 slots out inside the frame and produces a valid slot map', () => {
    for (const count of [6, 10, 11, 16]) {
      const { rects, boardTops } = layoutSlots(count, 1280, 720);
      expect(rects).toHaveLength(count);
      expect(boardTops).toHaveLength(count > 10 ? 2 : 1);
      for (const r of rects) {
        expect(r.x + r.w).toBeLessThanOrEqual(1280);
        expect(r.y + r.h).toBeLessThanOrEqual(720);
      }
      const scene = createShelfScene({
        cameraId: 'cam-bar-1',
        itemIds: rects.map((_, i) => `item-${i}`),
        containerMl: 750,
      });
      expect(cameraSlotMapSchema.safeParse(scene.slotMap).success).toBe(true);
    }
    expect(() => layoutSlots(0, 1280, 720)).toThrow();
    expect(() => layoutSlots(17, 1280, 720)).toThrow();
  });
});
