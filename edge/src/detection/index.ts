export { createShelfDetection } from './shelf-detection.ts';
export type {
  FrameRefusal,
  ShelfDetection,
  ShelfDetectionEvents,
  ShelfDetectionOptions,
  ShelfDetectionStats,
  ShelfObservation,
  SlotChange,
  SlotObservation,
} from './shelf-detection.ts';
export { DETECTOR_BACKENDS, selectBackend, type DetectorBackend } from './backend.ts';
export { FRAME_REFUSAL_REASONS, decodeFrame, type FrameRefusalReason } from './frame-decoder.ts';
export { DEFAULT_MODEL_DIR, loadShelfModel, type ShelfModel, type SlotPrediction } from './shelf-model.ts';
export type { ChangeKind } from './smoothing-rules.ts';
