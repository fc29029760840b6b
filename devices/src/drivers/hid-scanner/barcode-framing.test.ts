import { afterEach, describe, expect, it, vi } from 'vitest';
import { BarcodeFraming, type BarcodeFramingOptions, type FramedBarcode } from './barcode-framing.ts';

function framing(options: BarcodeFramingOptions) {
  const results: FramedBarcode[] = [];
  return { framing: new BarcodeFraming(options, (r) => results.push(r)), results };
}

describe('BarcodeFraming', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends a code at Enter and ignores a bare Enter', () => {
    const { framing: f, results } = framing({});
    f.pushText('5012345678900\n\n4006381333931\r\n');
    expect(results).toEqual([
      { ok: true, barcode: '5012345678900' },
      { ok: true, barcode: '4006381333931' },
    ]);
  });

  it('ends a code at Tab when told to, and then Enter is just a character', () => {
    const { framing: f, results } = framing({ terminator: 'tab' });
    f.pushText('12345\t');
    expect(results).toEqual([{ ok: true, barcode: '12345' }]);
  });

  it('strips a configured prefix and suffix, and rejects a code without them', () => {
    const { framing: f, results } = framing({ prefix: ']E0', suffix: '#' });
    f.pushText(']E05012345678900#\n5012345678900#\n]E05012345678900\n');
    expect(results).toEqual([
      { ok: true, barcode: '5012345678900' },
      { ok: false, raw: '5012345678900#', reason: 'missing prefix "]E0"' },
      { ok: false, raw: ']E05012345678900', reason: 'missing suffix "#"' },
    ]);
  });

  it('rejects a code in which some key typed no character (wrong layout)', () => {
    const { framing: f, results } = framing({});
    f.pushText('50');
    f.push(null);
    f.pushText('1\n');
    expect(results).toEqual([
      { ok: false, raw: '501', reason: '1 key(s) typed no character: is the keyboard layout right?' },
    ]);
  });

  it('without a terminator, ends a code after the idle time', () => {
    vi.useFakeTimers();
    const { framing: f, results } = framing({ terminator: 'none', idleMs: 50 });
    f.pushText('5012');
    vi.advanceTimersByTime(49);
    f.pushText('345678900');
    expect(results).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(results).toEqual([{ ok: true, barcode: '5012345678900' }]);
  });

  it('drops a stale partial code (someone typed, then walked away)', () => {
    vi.useFakeTimers();
    const { framing: f, results } = framing({ staleMs: 1000 });
    f.pushText('abc');
    vi.advanceTimersByTime(1500);
    f.pushText('5012345678900\n');
    expect(results).toEqual([{ ok: true, barcode: '5012345678900' }]);
  });

  it('at end of input drops a code missing its terminator, but completes one waiting for its idle end', () => {
    const enter = framing({});
    enter.framing.pushText('50123');
    enter.framing.flush();
    expect(enter.results).toEqual([]);

    vi.useFakeTimers();
    const idle = framing({ terminator: 'none' });
    idle.framing.pushText('5012345678900');
    idle.framing.flush();
    expect(idle.results).toEqual([{ ok: true, barcode: '5012345678900' }]);
  });
});
