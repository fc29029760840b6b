import { desc } from 'drizzle-orm';
import { Hono } from 'hono';
import { z } from 'zod';
import { formatIssues, type GatewayHealth } from '@pourcast/protocol';
import type { DeviceRegistry } from '../broker/device-registry.ts';
import type { DeviceStatusTracker } from '../broker/device-status.ts';
import type { GatewayDb } from '../db/open-db.ts';
import type { DeviceAdministration } from '../devices/index.ts';
import type { DeviceActivity } from '../health/device-activity.ts';
import { unknownBarcodes } from '../db/schema.ts';
import { listEvents } from '../inventory/ledger.ts';
import type { SlotLevel } from '../inventory/levels.ts';
import type { Logger } from '../log.ts';
import { AppError, errorEnvelope, handleError } from './app-error.ts';
import { deviceAdminRoutes } from './device-routes.ts';
import type { StaffDisplay } from '../staff/staff-display.ts';
import { staffRoutes } from '../staff/staff-routes.ts';
import { findStaffBuild, serveStaffBuild } from '../staff/static-files.ts';

export interface HttpAppDeps {
  db: GatewayDb;
  log: Logger;
  registry: DeviceRegistry;
  statuses: DeviceStatusTracker;
  health: () => Promise<GatewayHealth>;
  levels: () => SlotLevel[];
  /** Device administration (admin-token routes); without it GET /api/v1/devices is all there is. */
  devices?: DeviceAdministration;
  /** Each device's last reading and signs of trouble (edge/src/health/device-activity.ts). */
  activity?: Pick<DeviceActivity, 'lastReading' | 'trouble'>;
  /** The staff display: its API under /api/v1/staff and its build at `/`. */
  staff?: StaffDisplay;
}

const eventsQuerySchema = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The gateway's local HTTP API under /api/v1 (the staff display reads it). */
export function createHttpApp(deps: HttpAppDeps) {
  const app = new Hono();
  app.onError(handleError(deps.log));
  app.notFound((c) => c.json(errorEnvelope('not_found', `no route ${c.req.method} ${c.req.path}`), 404));

  app.get('/api/v1/health', async (c) => c.json(await deps.health()));

  app.get('/api/v1/levels', (c) => c.json({ slots: deps.levels() }));

  app.get('/api/v1/events', async (c) => {
    const query = eventsQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new AppError(400, 'invalid_query', 'invalid query', formatIssues(query.error));
    const events = await listEvents(deps.db, query.data.afterSeq, query.data.limit);
    return c.json({ events, nextAfterSeq: events.at(-1)?.seq ?? query.data.afterSeq });
  });

  app.get('/api/v1/unknown-barcodes', async (c) => {
    const rows = await deps.db.select().from(unknownBarcodes).orderBy(desc(unknownBarcodes.lastSeenAt));
    return c.json({ barcodes: rows });
  });

  app.get('/api/v1/devices', (c) =>
    c.json({
      devices: deps.registry.all().map((device) => {
        const tracked = deps.statuses.get(device.id);
        return {
          id: device.id,
          kind: device.kind,
          model: device.model,
          revoked: device.revokedAt !== null,
          state: tracked?.status.state ?? 'unknown',
          lastStatusAt: tracked ? new Date(tracked.receivedAt).toISOString() : null,
          firmware: tracked?.status.firmware ?? null,
          slots: device.slots,
          config: configSummary(deps.devices, device.id),
          /** Platforms whose empty reading crept away from 0 g: recalibrate. */
          drift: deps.devices?.drift.drift(device.id).filter((d) => d.drifted) ?? [],
          lastReading: deps.activity?.lastReading(device.id) ?? null,
          /** Noisy load cell, dark or covered camera, unknown barcodes, refused messages. */
          trouble: deps.activity?.trouble(device.id) ?? [],
        };
      }),
    }),
  );

  if (deps.devices) app.route('/api/v1/devices', deviceAdminRoutes(deps.devices));

  if (deps.staff) {
    const devices = deps.devices;
    const verifyAdmin = async (token: string | undefined) => (devices ? devices.token.verify(token) : false);
    app.route('/api/v1/staff', staffRoutes(deps.staff, verifyAdmin));
    serveStaffBuild(app, findStaffBuild());
  }

  return app;
}

/** The device's last config push: version, what it acknowledged, and whether it is still pending. */
function configSummary(devices: DeviceAdministration | undefined, deviceId: string) {
  const state = devices?.pusher.state(deviceId);
  if (!state) return null;
  const { configVersion, ackedVersion, pending, attempts, lastError, pushedAt, ackedAt } = state;
  return { configVersion, ackedVersion, pending, attempts, lastError, pushedAt, ackedAt };
}
