import type { Bit, GpioLine } from '../gpio/gpio-line.ts';

/**
 * A pin-level stand-in for an HX711 on a bench, for driver tests above the bit-banging: DOUT goes low
 * when a conversion is ready (every `periodMs`, like the RATE pin's 10 or 80 SPS), each PD_SCK rising
 * edge presents the next bit MSB first, and DOUT goes high again after the 24th bit has been clocked.
 * The count it converts comes from `load()`, so a test can put a bottle on the platform.
 */
export function fakeHx711Chip(load: () => number, periodMs = 12.5) {
  let readyAt = Date.now();
  let shifting = false;
  let bitIndex = 0;
  let word = 0;
  let dout: Bit = 0;
  let clockLevel: Bit = 0;
  const ready = () => !shifting && Date.now() >= readyAt;

  const clock: GpioLine = {
    readSync: () => clockLevel,
    writeSync: (value) => {
      const rising = clockLevel === 0 && value === 1;
      clockLevel = value;
      if (!rising) return;
      if (!shifting && ready()) {
        shifting = true;
        bitIndex = 0;
        word = Math.round(load()) & 0xffffff;
      }
      if (!shifting) return;
      if (bitIndex < 24) {
        dout = ((word >> (23 - bitIndex)) & 1) as Bit;
        bitIndex++;
      } else {
        // 25th-27th pulse: DOUT back high, next conversion starts.
        dout = 1;
        shifting = false;
        readyAt = Date.now() + periodMs;
      }
    },
  };
  const data: GpioLine = {
    readSync: () => (shifting ? dout : ready() ? 0 : 1),
    writeSync: () => {
      throw new Error('DOUT is an input');
    },
  };
  return { clock, data };
}
