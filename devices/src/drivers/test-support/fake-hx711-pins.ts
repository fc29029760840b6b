import type { Bit, GpioLine } from '../gpio/gpio-line.ts';

/**
 * The hardware boundary for HX711 tests: a PD_SCK line that records its edges and a DOUT line that
 * plays back hand-written levels, both on a fake nanosecond clock. Nothing here knows the protocol;
 * the expected traces in the tests are written from the datasheet.
 */
export interface FakeHx711PinsOptions {
  /** DOUT levels in the order the driver will read them; spaces and `|` are ignored. */
  dout: string;
  /** How long each GPIO write takes (sysfs on a Pi: a few µs). */
  writeNs?: number;
  /** How far the clock moves on each reading of it. */
  tickNs?: number;
}

export interface TraceEvent {
  /** `↑`/`↓` for PD_SCK edges, `D0`/`D1` for DOUT reads. */
  event: string;
  atNs: bigint;
}

export function fakeHx711Pins(options: FakeHx711PinsOptions) {
  const levels = options.dout.replace(/[\s|]/g, '').split('');
  const writeNs = BigInt(options.writeNs ?? 0);
  const tickNs = BigInt(options.tickNs ?? 10);
  let now = 0n;
  let next = 0;
  const events: TraceEvent[] = [];
  const clock: GpioLine = {
    readSync: () => {
      throw new Error('PD_SCK is an output');
    },
    writeSync: (value: Bit) => {
      now += writeNs;
      events.push({ event: value ? '↑' : '↓', atNs: now });
    },
  };
  const data: GpioLine = {
    readSync: () => {
      const level = levels[next++];
      if (level !== '0' && level !== '1') throw new Error(`DOUT trace exhausted after ${next - 1} reads`);
      events.push({ event: `D${level}`, atNs: now });
      return level === '1' ? 1 : 0;
    },
    writeSync: () => {
      throw new Error('DOUT is an input');
    },
  };
  return {
    clock,
    data,
    nowNs: () => (now += tickNs),
    events,
    /** The recorded events as one space-separated string. */
    trace: () => events.map((e) => e.event).join(' '),
    /** Clears the record (e.g. after the constructor's idle-low write). */
    clear: () => events.splice(0, events.length),
    remainingDout: () => levels.length - next,
  };
}
