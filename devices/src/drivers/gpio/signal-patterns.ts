import type { GpioLine } from './gpio-line.ts';

/**
 * Status LED and buzzer on GPIO outputs: one short pulse when a scan is accepted, three when it is
 * rejected, so a barback hears the difference without looking. An active buzzer module or an LED
 * with its resistor on a GPIO pin; see docs/HARDWARE.md.
 */
export interface ScanFeedback {
  accepted(): void;
  rejected(): void;
}

/** On/off durations (ms), starting with on. */
export const ACCEPTED_PATTERN = [80] as const;
export const REJECTED_PATTERN = [80, 80, 80, 80, 80] as const;

export class GpioSignal implements ScanFeedback {
  private timers: Array<ReturnType<typeof setTimeout>> = [];

  constructor(private readonly lines: readonly GpioLine[]) {
    for (const line of lines) line.writeSync(0);
  }

  accepted(): void {
    this.play(ACCEPTED_PATTERN);
  }

  rejected(): void {
    this.play(REJECTED_PATTERN);
  }

  /** Plays on/off steps; a new pattern cuts the one still playing. */
  play(steps: readonly number[]): void {
    this.stop();
    let at = 0;
    steps.forEach((duration, i) => {
      const level = i % 2 === 0 ? 1 : 0;
      this.timers.push(setTimeout(() => this.write(level), at));
      at += duration;
    });
    this.timers.push(setTimeout(() => this.write(0), at));
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.write(0);
  }

  private write(level: 0 | 1): void {
    for (const line of this.lines) line.writeSync(level);
  }
}

export const noFeedback: ScanFeedback = { accepted: () => {}, rejected: () => {} };
