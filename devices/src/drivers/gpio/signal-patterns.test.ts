import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Bit, GpioLine } from './gpio-line.ts';
import { GpioSignal } from './signal-patterns.ts';

/** The hardware boundary: an output line recording (ms, level). */
function recordingLine() {
  const writes: Array<[number, Bit]> = [];
  const start = Date.now();
  const line: GpioLine = {
    readSync: () => writes.at(-1)?.[1] ?? 0,
    writeSync: (value) => {
      writes.push([Date.now() - start, value]);
    },
  };
  return { line, writes };
}

describe('GpioSignal (status LED / buzzer)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('beeps once for an accepted scan', () => {
    const { line, writes } = recordingLine();
    const signal = new GpioSignal([line]);
    writes.length = 0;
    signal.accepted();
    vi.advanceTimersByTime(1000);
    expect(writes.filter(([, level], i) => i === 0 || writes[i - 1]![1] !== level)).toEqual([
      [0, 0],
      [0, 1],
      [80, 0],
    ]);
  });

  it('beeps three times for a rejected scan, on every line', () => {
    const led = recordingLine();
    const buzzer = recordingLine();
    const signal = new GpioSignal([led.line, buzzer.line]);
    signal.rejected();
    vi.advanceTimersByTime(1000);
    for (const { writes } of [led, buzzer]) {
      const rises = writes.filter(([, level], i) => level === 1 && writes[i - 1]?.[1] === 0).map(([t]) => t);
      expect(rises).toEqual([0, 160, 320]);
      expect(writes.at(-1)).toEqual([400, 0]);
    }
  });
});
