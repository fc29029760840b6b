import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOptionalModule } from '../optional-module.ts';

export type Bit = 0 | 1;

/**
 * The part of onoff's `Gpio` the drivers use. An onoff `Gpio` satisfies it as is; tests pass a fake
 * line. Synchronous on purpose: bit-banging the HX711 cannot wait for the event loop between edges.
 */
export interface GpioLine {
  readSync(): Bit;
  writeSync(value: Bit): void;
  unexport?(): void;
}

export type GpioDirection = 'in' | 'out' | 'high' | 'low';

interface OnoffModule {
  Gpio: (new (gpio: number, direction: GpioDirection) => GpioLine) & { accessible: boolean };
}

const ONOFF_HINT =
  'Install the devices package on the Pi with optional dependencies (npm install --include=optional), ' +
  'with build-essential and python3 present so epoll can compile; see docs/HARDWARE.md.';

/**
 * Linux numbers sysfs GPIO lines globally; since kernel 6.6 the Pi's header pins no longer start at 0
 * (BCM 5 is sysfs 517 on a Pi 4, other numbers on a Pi 5). We find the base of the SoC's pin controller
 * from /sys/class/gpio/gpiochip<base>/label.
 */
export function detectGpioBase(sysfsRoot = '/sys/class/gpio'): number {
  let entries: string[];
  try {
    entries = readdirSync(sysfsRoot).filter((name) => name.startsWith('gpiochip'));
  } catch {
    return 0;
  }
  for (const entry of entries) {
    try {
      const label = readFileSync(join(sysfsRoot, entry, 'label'), 'utf8').trim();
      if (/^pinctrl-(bcm2835|bcm2711|bcm2712|rp1)$/.test(label)) {
        return Number(readFileSync(join(sysfsRoot, entry, 'base'), 'utf8').trim());
      }
    } catch {
      // An unreadable chip is not ours; keep looking.
    }
  }
  return 0;
}

export interface OpenGpioOptions {
  /** BCM pin number as printed on pinout diagrams (GPIO5 → 5). */
  bcmPin: number;
  direction: GpioDirection;
  /** Added to the BCM number to get the sysfs number; `auto` reads it from sysfs. */
  base?: number | 'auto';
}

export async function openGpioLine(options: OpenGpioOptions): Promise<GpioLine> {
  const onoff = await importOptionalModule<OnoffModule>('onoff', {
    purpose: 'GPIO access (HX711 scale, status LED, buzzer)',
    hint: ONOFF_HINT,
  });
  if (!onoff.Gpio.accessible) {
    throw new Error('GPIO is not accessible here (/sys/class/gpio missing): run the driver on the Pi itself');
  }
  const base = options.base === undefined || options.base === 'auto' ? detectGpioBase() : options.base;
  return new onoff.Gpio(base + options.bcmPin, options.direction);
}
