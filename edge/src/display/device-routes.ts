import { Hono, type MiddlewareHandler } from 'hono';
import {
  addDeviceRequestSchema,
  calibrationStepSchema,
  deviceConfigPushSchema,
  deviceSlotsRequestSchema,
} from '@pourcast/protocol';
import { calibrateStep, type DeviceAdministration } from '../devices/index.ts';
import { latestCalibration } from '../devices/calibration.ts';
import { AppError } from './app-error.ts';
import { bearerToken, readBody as body } from './read-body.ts';

/** Only a caller holding the gateway admin token (Authorization: Bearer) may administer devices. */
function requireAdmin(devices: DeviceAdministration): MiddlewareHandler {
  return async (c, next) => {
    if (!(await devices.token.verify(bearerToken(c.req.header('authorization')))))
      throw new AppError(
        401,
        'unauthorized',
        'a valid gateway admin token is required (Authorization: Bearer)',
      );
    await next();
  };
}

/** Device administration under /api/v1/devices (the technician's CLI talks to these). */
export function deviceAdminRoutes(devices: DeviceAdministration) {
  const app = new Hono();
  const { admin } = devices;
  app.use('*', requireAdmin(devices));

  app.post('/', async (c) => c.json(await admin.add(await body(c.req.raw, addDeviceRequestSchema)), 201));

  app.delete('/:id', async (c) => c.json(await admin.revoke(c.req.param('id'))));

  app.post('/:id/replace', async (c) => c.json(await admin.replace(c.req.param('id'))));

  app.put('/:id/slots', async (c) => {
    const { slots } = await body(c.req.raw, deviceSlotsRequestSchema);
    const device = await admin.mapSlots(c.req.param('id'), slots);
    return c.json({ id: device.id, slots: device.slots });
  });

  app.post('/:id/config', async (c) => {
    const push = await body(c.req.raw, deviceConfigPushSchema);
    return c.json(await admin.pushConfig(c.req.param('id'), push), 202);
  });

  app.get('/:id/calibration', async (c) => {
    const id = admin.device(c.req.param('id')).id;
    return c.json({ calibration: (await latestCalibration(devices.db, id)) ?? null });
  });

  app.post('/:id/calibration', async (c) => {
    const step = await body(c.req.raw, calibrationStepSchema);
    return c.json(await calibrateStep(devices, c.req.param('id'), step));
  });

  return app;
}
