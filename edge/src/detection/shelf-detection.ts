import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import {
  cameraSlotMapSchema,
  formatIssues,
  frameMetadataSchema,
  type CameraSlotMap,
  type FrameMetadata,
} from '@pourcast/protocol';
import type { Logger } from '../log.ts';
import { selectBackend, type DetectorBackend } from './backend.ts';
import { decodeFrame, FRAME_REFUSAL_REASONS, type FrameRefusalReason } from './frame-decoder.ts';
import { createFrameQueue } from './frame-queue.ts';
import { DEFAULT_MODEL_DIR, loadShelfModel, type ShelfModel } from './shelf-model.ts';
import { cropSlots } from './slot-crops.ts';
import { SlotSmoother } from './slot-smoother.ts';
import { levelStepFor, type ChangeKind } from './smoothing-rules.ts';

export interface ShelfDetectionOptions {
  /** The camera's slot map (validated here; `cameraSlotMapSchema`). */
  slotMap: unknown;
  /** A TF.js model directory; overrides the slot map's `modelDir`; default the committed shelf detector. */
  modelDir?: string;
  backend?: DetectorBackend;
  logger?: Logger;
  /** Largest frame accepted (default 2 MiB, as the broker's default). */
  maxFrameBytes?: number;
  /** Frames that may wait while one is processed; the oldest waiting is dropped beyond (default 2). */
  queueCapacity?: number;
}

export interface SlotObservation {
  slotId: string;
  itemId: string;
  presence: number;
  present: boolean;
  fillFraction: number;
  uncertain: number;
}

/** What the detector read from one frame, before smoothing. */
export interface ShelfObservation {
  cameraId: string;
  seq?: number;
  capturedAt?: number;
  receivedAt: number;
  latencyMs: number;
  slots: SlotObservation[];
}

/** A confirmed change of one slot (after smoothing); the lead turns it into a ledger `count` event. */
export interface SlotChange {
  cameraId: string;
  slotId: string;
  itemId: string;
  kind: ChangeKind;
  present: boolean;
  fillFraction: number;
  /** fillFraction × the slot's containerMl, when the slot map gives one. */
  levelMl?: number;
  confidence: number;
  /** Gateway time (ms) of the frame that confirmed the change. */
  at: number;
}

export interface FrameRefusal {
  cameraId: string;
  deviceId: string;
  reason: FrameRefusalReason;
  detail: string;
}

export interface ShelfDetectionEvents {
  observation: ShelfObservation;
  change: SlotChange;
  refused: FrameRefusal;
}

export interface ShelfDetectionStats {
  backend: DetectorBackend;
  framesIn: number;
  processed: number;
  dropped: number;
  refused: Record<FrameRefusalReason, number>;
  lastLatencyMs: number | null;
}

export interface ShelfDetection {
  readonly cameraId: string;
  readonly slotMap: CameraSlotMap;
  readonly backend: DetectorBackend;
  /** Queues a frame; never throws. A bad frame is refused with a counted reason (and a 'refused' event). */
  submitFrame(deviceId: string, jpeg: Buffer, meta?: FrameMetadata, receivedAt?: number): void;
  on<K extends keyof ShelfDetectionEvents>(
    name: K,
    listener: (event: ShelfDetectionEvents[K]) => void,
  ): () => void;
  stats(): ShelfDetectionStats;
  /** Resolves when every queued frame has been processed. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface QueuedFrame {
  deviceId: string;
  jpeg: Buffer;
  meta?: FrameMetadata;
  receivedAt: number;
}

export async function createShelfDetection(options: ShelfDetectionOptions): Promise<ShelfDetection> {
  const parsed = cameraSlotMapSchema.safeParse(options.slotMap);
  if (!parsed.success) throw new Error(`invalid camera slot map:\n${formatIssues(parsed.error).join('\n')}`);
  const slotMap = parsed.data;
  const log = options.logger?.child({ module: 'detection', cameraId: slotMap.cameraId });
  const backend = await selectBackend(options.backend, log);
  const modelDir = resolve(options.modelDir ?? slotMap.modelDir ?? DEFAULT_MODEL_DIR);
  const model: ShelfModel = await loadShelfModel(modelDir);
  const smoothing = levelStepFor(slotMap.smoothing, model.fillMae);
  log?.info('shelf detector loaded', {
    modelDir,
    kind: model.kind,
    input: [model.inputHeight, model.inputWidth],
    minLevelStep: smoothing.minLevelStep,
  });

  const emitter = new EventEmitter();
  const smoothers = slotMap.slots.map(() => new SlotSmoother(smoothing));
  const rects = slotMap.slots.map((s) => s.rect);
  const maxBytes = options.maxFrameBytes ?? 2 * 1024 * 1024;
  const refused = Object.fromEntries(FRAME_REFUSAL_REASONS.map((r) => [r, 0])) as Record<
    FrameRefusalReason,
    number
  >;
  let framesIn = 0;
  let processed = 0;
  let lastLatencyMs: number | null = null;

  const emit = <K extends keyof ShelfDetectionEvents>(name: K, event: ShelfDetectionEvents[K]): void => {
    try {
      emitter.emit(name, event);
    } catch (error) {
      log?.error('detection listener failed', { event: name, error });
    }
  };
  const refuse = (deviceId: string, reason: FrameRefusalReason, detail: string): void => {
    refused[reason]++;
    log?.warn('frame refused', { deviceId, reason, detail });
    emit('refused', { cameraId: slotMap.cameraId, deviceId, reason, detail });
  };

  // One crop buffer for every frame: the queue processes one frame at a time.
  let crops: Float32Array | undefined;
  async function processFrame(frame: QueuedFrame): Promise<void> {
    const started = performance.now();
    try {
      const decoded = await decodeFrame(frame.jpeg, {
        maxBytes,
        width: slotMap.width,
        height: slotMap.height,
      });
      if (!decoded.ok) return refuse(frame.deviceId, decoded.reason, decoded.detail);
      crops = cropSlots(decoded.image, rects, { height: model.inputHeight, width: model.inputWidth }, crops);
      const predictions = await model.predict(crops, rects.length);
      const latencyMs = performance.now() - started;
      lastLatencyMs = latencyMs;
      processed++;
      const slots = slotMap.slots.map((slot, i): SlotObservation => {
        const p = predictions[i]!;
        return {
          slotId: slot.id,
          itemId: slot.itemId,
          presence: p.presence,
          present: p.presence >= 0.5,
          fillFraction: p.fillFraction,
          uncertain: p.uncertain,
        };
      });
      emit('observation', {
        cameraId: slotMap.cameraId,
        ...(frame.meta ? { seq: frame.meta.seq, capturedAt: frame.meta.at } : {}),
        receivedAt: frame.receivedAt,
        latencyMs,
        slots,
      });
      slotMap.slots.forEach((slot, i) => {
        const p = predictions[i]!;
        const step = smoothers[i]!.observe({ ...p, at: frame.receivedAt });
        if (step.outcome !== 'change') return;
        const { change } = step;
        emit('change', {
          cameraId: slotMap.cameraId,
          slotId: slot.id,
          itemId: slot.itemId,
          kind: change.kind,
          present: change.state.present,
          fillFraction: change.state.fillFraction,
          ...(slot.containerMl ? { levelMl: Math.round(change.state.fillFraction * slot.containerMl) } : {}),
          confidence: change.confidence,
          at: change.at,
        });
      });
    } catch (error) {
      refuse(frame.deviceId, 'detector-error', (error as Error).message.slice(0, 200));
    }
  }

  const queue = createFrameQueue<QueuedFrame>({
    capacity: options.queueCapacity ?? 2,
    process: processFrame,
  });

  return {
    cameraId: slotMap.cameraId,
    slotMap,
    backend,
    submitFrame(deviceId, jpeg, meta, receivedAt = Date.now()) {
      try {
        framesIn++;
        if (deviceId !== slotMap.cameraId)
          return refuse(deviceId, 'unknown-camera', `this detector reads camera ${slotMap.cameraId}`);
        if (!Buffer.isBuffer(jpeg)) return refuse(deviceId, 'not-jpeg', 'frame is not binary');
        if (jpeg.length > maxBytes)
          return refuse(deviceId, 'oversize', `${jpeg.length} bytes, limit ${maxBytes}`);
        if (meta !== undefined) {
          const checked = frameMetadataSchema.safeParse(meta);
          if (!checked.success)
            return refuse(deviceId, 'bad-metadata', formatIssues(checked.error).join('; '));
        }
        queue.push({ deviceId, jpeg, receivedAt, ...(meta ? { meta } : {}) });
      } catch (error) {
        log?.error('submitFrame failed', { error });
      }
    },
    on(name, listener) {
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
    stats: () => ({
      backend,
      framesIn,
      processed,
      dropped: queue.dropped,
      refused: { ...refused },
      lastLatencyMs,
    }),
    idle: () => queue.idle(),
    async close() {
      await queue.close();
      emitter.removeAllListeners();
      model.dispose();
    },
  };
}
