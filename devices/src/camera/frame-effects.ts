import type { Rng } from './rng.ts';

/** What the sensor and the room do to a frame after the scene is drawn. */
export interface FrameEffects {
  /** Overall light level: ~1 normal, 0.3-0.55 dimmed, < 0.12 lights off. */
  brightness: number;
  /** Linear light gradient across the frame (share of brightness per frame width / height). */
  gradientX: number;
  gradientY: number;
  /** Darkening towards the corners, 0-0.5. */
  vignette: number;
  /** Per-channel gains for a colour cast (warm tungsten, cold LED ...). */
  cast: [number, number, number];
  /** Gaussian sensor noise, standard deviation in 8-bit levels. */
  noiseSigma: number;
}

const NORMALS = 1 << 16;

/**
 * Applies lighting, colour cast and sensor noise in place to packed RGB pixels. Noise comes from a table of
 * seeded normal deviates read at a random stride, so a frame costs one pass over its pixels.
 */
export function applyFrameEffects(
  rgb: Buffer,
  width: number,
  height: number,
  fx: FrameEffects,
  rng: Rng,
): void {
  const normals = new Float32Array(NORMALS);
  for (let i = 0; i < NORMALS; i++) normals[i] = rng.normal();
  let cursor = rng.int(0, NORMALS - 1);
  const stride = rng.int(1, 97) * 2 + 1;
  const [cr, cg, cb] = fx.cast;
  // Sensor gain rises in the dark, and so does its noise.
  const sigma = fx.noiseSigma / Math.sqrt(Math.max(0.15, Math.min(1, fx.brightness)));
  for (let y = 0; y < height; y++) {
    const v = y / height - 0.5;
    for (let x = 0; x < width; x++) {
      const u = x / width - 0.5;
      const light =
        fx.brightness * (1 + fx.gradientX * u + fx.gradientY * v) * (1 - fx.vignette * (u * u + v * v) * 2);
      const offset = (y * width + x) * 3;
      const gains = [cr * light, cg * light, cb * light];
      for (let c = 0; c < 3; c++) {
        cursor = (cursor + stride) & (NORMALS - 1);
        const value = rgb[offset + c]! * gains[c]! + normals[cursor]! * sigma;
        rgb[offset + c] = value < 0 ? 0 : value > 255 ? 255 : value;
      }
    }
  }
}
