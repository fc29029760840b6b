import { validate, deviceCalibrationSchema, type DeviceCalibration } from '@pourcast/protocol';
import type { z } from 'zod';
import type { calibrationStepSchema } from '@pourcast/protocol';
import type { GatewayDb } from '../db/open-db.ts';
import { AppError } from '../display/app-error.ts';
import type { ConfigPushState } from './config-pusher.ts';
import type { DeviceAdmin } from './device-admin.ts';
import type { DeviceCommands } from './device-commands.ts';
import type { DriftWatch } from './drift-watch.ts';
import {
  linearityErrorPercent,
  rawCount,
  saveCalibration,
  spanFactor,
  type CalibrationSessions,
} from './calibration.ts';

export type CalibrationStepInput = z.infer<typeof calibrationStepSchema>;

export interface CalibrateDeps {
  db: GatewayDb;
  admin: DeviceAdmin;
  commands: DeviceCommands;
  sessions: CalibrationSessions;
  drift: DriftWatch;
}

export type CalibrationStepResult =
  | { step: 'tare'; offset: number; next: 'span' }
  | { step: 'span'; offset: number; factor: number; next: 'check' }
  | { step: 'check'; calibration: DeviceCalibration; config: ConfigPushState };

/**
 * Two-weight calibration from the scale's raw counts: `tare` (empty) gives the offset, `span` (known
 * weight) the factor, `check` (a second weight) must read within maxErrorPercent; then the calibration
 * is stored with its date and pushed in the device's config.
 */
export async function calibrateStep(
  deps: CalibrateDeps,
  deviceId: string,
  step: CalibrationStepInput,
  now = new Date(),
): Promise<CalibrationStepResult> {
  const device = deps.admin.device(deviceId);
  if (device.kind !== 'scale') throw new AppError(422, 'not_a_scale', `${deviceId} is a ${device.kind}`);
  const session = deps.sessions.get(deviceId);
  switch (step.step) {
    case 'tare': {
      const offset = rawCount(await deps.commands.send(deviceId, { command: 'tare' }));
      deps.sessions.set(deviceId, { phase: 'tared', offset });
      return { step: 'tare', offset, next: 'span' };
    }
    case 'span': {
      if (!session) throw new AppError(409, 'not_tared', 'tare the empty platform first (step tare)');
      const { knownGrams } = step;
      const loaded = rawCount(
        await deps.commands.send(deviceId, { command: 'calibrate', knownGrams }),
        knownGrams,
      );
      const factor = spanFactor(session.offset, loaded, knownGrams);
      deps.sessions.set(deviceId, { phase: 'spanned', offset: session.offset, factor, knownGrams });
      return { step: 'span', offset: session.offset, factor, next: 'check' };
    }
    case 'check': {
      if (session?.phase !== 'spanned')
        throw new AppError(409, 'not_spanned', 'weigh the first known weight first (step span)');
      const { knownGrams, maxErrorPercent } = step;
      const raw = rawCount(
        await deps.commands.send(deviceId, { command: 'calibrate', knownGrams }),
        knownGrams,
      );
      const errorPercent = linearityErrorPercent(session.offset, session.factor, raw, knownGrams);
      if (errorPercent > maxErrorPercent)
        throw new AppError(
          422,
          'not_linear',
          `the second weight read ${errorPercent.toFixed(2)} % off (allowed ${maxErrorPercent} %): check the load cell's mounting and wiring, then calibrate again`,
        );
      const checked = validate(deviceCalibrationSchema, {
        offset: session.offset,
        factor: session.factor,
        knownGrams: session.knownGrams,
        checkGrams: knownGrams,
        errorPercent,
        calibratedAt: now.toISOString(),
      });
      if (!checked.ok)
        throw new AppError(422, 'bad_calibration', 'calibration out of range', checked.details);
      await saveCalibration(deps.db, deviceId, checked.value);
      deps.sessions.clear(deviceId);
      deps.drift.reset(deviceId);
      const config = await deps.admin.pushConfig(deviceId, {
        calibration: { offset: session.offset, factor: session.factor },
      });
      return { step: 'check', calibration: checked.value, config };
    }
  }
}
