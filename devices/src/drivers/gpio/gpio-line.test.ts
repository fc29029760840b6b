import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectGpioBase } from './gpio-line.ts';

/** A stand-in for /sys/class/gpio with the chips a Pi 4 on kernel 6.6 shows. */
function sysfs(chips: Record<string, { label: string; base: number }>): string {
  const root = mkdtempSync(join(tmpdir(), 'pourcast-gpio-'));
  for (const [name, chip] of Object.entries(chips)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'label'), `${chip.label}\n`);
    writeFileSync(join(root, name, 'base'), `${chip.base}\n`);
  }
  writeFileSync(join(root, 'export'), '');
  return root;
}

describe('detectGpioBase', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('finds the SoC pin controller among the chips (Pi 4, kernel 6.6: 512)', () => {
    const root = sysfs({
      gpiochip570: { label: 'raspberrypi-exp-gpio', base: 570 },
      gpiochip512: { label: 'pinctrl-bcm2711', base: 512 },
    });
    roots.push(root);
    expect(detectGpioBase(root)).toBe(512);
  });

  it('knows the Pi 5 controller (RP1)', () => {
    const root = sysfs({ gpiochip571: { label: 'pinctrl-rp1', base: 571 } });
    roots.push(root);
    expect(detectGpioBase(root)).toBe(571);
  });

  it('falls back to 0 (older kernels number from 0) when nothing matches or sysfs is absent', () => {
    const root = sysfs({ gpiochip0: { label: 'some-expander', base: 0 } });
    roots.push(root);
    expect(detectGpioBase(root)).toBe(0);
    expect(detectGpioBase(join(root, 'missing'))).toBe(0);
  });
});
