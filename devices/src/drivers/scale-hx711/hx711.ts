import type { Bit, GpioLine } from '../gpio/gpio-line.ts';

/**
 * HX711 24-bit load-cell ADC, bit-banged over two GPIO lines. Clause references are to the Avia
 * Semiconductor HX711 datasheet ("24-Bit Analog-to-Digital Converter (ADC) for Weigh Scales").
 */

/** Input and gain: channel A at gain 128 or 64, channel B at gain 32. */
export type Hx711Gain = 'A128' | 'B32' | 'A64';

/**
 * Table 3 "Input Channel and Gain Selection": 25, 26 or 27 PD_SCK pulses in all. The pulses after the
 * 24 data bits choose the input and gain of the NEXT conversion, not the one being read.
 */
export const PULSES_FOR_GAIN: Readonly<Record<Hx711Gain, 25 | 26 | 27>> = { A128: 25, B32: 26, A64: 27 };

/** Table "PD_SCK timing" T3: PD_SCK high time 0.2 µs min, 50 µs max. */
export const T3_HIGH_MIN_NS = 200;
export const T3_HIGH_MAX_NS = 50_000;
/** T4: PD_SCK low time 0.2 µs min. */
export const T4_LOW_MIN_NS = 200;
/** "When PD_SCK pin changes from low to high and stays at high for longer than 60µs, HX711 enters power down mode." */
export const POWER_DOWN_HIGH_NS = 60_000;
/**
 * "Output settling time" 400 ms at RATE=0 (10 SPS) and 50 ms at RATE=1 (80 SPS): four data periods either
 * way, counted "from power up, reset, input channel change and gain change". Those conversions are dropped.
 */
export const SETTLING_CONVERSIONS = 4;
/** "When input differential signal goes out of the 24 bit range, the output data will be saturated at 800000h (MIN) or 7FFFFFh (MAX)". */
export const COUNT_MIN = -0x800000;
export const COUNT_MAX = 0x7fffff;

/** Two's complement 24-bit word → signed count ("The output 24 bits of data is in 2's complement format"). */
export function toSignedCount(word: number): number {
  const masked = word & 0xffffff;
  return masked & 0x800000 ? masked - 0x1000000 : masked;
}

export interface Hx711Conversion {
  /** Signed ADC count. */
  count: number;
  /** Input and gain this conversion was made with. */
  gain: Hx711Gain;
  /** At 800000h or 7FFFFFh: the input was out of range (overload, or a wiring fault). */
  saturated: boolean;
}

/** The clock stayed high long enough that the chip may have powered down and reset mid-read. */
export class Hx711TimingError extends Error {
  override readonly name = 'Hx711TimingError';
}

/** The chip did not behave as the datasheet says: usually wiring (DOUT stuck, no power). */
export class Hx711ProtocolError extends Error {
  override readonly name = 'Hx711ProtocolError';
}

export interface Hx711Options {
  /** PD_SCK, an output, idle low. */
  clock: GpioLine;
  /** DOUT, an input. */
  data: GpioLine;
  /** Gain of the conversions `read()` returns. Default A128. */
  gain?: Hx711Gain;
  /** Monotonic nanosecond clock; tests drive a fake one. Default `process.hrtime.bigint`. */
  nowNs?: () => bigint;
  /**
   * Longest measured PD_SCK high time (upper bound: from before the rising write to after the falling
   * write) before a conversion is discarded. Default 60 µs, where the chip powers down.
   */
  maxHighNs?: number;
  /** How often to look at DOUT while waiting for data. Default 2 ms (a conversion lasts 12.5 or 100 ms). */
  pollMs?: number;
}

export interface Hx711Stats {
  conversions: number;
  discardedSettling: number;
  timingErrors: number;
  /** Longest upper-bound PD_SCK high time seen, in ns. Above T3's 50 µs the host is too slow. */
  longestHighNs: number;
}

export class Hx711 {
  readonly gain: Hx711Gain;
  readonly stats: Hx711Stats = { conversions: 0, discardedSettling: 0, timingErrors: 0, longestHighNs: 0 };
  private readonly clock: GpioLine;
  private readonly data: GpioLine;
  private readonly nowNs: () => bigint;
  private readonly maxHighNs: number;
  private readonly pollMs: number;
  /** "After a reset or power-down event, input selection is default to Channel A with a gain of 128." */
  private pendingGain: Hx711Gain = 'A128';
  private settlingLeft = SETTLING_CONVERSIONS;

  constructor(options: Hx711Options) {
    this.clock = options.clock;
    this.data = options.data;
    this.gain = options.gain ?? 'A128';
    this.nowNs = options.nowNs ?? (() => process.hrtime.bigint());
    this.maxHighNs = options.maxHighNs ?? POWER_DOWN_HIGH_NS;
    this.pollMs = options.pollMs ?? 2;
    // "Serial clock input PD_SCK should be low" while waiting; low also wakes a powered-down chip.
    this.clock.writeSync(0);
  }

  /**
   * "When DOUT goes to low, it indicates data is ready for retrieval." T1, DOUT falling edge to the
   * first PD_SCK rising edge, is 0.1 µs min: far less than the time between this read and `shiftOut`.
   */
  isReady(): boolean {
    return this.data.readSync() === 0;
  }

  /** Waits for DOUT low, polling; rejects after `timeoutMs` (no power, or DOUT not wired). */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isReady()) {
      if (Date.now() >= deadline) {
        throw new Hx711ProtocolError(
          `HX711 not ready within ${timeoutMs} ms: DOUT stayed high (check VCC and DOUT)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /**
   * Shifts one conversion out; call only when ready. "By applying 25~27 positive clock pulses at the
   * PD_SCK pin, data is shifted out from the DOUT output pin. Each PD_SCK pulse shifts out one bit,
   * starting with the MSB bit first, until all 24 bits are shifted out."
   */
  shiftOut(): Hx711Conversion {
    const gain = this.pendingGain;
    let word = 0;
    let longest = 0;
    for (let bit = 0; bit < 24; bit++) {
      const { value, highNs } = this.pulse(true);
      word = (word << 1) | value;
      longest = Math.max(longest, highNs);
    }
    // "PD_SCK clock pulses should not be less than 25 or more than 27 within one conversion period."
    for (let extra = 24; extra < PULSES_FOR_GAIN[this.gain]; extra++) {
      longest = Math.max(longest, this.pulse(false).highNs);
    }
    this.stats.longestHighNs = Math.max(this.stats.longestHighNs, longest);
    if (longest > this.maxHighNs) {
      // The chip may have powered down and reset: gain back to A128, settling starts over.
      this.pendingGain = 'A128';
      this.settlingLeft = SETTLING_CONVERSIONS;
      this.stats.timingErrors++;
      throw new Hx711TimingError(
        `PD_SCK stayed high up to ${(longest / 1000).toFixed(1)} µs (limit ${this.maxHighNs / 1000} µs): conversion discarded`,
      );
    }
    // "The 25th pulse at PD_SCK input will pull DOUT pin back to high."
    if (this.data.readSync() !== 1) {
      throw new Hx711ProtocolError('DOUT still low after the 25th PD_SCK pulse: check the DOUT wire');
    }
    if (this.pendingGain !== this.gain) {
      this.pendingGain = this.gain;
      this.settlingLeft = SETTLING_CONVERSIONS;
    }
    this.stats.conversions++;
    const count = toSignedCount(word);
    return { count, gain, saturated: count === COUNT_MIN || count === COUNT_MAX };
  }

  /**
   * The next conversion at the configured gain, past the settling time. Conversions made at another
   * gain (the first after power-up when the gain is not A128) or while settling are read and dropped.
   */
  async read(options: { timeoutMs?: number; maxAttempts?: number } = {}): Promise<Hx711Conversion> {
    const timeoutMs = options.timeoutMs ?? 1_000;
    const maxAttempts = options.maxAttempts ?? 2 * SETTLING_CONVERSIONS + 8;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      await this.waitReady(timeoutMs);
      let conversion: Hx711Conversion;
      try {
        conversion = this.shiftOut();
      } catch (error) {
        if (!(error instanceof Hx711TimingError)) throw error;
        lastError = error;
        continue;
      }
      // Made at the previous gain: the pulses just sent switch the gain for the next one.
      if (conversion.gain !== this.gain) {
        this.stats.discardedSettling++;
        continue;
      }
      if (this.settlingLeft > 0) {
        this.settlingLeft--;
        this.stats.discardedSettling++;
        continue;
      }
      return conversion;
    }
    throw lastError ?? new Hx711ProtocolError(`no settled conversion after ${maxAttempts} attempts`);
  }

  /** Fig. 3: PD_SCK low → high, held over 60 µs, powers the chip down. It stays down while PD_SCK is high. */
  powerDown(): void {
    this.clock.writeSync(0);
    this.clock.writeSync(1);
    this.spin(this.nowNs(), POWER_DOWN_HIGH_NS + 40_000);
  }

  /** "When PD_SCK returns to low, chip will reset and enter normal operation mode." */
  powerUp(): void {
    this.clock.writeSync(0);
    this.pendingGain = 'A128';
    this.settlingLeft = SETTLING_CONVERSIONS;
  }

  /** One PD_SCK pulse; with `sample`, DOUT is read while the clock is high (T2: data valid 0.1 µs after the rising edge). */
  private pulse(sample: boolean): { value: Bit; highNs: number } {
    const before = this.nowNs();
    this.clock.writeSync(1);
    this.spin(this.nowNs(), T3_HIGH_MIN_NS);
    const value: Bit = sample ? this.data.readSync() : 0;
    this.clock.writeSync(0);
    const lowAt = this.nowNs();
    this.spin(lowAt, T4_LOW_MIN_NS);
    return { value, highNs: Number(lowAt - before) };
  }

  /** Busy-waits: sub-microsecond holds are far below what a timer can do. */
  private spin(from: bigint, ns: number): void {
    const until = from + BigInt(ns);
    while (this.nowNs() < until) {
      // spin
    }
  }
}
