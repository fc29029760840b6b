import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeHx711Pins } from '../test-support/fake-hx711-pins.ts';
import { Hx711, Hx711ProtocolError, Hx711TimingError, toSignedCount } from './hx711.ts';

/** One PD_SCK pulse per data bit, DOUT sampled while PD_SCK is high, MSB first (datasheet Fig. 2). */
function dataPulses(bits: string): string {
  return [...bits.replace(/\s/g, '')].map((bit) => `↑ D${bit} ↓`).join(' ');
}

describe('HX711 conversion words (two’s complement, 24 bits)', () => {
  it.each([
    [0x000000, 0],
    [0x000001, 1],
    [0x7fffff, 8_388_607],
    [0x800000, -8_388_608],
    [0xffffff, -1],
    [0xa5a5a5, -5_921_371],
  ])('%i → %i', (word, count) => {
    expect(toSignedCount(word)).toBe(count);
  });
});

describe('HX711 bit-banging against hand-built pin traces', () => {
  it('reads 0xA5A5A5 at channel A gain 128: ready, 24 data pulses, a 25th pulse, DOUT back high', () => {
    const bits = '1010 0101 1010 0101 1010 0101';
    const pins = fakeHx711Pins({ dout: `0 ${bits} 1` });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs });
    expect(pins.trace()).toBe('↓'); // PD_SCK idles low
    pins.clear();

    expect(hx.isReady()).toBe(true);
    const conversion = hx.shiftOut();

    expect(pins.trace()).toBe(`D0 ${dataPulses(bits)} ↑ ↓ D1`);
    expect(conversion).toEqual({ count: -5_921_371, gain: 'A128', saturated: false });
    expect(pins.remainingDout()).toBe(0);
  });

  it('reads a small positive count', () => {
    const bits = '0000 0000 0000 0011 1110 1000'; // 1000
    const pins = fakeHx711Pins({ dout: `0 ${bits} 1` });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs });
    hx.isReady();
    expect(hx.shiftOut().count).toBe(1000);
  });

  it.each([
    ['0111 1111 1111 1111 1111 1111', 8_388_607],
    ['1000 0000 0000 0000 0000 0000', -8_388_608],
  ])('flags saturation at the range limits (%s)', (bits, count) => {
    const pins = fakeHx711Pins({ dout: `${bits} 1` });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs });
    expect(hx.shiftOut()).toEqual({ count, gain: 'A128', saturated: true });
  });

  it('sends 26 pulses for channel B gain 32 and 27 for channel A gain 64; the gain applies to the NEXT conversion', () => {
    const bits = '0000 0000 0000 0000 0000 0010';
    const b32 = fakeHx711Pins({ dout: `${bits} 1 ${bits} 1` });
    const hxB = new Hx711({ clock: b32.clock, data: b32.data, nowNs: b32.nowNs, gain: 'B32' });
    b32.clear();
    const first = hxB.shiftOut();
    expect(b32.trace()).toBe(`${dataPulses(bits)} ↑ ↓ ↑ ↓ D1`);
    expect(first.gain).toBe('A128'); // after power-up the chip converts channel A at 128
    expect(hxB.shiftOut().gain).toBe('B32');

    const a64 = fakeHx711Pins({ dout: `${bits} 1` });
    const hxA = new Hx711({ clock: a64.clock, data: a64.data, nowNs: a64.nowNs, gain: 'A64' });
    a64.clear();
    hxA.shiftOut();
    expect(a64.trace()).toBe(`${dataPulses(bits)} ↑ ↓ ↑ ↓ ↑ ↓ D1`);
  });

  it('keeps every PD_SCK high time within 0.2-50 µs and every low time at least 0.2 µs', () => {
    const pins = fakeHx711Pins({ dout: `${'0'.repeat(24)} 1`, writeNs: 0, tickNs: 7 });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, gain: 'A64' });
    pins.clear();
    hx.shiftOut();
    const edges = pins.events.filter((e) => e.event === '↑' || e.event === '↓');
    expect(edges).toHaveLength(54);
    for (let i = 0; i + 1 < edges.length; i++) {
      const duration = Number(edges[i + 1]!.atNs - edges[i]!.atNs);
      expect(duration).toBeGreaterThanOrEqual(200);
      if (edges[i]!.event === '↑') expect(duration).toBeLessThanOrEqual(50_000);
    }
  });

  it('discards a conversion when a pulse may have outlasted 60 µs, and assumes the chip reset to A128', () => {
    const bits = '0'.repeat(24);
    // No DOUT check after a discarded read: the chip may have reset.
    const pins = fakeHx711Pins({ dout: `${bits} ${bits} 1`, writeNs: 35_000 });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, gain: 'B32' });
    expect(() => hx.shiftOut()).toThrow(Hx711TimingError);
    expect(hx.stats.timingErrors).toBe(1);
    expect(hx.stats.longestHighNs).toBeGreaterThan(60_000);

    const relaxed = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, maxHighNs: 1e9 });
    expect(relaxed.shiftOut().gain).toBe('A128');
  });

  it('reports a DOUT line that stays low after the 25th pulse as a wiring fault', () => {
    const pins = fakeHx711Pins({ dout: `${'0'.repeat(24)} 0` });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs });
    expect(() => hx.shiftOut()).toThrow(/DOUT still low/);
  });

  it('powers down by holding PD_SCK high over 60 µs and wakes, reset to A128, when it goes low', () => {
    const pins = fakeHx711Pins({ dout: '', tickNs: 500 });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, gain: 'A64' });
    pins.clear();
    hx.powerDown();
    const afterHold = pins.nowNs();
    expect(pins.trace()).toBe('↓ ↑');
    expect(Number(afterHold - pins.events[1]!.atNs)).toBeGreaterThan(60_000);
    hx.powerUp();
    expect(pins.trace()).toBe('↓ ↑ ↓');
  });
});

describe('HX711 read(): gain switch and settling', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops the A128 conversion after power-up and four settling conversions before returning A64 data', async () => {
    const word = (n: number) => n.toString(2).padStart(24, '0');
    // Each conversion: DOUT low (ready), 24 bits, DOUT high after the last pulse.
    const conversions = [11, 12, 13, 14, 15, 16].map((n) => `0 ${word(n)} 1`).join(' | ');
    const pins = fakeHx711Pins({ dout: conversions });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, gain: 'A64' });
    // The first after power-up would already be settling at A128; then the switch to A64 starts over.
    const reading = await hx.read();
    expect(reading).toEqual({ count: 16, gain: 'A64', saturated: false });
    expect(hx.stats.discardedSettling).toBe(5);
    expect(pins.remainingDout()).toBe(0);
  });

  it('returns the fifth conversion at the default gain after power-up', async () => {
    const word = (n: number) => n.toString(2).padStart(24, '0');
    const pins = fakeHx711Pins({ dout: [1, 2, 3, 4, 5].map((n) => `0 ${word(n)} 1`).join(' ') });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs });
    expect((await hx.read()).count).toBe(5);
  });

  it('times out when DOUT never goes low', async () => {
    vi.useFakeTimers();
    const pins = fakeHx711Pins({ dout: '1'.repeat(1000) });
    const hx = new Hx711({ clock: pins.clock, data: pins.data, nowNs: pins.nowNs, pollMs: 5 });
    const pending = expect(hx.waitReady(100)).rejects.toThrow(Hx711ProtocolError);
    await vi.advanceTimersByTimeAsync(200);
    await pending;
  });
});
