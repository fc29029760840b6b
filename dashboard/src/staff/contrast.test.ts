import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** WCAG 2.x relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const css = readFileSync(join(import.meta.dirname, 'styles.css'), 'utf8');
const vars = Object.fromEntries(
  [...css.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]),
);
const colour = (value: string) => (value.startsWith('#') ? value : vars[value]!);

/** Every text/background pair the stylesheet puts together (text first). */
const PAIRS: Array<[string, string, string]> = [
  ['body text', 'text', 'bg'],
  ['panel text', 'text', 'surface'],
  ['button text', 'text', 'surface-2'],
  ['headings and times', 'muted', 'surface'],
  ['times in the scans list', 'muted', 'surface-2'],
  ['muted on the page', 'muted', 'bg'],
  ['primary button', '#ffffff', 'primary'],
  ['undo button', '#ffffff', 'danger'],
  ['low badge', '#2a0606', 'low'],
  ['ok badge', '#04210f', 'ok'],
  ['offline badge', '#2b2000', 'warn-text'],
  ['hub banner', 'warn-text', 'warn-bg'],
  ['bad banner', '#ffd5d5', 'low-bg'],
  ['low tile text', 'text', 'low-bg'],
  ['error status', 'low', 'surface'],
  ['ok status', 'ok', 'surface'],
];

describe('staff display colours', () => {
  it('meet WCAG AA (4.5:1) for every text on its background', () => {
    const failing = PAIRS.map(([what, fg, bg]) => ({ what, ratio: contrast(colour(fg), colour(bg)) })).filter(
      ({ ratio }) => ratio < 4.5,
    );
    expect(failing).toEqual([]);
  });

  it('computes contrast like WCAG does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
