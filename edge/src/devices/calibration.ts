import { desc, eq } from 'drizzle-orm';
import { calibrationReadingSchema, validate, type DeviceCalibration } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { AppError } from '../display/app-error.ts';
import { deviceCalibrations } from './tables.ts';

/** Fewer raw counts than this between empty and loaded means nothing was weighed (HX711 driver's rule too). */
export const MIN_SPAN_COUNTS = 100;

/**
 * The raw load-cell count in a tare/calibrate answer. A device sends `raw`; the HX711 driver sends the
 * calibration it derived, from which the count is recovered: tare → offset, calibrate → offset + factor·g.
 */
export function rawCount(data: unknown, knownGrams?: number): number {
  const reading = validate(calibrationReadingSchema, data);
  if (!reading.ok)
    throw new AppError(502, 'bad_device_answer', 'the scale answered without a reading', reading.details);
  const { raw, calibration } = reading.value;
  if (raw !== undefined) return raw;
  if (knownGrams === undefined || calibration!.factor === undefined) return calibration!.offset;
  return calibration!.offset + calibration!.factor * knownGrams;
}

export function spanFactor(offset: number, loaded: number, knownGrams: number): number {
  const span = loaded - offset;
  if (Math.abs(span) < MIN_SPAN_COUNTS)
    throw new AppError(
      422,
      'no_span',
      `the reading moved only ${Math.round(span)} counts from the tare: is the weight on the platform and the load cell wired?`,
    );
  // Negative is fine: the load cell's signal wires are the other way round.
  return span / knownGrams;
}

/** How far (in % of the weight) the second known weight reads off with the computed offset and factor. */
export function linearityErrorPercent(
  offset: number,
  factor: number,
  raw: number,
  knownGrams: number,
): number {
  return (Math.abs((raw - offset) / factor - knownGrams) / knownGrams) * 100;
}

export type CalibrationSession =
  | { phase: 'tared'; offset: number }
  | { phase: 'spanned'; offset: number; factor: number; knownGrams: number };

/** Where each scale is in the tare → span → check sequence (memory: a restart starts it again). */
export class CalibrationSessions {
  readonly #sessions = new Map<string, CalibrationSession>();

  get(deviceId: string): CalibrationSession | undefined {
    return this.#sessions.get(deviceId);
  }

  set(deviceId: string, session: CalibrationSession): void {
    this.#sessions.set(deviceId, session);
  }

  clear(deviceId: string): void {
    this.#sessions.delete(deviceId);
  }
}

export async function saveCalibration(db: GatewayDb, deviceId: string, calibration: DeviceCalibration) {
  await db.insert(deviceCalibrations).values({ deviceId, ...calibration });
}

export async function latestCalibration(
  db: GatewayDb,
  deviceId: string,
): Promise<DeviceCalibration | undefined> {
  const [row] = await db
    .select()
    .from(deviceCalibrations)
    .where(eq(deviceCalibrations.deviceId, deviceId))
    .orderBy(desc(deviceCalibrations.id))
    .limit(1);
  if (!row) return undefined;
  const { id: _id, deviceId: _device, ...calibration } = row;
  return calibration;
}
