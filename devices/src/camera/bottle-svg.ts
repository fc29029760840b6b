import type { SlotRect } from '@pourcast/protocol';
import type { BottleStyle } from './bottle-style.ts';

export interface BottlePlacement {
  rect: SlotRect;
  style: BottleStyle;
  fillFraction: number;
  /** Horizontal offset of the bottle from the slot centre, in pixels (bottles are never put back exactly). */
  offsetX: number;
  /** Unique prefix for SVG ids. */
  id: string;
}

/** The outline of the bottle (body, shoulder, neck) as an SVG path, base centre at (cx, baseY). */
function outlinePath(style: BottleStyle, cx: number, baseY: number, bodyW: number, bottleH: number): string {
  const half = bodyW / 2;
  const shoulderY = baseY - bottleH * style.shoulder;
  const neckHalf = Math.max(3, bodyW * (style.shape === 'squat' ? 0.22 : 0.15));
  const neckBottom =
    shoulderY - bottleH * (style.shape === 'tall' ? 0.22 : style.shape === 'square' ? 0.06 : 0.1);
  const top = baseY - bottleH;
  const r = style.shape === 'square' ? 2 : style.shape === 'flask' ? half * 0.5 : half * 0.18;
  const left = cx - half;
  const right = cx + half;
  return [
    `M ${left} ${baseY - r}`,
    `Q ${left} ${baseY} ${left + r} ${baseY}`,
    `L ${right - r} ${baseY}`,
    `Q ${right} ${baseY} ${right} ${baseY - r}`,
    `L ${right} ${shoulderY}`,
    `C ${right} ${(shoulderY + neckBottom) / 2} ${cx + neckHalf} ${shoulderY - (shoulderY - neckBottom) * 0.3} ${cx + neckHalf} ${neckBottom}`,
    `L ${cx + neckHalf} ${top}`,
    `L ${cx - neckHalf} ${top}`,
    `L ${cx - neckHalf} ${neckBottom}`,
    `C ${cx - neckHalf} ${shoulderY - (shoulderY - neckBottom) * 0.3} ${left} ${(shoulderY + neckBottom) / 2} ${left} ${shoulderY}`,
    'Z',
  ].join(' ');
}

/** Geometry shared with the labels: where the body (the part the fill fraction measures) is. */
export function bottleGeometry(p: BottlePlacement): {
  cx: number;
  baseY: number;
  bodyW: number;
  bottleH: number;
  glassBase: number;
  bodyH: number;
} {
  const cx = p.rect.x + p.rect.w / 2 + p.offsetX;
  const baseY = p.rect.y + p.rect.h;
  const bodyW = p.rect.w * p.style.width;
  const bottleH = p.rect.h * p.style.height;
  const glassBase = Math.max(2, bottleH * 0.03);
  const bodyH = bottleH * p.style.shoulder - glassBase;
  return { cx, baseY, bodyW, bottleH, glassBase, bodyH };
}

/** One bottle as SVG: liquid up to its level, tinted glass, highlights, label and cap. */
export function bottleSvg(p: BottlePlacement): string {
  const { cx, baseY, bodyW, bottleH, glassBase, bodyH } = bottleGeometry(p);
  const s = p.style;
  const outline = outlinePath(s, cx, baseY, bodyW, bottleH);
  const fill = Math.min(1, Math.max(0, p.fillFraction));
  const liquidTop = baseY - glassBase - bodyH * fill;
  const half = bodyW / 2;
  const parts: string[] = [
    `<clipPath id="${p.id}c"><path d="${outline}"/></clipPath>`,
    // The glass darkens what is behind it a little, more for dark glass.
    `<path d="${outline}" fill="${s.glass}" fill-opacity="${s.glassOpacity}"/>`,
  ];
  if (fill > 0) {
    parts.push(
      `<g clip-path="url(#${p.id}c)">`,
      `<rect x="${cx - half}" y="${liquidTop}" width="${bodyW}" height="${baseY - liquidTop}" fill="#000" fill-opacity="0.12"/>`,
      `<rect x="${cx - half}" y="${liquidTop}" width="${bodyW}" height="${baseY - liquidTop}" fill="${s.liquid}" fill-opacity="${s.liquidOpacity}"/>`,
      // Meniscus: a bright thin line where the liquid meets the air.
      `<rect x="${cx - half}" y="${liquidTop - 1}" width="${bodyW}" height="2.5" fill="#ffffff" fill-opacity="0.45"/>`,
      `</g>`,
    );
  }
  parts.push(
    `<path d="${outline}" fill="none" stroke="#000" stroke-opacity="0.45" stroke-width="1.5"/>`,
    `<rect x="${cx - half * 0.7}" y="${baseY - bottleH * s.shoulder}" width="${Math.max(2, bodyW * 0.08)}" height="${bodyH * 0.9}" fill="#fff" fill-opacity="0.22" clip-path="url(#${p.id}c)"/>`,
  );
  if (s.label) {
    const lw = bodyW * s.label.width;
    const lh = bodyH * s.label.height;
    const ly = baseY - glassBase - bodyH * s.label.center - lh / 2;
    parts.push(
      `<rect x="${cx - lw / 2}" y="${ly}" width="${lw}" height="${lh}" fill="${s.label.color}"/>`,
      `<rect x="${cx - lw * 0.35}" y="${ly + lh * 0.2}" width="${lw * 0.7}" height="${Math.max(2, lh * 0.12)}" fill="${s.label.ink}"/>`,
      `<rect x="${cx - lw * 0.25}" y="${ly + lh * 0.5}" width="${lw * 0.5}" height="${Math.max(1, lh * 0.07)}" fill="${s.label.ink}" fill-opacity="0.8"/>`,
      `<rect x="${cx - lw * 0.3}" y="${ly + lh * 0.7}" width="${lw * 0.6}" height="${Math.max(1, lh * 0.05)}" fill="${s.label.ink}" fill-opacity="0.6"/>`,
    );
  }
  const neckHalf = Math.max(3, bodyW * (s.shape === 'squat' ? 0.22 : 0.15));
  const capH = bottleH * 0.06;
  parts.push(
    `<rect x="${cx - neckHalf - 1}" y="${baseY - bottleH - capH * 0.3}" width="${neckHalf * 2 + 2}" height="${capH}" rx="1.5" fill="${s.cap}"/>`,
  );
  return parts.join('');
}
