import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FrameMetadata } from '@pourcast/protocol';
import { createCameraSimulator } from './camera-simulator.ts';
import { createShelfScene } from './shelf-scene.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('createCameraSimulator', () => {
  it('renders the current shelf state every interval and sends it with increasing sequence numbers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(1_800_000_000_000);
    const itemIds = ['gin', 'rum', 'vodka', 'tequila', 'whisky', 'vermouth'];
    const scene = createShelfScene({ cameraId: 'cam-bar-1', itemIds, width: 320, height: 180 });
    let fill = 1;
    const getState = vi.fn(() => ({
      slots: itemIds.map((itemId) => ({ itemId, present: true, fillFraction: fill })),
    }));
    const sent: Array<{ meta: FrameMetadata; jpeg: Buffer; fill: number }> = [];
    let notify: () => void = () => {};
    const simulator = createCameraSimulator({
      scene,
      getState,
      intervalMs: 2_000,
      send: (jpeg, meta, frame) => {
        sent.push({ jpeg, meta, fill: frame.labels[0]!.fillFraction });
        notify();
      },
    });
    const nextFrame = () => new Promise<void>((resolve) => (notify = resolve));
    simulator.start();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(getState).not.toHaveBeenCalled();
    let arrived = nextFrame();
    await vi.advanceTimersByTimeAsync(1);
    await arrived;
    fill = 0.5;
    arrived = nextFrame();
    await vi.advanceTimersByTimeAsync(2_000);
    await arrived;
    await simulator.stop();
    expect(sent.map((s) => s.meta.seq)).toEqual([0, 1]);
    expect(sent.map((s) => s.fill)).toEqual([1, 0.5]);
    expect(sent[0]!.meta).toMatchObject({ width: 320, height: 180, at: 1_800_000_002_000 });
    expect((await sharp(sent[1]!.jpeg).metadata()).format).toBe('jpeg');
    expect(simulator.framesSent).toBe(2);
  });
});
