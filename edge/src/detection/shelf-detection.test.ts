import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createRng,
  createShelfScene,
  NORMAL_CONDITIONS,
  renderShelfFrame,
  type ShelfState,
} from '../../../devices/src/camera/index.ts';
import { fileSystemModelHandler } from './model-files.ts';
import { createShelfDetection, selectBackend, type ShelfObservation } from './index.ts';
import { DEFAULT_MODEL_DIR, loadShelfModel } from './shelf-model.ts';

const calm = { ...NORMAL_CONDITIONS, occluderRate: 0, dimRate: 0, offRate: 0 };
const itemIds = Array.from({ length: 8 }, (_, i) => `item-${i + 1}`);
const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds, containerMl: 750, seed: 11 });

let fetchSpy: ReturnType<typeof vi.spyOn>;
beforeAll(() => {
  // The detector must never reach for the network (no CDN for wasm files, no model download).
  fetchSpy = vi.spyOn(globalThis, 'fetch').mockRejectedValue(new Error('network used'));
});
afterAll(() => {
  fetchSpy.mockRestore();
});

describe('the committed shelf detector', () => {
  it('loads from disk without the network', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    const model = await loadShelfModel(DEFAULT_MODEL_DIR);
    expect(model.kind).toBe('layers');
    expect([model.inputHeight, model.inputWidth]).toEqual([128, 32]);
    model.dispose();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('reads presence and fill from rendered JPEG frames', async () => {
    const detection = await createShelfDetection({ slotMap: scene.slotMap, backend: 'wasm' });
    const observations: ShelfObservation[] = [];
    detection.on('observation', (o) => observations.push(o));
    const rng = createRng(5);
    const states: ShelfState[] = [];
    for (let f = 0; f < 3; f++) {
      const state = {
        slots: itemIds.map((itemId, i) => ({
          itemId,
          present: (i + f) % 4 !== 0,
          fillFraction: rng.range(0.1, 1),
        })),
      };
      states.push(state);
      const frame = await renderShelfFrame(scene, state, rng, calm);
      detection.submitFrame('cam-bar-1', frame.jpeg, {
        seq: f,
        at: 1_800_000_000_000,
        width: 1280,
        height: 720,
      });
      await detection.idle();
    }
    expect(observations).toHaveLength(3);
    let right = 0;
    const fillErrors: number[] = [];
    observations.forEach((o, f) =>
      o.slots.forEach((slot, i) => {
        const truth = states[f]!.slots[i]!;
        if (slot.present === truth.present) right++;
        if (truth.present) fillErrors.push(Math.abs(slot.fillFraction - truth.fillFraction));
      }),
    );
    const fillMae = fillErrors.reduce((a, b) => a + b, 0) / fillErrors.length;
    // The committed model reads calm frames far better than these bounds (MODEL_CARD.md); they leave margin.
    expect(right / (3 * itemIds.length)).toBeGreaterThanOrEqual(0.95);
    expect(fillMae).toBeLessThan(0.08);
    expect(detection.stats()).toMatchObject({ framesIn: 3, processed: 3, dropped: 0 });
    expect(detection.stats().lastLatencyMs).toBeGreaterThan(0);
    await detection.close();
  });

  it('refuses bad, oversize and non-JPEG frames with a counted reason, never a throw', async () => {
    const detection = await createShelfDetection({
      slotMap: scene.slotMap,
      backend: 'wasm',
      maxFrameBytes: 300_000,
    });
    const refusals: string[] = [];
    detection.on('refused', (r) => refusals.push(r.reason));
    const frame = await renderShelfFrame(
      scene,
      { slots: itemIds.map((itemId) => ({ itemId, present: true, fillFraction: 1 })) },
      createRng(1),
      calm,
    );
    detection.submitFrame('cam-bar-1', Buffer.from('definitely not a jpeg'));
    detection.submitFrame('cam-bar-1', frame.jpeg.subarray(0, 2_000));
    detection.submitFrame('cam-bar-1', Buffer.concat([frame.jpeg, Buffer.alloc(300_000)]));
    detection.submitFrame('cam-other', frame.jpeg);
    detection.submitFrame('cam-bar-1', frame.jpeg, { seq: -1, at: 0, width: 1280, height: 720 });
    detection.submitFrame('cam-bar-1', undefined as unknown as Buffer);
    await detection.idle();
    expect(refusals.sort()).toEqual([
      'bad-metadata',
      'not-jpeg',
      'not-jpeg',
      'oversize',
      'undecodable',
      'unknown-camera',
    ]);
    expect(detection.stats().refused).toMatchObject({
      'not-jpeg': 2,
      undecodable: 1,
      oversize: 1,
      'unknown-camera': 1,
      'bad-metadata': 1,
    });
    expect(detection.stats().processed).toBe(0);
    await detection.close();
  });

  it('refuses an invalid slot map with path: message lines', async () => {
    const bad = {
      ...scene.slotMap,
      slots: [{ ...scene.slotMap.slots[0]!, rect: { x: 1270, y: 0, w: 100, h: 100 } }],
    };
    await expect(createShelfDetection({ slotMap: bad })).rejects.toThrow(
      /slots\.0\.rect\.w: x \+ w = 1370 exceeds the frame width 1280/,
    );
  });
});

describe('bring your own model', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pourcast-byo-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads the slot map's modelDir (a tiny layers model of another input size) without code changes", async () => {
    await tf.setBackend('wasm').catch(() => tf.setBackend('cpu'));
    // Always says: present, 40 % full, readable (zero kernel, fixed biases through a sigmoid).
    const input = tf.input({ shape: [16, 8, 3] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const out = tf.layers
      .dense({ units: 3, activation: 'sigmoid', kernelInitializer: 'zeros' })
      .apply(flat) as tf.SymbolicTensor;
    const tiny = tf.model({ inputs: input, outputs: out });
    const logit = (p: number) => Math.log(p / (1 - p));
    tiny.layers[2]!.setWeights([
      tf.zeros([16 * 8 * 3, 3]),
      tf.tensor1d([logit(0.99), logit(0.4), logit(0.01)]),
    ]);
    await tiny.save(fileSystemModelHandler(dir));

    const detection = await createShelfDetection({
      slotMap: { ...scene.slotMap, modelDir: dir },
      backend: 'wasm',
    });
    const observations: ShelfObservation[] = [];
    detection.on('observation', (o) => observations.push(o));
    const frame = await renderShelfFrame(
      scene,
      { slots: itemIds.map((itemId) => ({ itemId, present: false, fillFraction: 0 })) },
      createRng(2),
      calm,
    );
    detection.submitFrame('cam-bar-1', frame.jpeg);
    await detection.idle();
    expect(observations[0]!.slots.every((s) => s.present && Math.abs(s.fillFraction - 0.4) < 1e-4)).toBe(
      true,
    );
    await detection.close();
  });
});
