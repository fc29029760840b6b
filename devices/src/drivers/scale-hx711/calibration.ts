/**
 * Counts → grams. The protocol's `deviceConfigSchema.calibration` carries `offset` (the count with the
 * platform empty) and `factor` (counts per gram): grams = (count − offset) / factor.
 */
export interface Calibration {
  offset: number;
  factor: number;
}

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
}

/** Fewer counts than this between empty and loaded means nothing was weighed (or the cell is not wired). */
export const MIN_CALIBRATION_SPAN_COUNTS = 100;

export function countsToGrams(count: number, calibration: Calibration): number {
  return (count - calibration.offset) / calibration.factor;
}

/**
 * The scale's calibration state: a tare sets the offset, a known weight then sets the factor. A tare
 * alone (no factor yet) is kept so a technician can tare, put the weight on, then calibrate.
 */
export class ScaleCalibration {
  private offset: number | undefined;
  private factor: number | undefined;

  constructor(initial?: Calibration) {
    if (initial) this.apply(initial);
  }

  apply(calibration: Calibration): void {
    if (!Number.isFinite(calibration.offset)) throw new CalibrationError('offset must be a finite number');
    if (!Number.isFinite(calibration.factor) || calibration.factor === 0) {
      throw new CalibrationError('factor must be a finite number other than 0');
    }
    this.offset = calibration.offset;
    this.factor = calibration.factor;
  }

  /** The empty platform reads `emptyCount`: that is zero from now on. */
  tare(emptyCount: number): { offset: number } {
    this.offset = emptyCount;
    return { offset: emptyCount };
  }

  /** `loadedCount` was read with `knownGrams` on the tared platform. */
  calibrate(loadedCount: number, knownGrams: number): Calibration {
    if (this.offset === undefined) throw new CalibrationError('tare the empty platform before calibrating');
    if (!(knownGrams > 0)) throw new CalibrationError('the known weight must be more than 0 g');
    const span = loadedCount - this.offset;
    if (Math.abs(span) < MIN_CALIBRATION_SPAN_COUNTS) {
      throw new CalibrationError(
        `the reading moved only ${Math.round(span)} counts from the tare: is the weight on the platform and the load cell wired?`,
      );
    }
    // A negative factor is fine: the load cell's signal wires are the other way round.
    this.factor = span / knownGrams;
    return { offset: this.offset, factor: this.factor };
  }

  /** Grams for a count, or undefined until both offset and factor are known. */
  grams(count: number): number | undefined {
    if (this.offset === undefined || this.factor === undefined) return undefined;
    return countsToGrams(count, { offset: this.offset, factor: this.factor });
  }

  current(): Calibration | undefined {
    return this.offset === undefined || this.factor === undefined
      ? undefined
      : { offset: this.offset, factor: this.factor };
  }
}
