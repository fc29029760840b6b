import type { SlotRect } from '@pourcast/protocol';
import type { Rng } from './rng.ts';

/** A bartender's arm reaching into the shelf: a thick segment from the frame edge ending in a hand. */
export interface Occluder {
  from: { x: number; y: number };
  to: { x: number; y: number };
  /** Half the arm's thickness, px. */
  radius: number;
  handRadius: number;
  sleeve: string;
  skin: string;
}

const SKIN = ['#f1c27d', '#e0ac69', '#c68642', '#8d5524', '#ffdbac', '#5c3a21'];
const SLEEVES = ['#111111', '#1f2a44', '#ffffff', '#7a1f1f', '#2f4f2f', '#555555', '#d9d0c1'];

export function randomOccluder(rng: Rng, width: number, height: number): Occluder {
  const side = rng.pick(['top', 'top', 'left', 'right', 'bottom'] as const);
  const from =
    side === 'top'
      ? { x: rng.range(0, width), y: -40 }
      : side === 'bottom'
        ? { x: rng.range(0, width), y: height + 40 }
        : { x: side === 'left' ? -40 : width + 40, y: rng.range(0, height) };
  const to = { x: rng.range(width * 0.1, width * 0.9), y: rng.range(height * 0.15, height * 0.85) };
  const radius = rng.range(0.045, 0.075) * height;
  return {
    from,
    to,
    radius,
    handRadius: radius * rng.range(1.1, 1.4),
    sleeve: rng.pick(SLEEVES),
    skin: rng.pick(SKIN),
  };
}

export function occluderSvg(o: Occluder): string {
  const dx = o.to.x - o.from.x;
  const dy = o.to.y - o.from.y;
  const length = Math.hypot(dx, dy) || 1;
  // The forearm's last third is bare skin, the rest sleeve.
  const wrist = { x: o.to.x - (dx / length) * o.radius * 3, y: o.to.y - (dy / length) * o.radius * 3 };
  return [
    `<line x1="${o.from.x}" y1="${o.from.y}" x2="${wrist.x}" y2="${wrist.y}" stroke="${o.sleeve}" stroke-width="${o.radius * 2}" stroke-linecap="round"/>`,
    `<line x1="${wrist.x}" y1="${wrist.y}" x2="${o.to.x}" y2="${o.to.y}" stroke="${o.skin}" stroke-width="${o.radius * 1.7}" stroke-linecap="round"/>`,
    `<ellipse cx="${o.to.x}" cy="${o.to.y}" rx="${o.handRadius}" ry="${o.handRadius * 0.8}" fill="${o.skin}"/>`,
  ].join('');
}

function insideOccluder(o: Occluder, x: number, y: number): boolean {
  const dx = o.to.x - o.from.x;
  const dy = o.to.y - o.from.y;
  const t = Math.max(0, Math.min(1, ((x - o.from.x) * dx + (y - o.from.y) * dy) / (dx * dx + dy * dy || 1)));
  const px = o.from.x + t * dx - x;
  const py = o.from.y + t * dy - y;
  if (px * px + py * py <= o.radius * o.radius) return true;
  const hx = (x - o.to.x) / o.handRadius;
  const hy = (y - o.to.y) / (o.handRadius * 0.8);
  return hx * hx + hy * hy <= 1;
}

/** Share of a slot rectangle the occluder covers, sampled on a 12 × 24 grid. */
export function occludedShare(o: Occluder, rect: SlotRect): number {
  let covered = 0;
  const cols = 12;
  const rows = 24;
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      if (insideOccluder(o, rect.x + ((c + 0.5) / cols) * rect.w, rect.y + ((r + 0.5) / rows) * rect.h))
        covered++;
  return covered / (cols * rows);
}
