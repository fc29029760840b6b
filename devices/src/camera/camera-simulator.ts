import type { FrameMetadata } from '@pourcast/protocol';
import {
  NORMAL_CONDITIONS,
  renderShelfFrame,
  type RenderConditions,
  type RenderedFrame,
  type ShelfState,
} from './render-shelf.ts';
import { createRng } from './rng.ts';
import type { ShelfScene } from './shelf-scene.ts';

export interface CameraSimulatorOptions {
  scene: ShelfScene;
  /** Called before each frame: what stands on the shelf now (connect it to the shift simulator). */
  getState: () => ShelfState | Promise<ShelfState>;
  /** Where frames go, e.g. a FramePublisher's publishFrame. */
  send: (jpeg: Buffer, meta: FrameMetadata, frame: RenderedFrame) => Promise<void> | void;
  /** Default 2,000 ms (one frame every 2 s). */
  intervalMs?: number;
  conditions?: RenderConditions;
  seed?: number;
  /** Errors from getState, rendering or sending; the camera keeps going. */
  onError?: (error: unknown) => void;
}

export interface CameraSimulator {
  start(): void;
  /** Stops the timer and waits for a frame in flight. */
  stop(): Promise<void>;
  /** Renders and sends one frame now (a `capture` command). */
  capture(): Promise<RenderedFrame>;
  setIntervalMs(ms: number): void;
  readonly framesSent: number;
}

/** A shelf camera: every interval it asks for the shelf state, renders a frame and sends it. */
export function createCameraSimulator(options: CameraSimulatorOptions): CameraSimulator {
  const rng = createRng(options.seed ?? 1);
  let intervalMs = options.intervalMs ?? 2_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  let seq = 0;
  let framesSent = 0;

  async function capture(): Promise<RenderedFrame> {
    const state = await options.getState();
    const at = Date.now();
    const frame = await renderShelfFrame(options.scene, state, rng, options.conditions ?? NORMAL_CONDITIONS);
    const meta: FrameMetadata = { seq: seq++, at, width: frame.width, height: frame.height };
    await options.send(frame.jpeg, meta, frame);
    framesSent++;
    return frame;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => {
      inFlight = capture()
        .catch((error: unknown) => options.onError?.(error))
        .finally(schedule);
    }, intervalMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
    capture,
    setIntervalMs(ms) {
      if (!(ms >= 100)) throw new RangeError('frame interval must be at least 100 ms');
      intervalMs = ms;
    },
    get framesSent() {
      return framesSent;
    },
  };
}
