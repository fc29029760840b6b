import { createRng, hashString, type Rng } from './rng.ts';

/**
 * How a bottle looks. Sizes are shares of its shelf slot, so one style fits any camera. The fill fraction
 * of a bottle is the liquid's height as a share of the body (base to shoulder): what a camera can see.
 */
export interface BottleStyle {
  shape: BottleShape;
  /** Bottle height as a share of the slot height (0.55-0.95). */
  height: number;
  /** Body width as a share of the slot width (0.4-0.85). */
  width: number;
  /** Where the shoulder starts, as a share of the bottle height from the base (0.5-0.8). */
  shoulder: number;
  /** Glass tint, `#rrggbb`, and how opaque it is (0.1 clear flint - 0.6 dark green). */
  glass: string;
  glassOpacity: number;
  /** Liquid colour and opacity (clear spirits are nearly transparent). */
  liquid: string;
  liquidOpacity: number;
  /** Front label: colour, ink colour, height share of the body, vertical centre share, width share. */
  label: { color: string; ink: string; height: number; center: number; width: number } | null;
  /** Cap or cork colour. */
  cap: string;
}

export const BOTTLE_SHAPES = ['round', 'square', 'tall', 'flask', 'squat'] as const;
export type BottleShape = (typeof BOTTLE_SHAPES)[number];

const GLASS = [
  ['#dfe9ea', 0.12], // flint
  ['#cfe3d0', 0.18], // half-flint
  ['#3f6b3a', 0.5], // green
  ['#6b4a25', 0.5], // amber
  ['#9fb7c8', 0.22], // blue-ish
  ['#2b2f33', 0.6], // smoked
] as const;
const LIQUIDS = [
  ['#b86b1d', 0.85], // whisky
  ['#8a4512', 0.9], // dark rum
  ['#d9a441', 0.8], // golden rum / tequila reposado
  ['#e9f1f2', 0.25], // vodka / gin (clear)
  ['#d8ecd0', 0.3], // blanco tequila
  ['#5a1020', 0.92], // red vermouth / port
  ['#2f7a36', 0.85], // green liqueur
  ['#c33a2a', 0.85], // bitter aperitif
  ['#f2d479', 0.75], // elderflower / light liqueur
  ['#3b2416', 0.95], // coffee liqueur
] as const;
const LABELS = ['#f4ecd8', '#ffffff', '#1c1c1c', '#a3162a', '#1f3f74', '#d4af37', '#2e5e3a', '#efe2b8'];
const INKS = ['#111111', '#f5f5f5', '#b8860b', '#7a0f1d'];

export function randomBottleStyle(rng: Rng): BottleStyle {
  const shape = rng.pick(BOTTLE_SHAPES);
  const [glass, glassOpacity] = rng.pick(GLASS);
  const [liquid, liquidOpacity] = rng.pick(LIQUIDS);
  const tall = shape === 'tall';
  const squat = shape === 'squat';
  return {
    shape,
    height: squat ? rng.range(0.55, 0.7) : tall ? rng.range(0.82, 0.95) : rng.range(0.68, 0.9),
    width: shape === 'flask' ? rng.range(0.7, 0.85) : tall ? rng.range(0.4, 0.55) : rng.range(0.5, 0.78),
    shoulder: tall ? rng.range(0.5, 0.62) : squat ? rng.range(0.7, 0.8) : rng.range(0.6, 0.78),
    glass,
    glassOpacity,
    liquid,
    liquidOpacity: Math.min(0.97, liquidOpacity + rng.range(-0.05, 0.05)),
    label: rng.chance(0.9)
      ? {
          color: rng.pick(LABELS),
          ink: rng.pick(INKS),
          height: rng.range(0.2, 0.45),
          center: rng.range(0.35, 0.6),
          width: rng.range(0.55, 0.8),
        }
      : null,
    cap: rng.pick(['#1a1a1a', '#7a5a2e', '#c0c0c0', '#8b0000', '#d4af37', '#20304f']),
  };
}

/** The same look for the same item every time, so a simulated bar's shelf stays recognisable. */
export function bottleStyleFor(itemId: string): BottleStyle {
  return randomBottleStyle(createRng(hashString(itemId)));
}
