import sharp from 'sharp';
import type { CameraSlotMap } from '@pourcast/protocol';
import { bottleStyleFor, type BottleStyle } from './bottle-style.ts';
import { bottleSvg } from './bottle-svg.ts';
import { applyFrameEffects, type FrameEffects } from './frame-effects.ts';
import { occludedShare, occluderSvg, randomOccluder, type Occluder } from './occluder.ts';
import type { Rng } from './rng.ts';
import type { ShelfScene } from './shelf-scene.ts';

/** What stands on each slot right now; supplied by whoever drives the camera (a shift simulator, a test). */
export interface ShelfSlotState {
  itemId: string;
  present: boolean;
  /** Liquid height as a share of the bottle body, 0 empty - 1 full. */
  fillFraction: number;
  /** Defaults to the item's own look (`bottleStyleFor(itemId)`). */
  bottleStyle?: BottleStyle;
}
export interface ShelfState {
  slots: ShelfSlotState[];
}

/** How hard the room and the sensor make the camera's job; probabilities are per frame. */
export interface RenderConditions {
  occluderRate: number;
  dimRate: number;
  offRate: number;
  noiseSigma: [number, number];
  jpegQuality: [number, number];
  shakePx: number;
  castStrength: number;
  gradientStrength: number;
  /** Bottles stand up to this share of the slot width off centre. */
  placementJitter: number;
}

export const NORMAL_CONDITIONS: RenderConditions = {
  occluderRate: 0.1,
  dimRate: 0.08,
  offRate: 0.02,
  noiseSigma: [2, 6],
  jpegQuality: [65, 90],
  shakePx: 3,
  castStrength: 0.1,
  gradientStrength: 0.25,
  placementJitter: 0.03,
};

/** Harder than anything the detector was trained on: more arms, darker, noisier, blockier, shakier. */
export const HARD_CONDITIONS: RenderConditions = {
  occluderRate: 0.35,
  dimRate: 0.2,
  offRate: 0.05,
  noiseSigma: [4, 11],
  jpegQuality: [40, 75],
  shakePx: 7,
  castStrength: 0.2,
  gradientStrength: 0.45,
  placementJitter: 0.06,
};

/** Ground truth for one slot of a rendered frame. */
export interface SlotLabel {
  slotId: string;
  itemId: string;
  present: boolean;
  fillFraction: number;
  /** Share of the slot rectangle hidden by an arm or hand. */
  occludedShare: number;
  /** Nobody could read this slot from this frame: occluded (> 5 %) or the lights are off. */
  uncertain: boolean;
}

export interface RenderedFrame {
  jpeg: Buffer;
  width: number;
  height: number;
  slotMap: CameraSlotMap;
  labels: SlotLabel[];
  lights: 'normal' | 'dimmed' | 'off';
  occluders: number;
  shake: { dx: number; dy: number };
  jpegQuality: number;
}

export const UNCERTAIN_OCCLUDED_SHARE = 0.05;

function backgroundSvg(scene: ShelfScene): string {
  const { width, height, wall, board } = scene;
  const parts = [
    `<defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${wall.top}"/><stop offset="1" stop-color="${wall.bottom}"/></linearGradient></defs>`,
    `<rect x="-40" y="-40" width="${width + 80}" height="${height + 80}" fill="url(#wall)"/>`,
  ];
  if (wall.tile)
    for (let y = 0; y < height + 40; y += 36)
      parts.push(
        `<rect x="-40" y="${y}" width="${width + 80}" height="1.5" fill="#000" fill-opacity="0.18"/>`,
      );
  for (const top of scene.boardTops)
    parts.push(
      `<rect x="-40" y="${top}" width="${width + 80}" height="${board.thickness}" fill="${board.color}"/>`,
      `<rect x="-40" y="${top + board.thickness * 0.6}" width="${width + 80}" height="${board.thickness * 0.4}" fill="${board.edge}"/>`,
      `<rect x="-40" y="${top + board.thickness}" width="${width + 80}" height="${board.thickness * 0.5}" fill="#000" fill-opacity="0.3"/>`,
    );
  return parts.join('');
}

function drawEffects(rng: Rng, c: RenderConditions): { fx: FrameEffects; lights: RenderedFrame['lights'] } {
  const roll = rng.next();
  const lights = roll < c.offRate ? 'off' : roll < c.offRate + c.dimRate ? 'dimmed' : 'normal';
  const brightness =
    lights === 'off'
      ? rng.range(0.03, 0.1)
      : lights === 'dimmed'
        ? rng.range(0.3, 0.55)
        : rng.range(0.8, 1.15);
  const warm = rng.range(-c.castStrength, c.castStrength);
  return {
    lights,
    fx: {
      brightness,
      gradientX: rng.range(-c.gradientStrength, c.gradientStrength),
      gradientY: rng.range(-c.gradientStrength, c.gradientStrength),
      vignette: rng.range(0, 0.4),
      cast: [1 + warm, 1 + rng.range(-c.castStrength, c.castStrength) * 0.5, 1 - warm],
      noiseSigma: rng.range(c.noiseSigma[0], c.noiseSigma[1]),
    },
  };
}

/**
 * Renders one shelf frame as JPEG bytes with its ground truth. The scene is drawn as SVG (sharp/librsvg),
 * then lit, tinted and made noisy pixel by pixel, then JPEG-compressed at a random quality.
 */
export async function renderShelfFrame(
  scene: ShelfScene,
  state: ShelfState,
  rng: Rng,
  conditions: RenderConditions = NORMAL_CONDITIONS,
): Promise<RenderedFrame> {
  const { width, height, slotMap } = scene;
  if (state.slots.length !== slotMap.slots.length)
    throw new RangeError(`shelf state has ${state.slots.length} slots, the scene ${slotMap.slots.length}`);
  const shake = {
    dx: rng.range(-conditions.shakePx, conditions.shakePx),
    dy: rng.range(-conditions.shakePx, conditions.shakePx),
  };
  const bottles = slotMap.slots.map((slot, index) => {
    const s = state.slots[index]!;
    if (!s.present) return '';
    return bottleSvg({
      rect: slot.rect,
      style: s.bottleStyle ?? bottleStyleFor(s.itemId),
      fillFraction: s.fillFraction,
      offsetX: rng.range(-conditions.placementJitter, conditions.placementJitter) * slot.rect.w,
      id: `b${index}`,
    });
  });
  const occluders: Occluder[] = [];
  if (rng.chance(conditions.occluderRate)) {
    occluders.push(randomOccluder(rng, width, height));
    if (rng.chance(0.25)) occluders.push(randomOccluder(rng, width, height));
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<g transform="translate(${shake.dx.toFixed(2)} ${shake.dy.toFixed(2)})">${backgroundSvg(scene)}${bottles.join('')}</g>` +
    occluders.map(occluderSvg).join('') +
    `</svg>`;
  const { fx, lights } = drawEffects(rng, conditions);
  const rgb = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  applyFrameEffects(rgb, width, height, fx, rng);
  const jpegQuality = Math.round(rng.range(conditions.jpegQuality[0], conditions.jpegQuality[1]));
  const jpeg = await sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: jpegQuality, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const labels = slotMap.slots.map((slot, index): SlotLabel => {
    const s = state.slots[index]!;
    const share = occluders.reduce((sum, o) => Math.max(sum, occludedShare(o, slot.rect)), 0);
    return {
      slotId: slot.id,
      itemId: slot.itemId,
      present: s.present,
      fillFraction: s.present ? Math.min(1, Math.max(0, s.fillFraction)) : 0,
      occludedShare: share,
      uncertain: lights === 'off' || share > UNCERTAIN_OCCLUDED_SHARE,
    };
  });
  return { jpeg, width, height, slotMap, labels, lights, occluders: occluders.length, shake, jpegQuality };
}
