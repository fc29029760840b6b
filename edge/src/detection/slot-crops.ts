import type { SlotRect } from '@pourcast/protocol';

/** A decoded frame: packed RGB bytes, row by row. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface CropSize {
  height: number;
  width: number;
}

/**
 * Cuts each slot rectangle out of the frame and resamples it to the model's input size by box averaging
 * (every source pixel counts, so thin features such as a meniscus survive), as floats in [0, 1].
 * Returns one NHWC batch: crops.length × height × width × 3, written into `into` when it has that size (the
 * gateway reuses one buffer for every frame).
 */
export function cropSlots(
  image: RgbImage,
  rects: readonly SlotRect[],
  size: CropSize,
  into?: Float32Array,
): Float32Array {
  const { height: outH, width: outW } = size;
  const length = rects.length * outH * outW * 3;
  const out = into?.length === length ? into : new Float32Array(length);
  const { data, width } = image;
  let o = 0;
  for (const rect of rects) {
    const x0 = Math.max(0, Math.min(rect.x, image.width - 1));
    const y0 = Math.max(0, Math.min(rect.y, image.height - 1));
    const w = Math.max(1, Math.min(rect.w, image.width - x0));
    const h = Math.max(1, Math.min(rect.h, image.height - y0));
    for (let oy = 0; oy < outH; oy++) {
      const sy0 = y0 + Math.floor((oy * h) / outH);
      const sy1 = Math.max(sy0 + 1, y0 + Math.floor(((oy + 1) * h) / outH));
      for (let ox = 0; ox < outW; ox++) {
        const sx0 = x0 + Math.floor((ox * w) / outW);
        const sx1 = Math.max(sx0 + 1, x0 + Math.floor(((ox + 1) * w) / outW));
        let r = 0;
        let g = 0;
        let b = 0;
        for (let sy = sy0; sy < sy1; sy++) {
          let p = (sy * width + sx0) * 3;
          for (let sx = sx0; sx < sx1; sx++, p += 3) {
            r += data[p]!;
            g += data[p + 1]!;
            b += data[p + 2]!;
          }
        }
        const scale = 1 / (255 * (sy1 - sy0) * (sx1 - sx0));
        out[o++] = r * scale;
        out[o++] = g * scale;
        out[o++] = b * scale;
      }
    }
  }
  return out;
}
