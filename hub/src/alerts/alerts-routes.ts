import { Hono } from 'hono';
import {
  alertListQuerySchema,
  alertListSchema,
  alertRunResultSchema,
  alertSchema,
  notificationListQuerySchema,
  notificationListSchema,
  notificationPreferencesPatchSchema,
  notificationPreferencesSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { acknowledgeAlert, listAlerts } from './alert-store.ts';
import { channelsFromEnv, type AlertBindings } from './channels.ts';
import { listNotifications, markRead, readPreferences, writePreferences } from './notification-store.ts';
import { pushRoutes } from './push-routes.ts';
import { runAlerts } from './run-alerts.ts';

export const alertsRoutes = new Hono<HubEnv>()
  .get(
    '/alerts',
    route({
      method: 'get',
      path: '/alerts',
      tag: 'alerts',
      summary: "The organization's alerts, newest first (`?status=open` for what still needs someone)",
      access: { kind: 'user', right: 'alerts:read' },
      query: alertListQuerySchema,
      response: alertListSchema,
    }),
    valid('query', alertListQuerySchema),
    async (c) => {
      const { status } = c.req.valid('query');
      return c.json(
        { alerts: await listAlerts(c.env.DB, currentUser(c).organizationId, status ?? null) },
        200,
      );
    },
  )
  .post(
    '/alerts/run',
    route({
      method: 'post',
      path: '/alerts/run',
      tag: 'alerts',
      summary: 'Run the alert rules now, notify the recipients of new alerts and send what is due',
      access: { kind: 'user', right: 'alerts:run' },
      response: alertRunResultSchema,
    }),
    async (c) => {
      const channels = channelsFromEnv(c.env as AlertBindings);
      return c.json(await runAlerts(c.env.DB, currentUser(c).organizationId, new Date(), channels), 200);
    },
  )
  .post(
    '/alerts/:id/acknowledge',
    route({
      method: 'post',
      path: '/alerts/:id/acknowledge',
      tag: 'alerts',
      summary: "Acknowledge an open alert: it closes and its condition stays quiet for the rule's snooze",
      access: { kind: 'user', right: 'alerts:run' },
      response: alertSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      const alert = await acknowledgeAlert(
        c.env.DB,
        user.organizationId,
        c.req.valid('param').id,
        user.userId,
        new Date(),
      );
      return c.json(alert, 200);
    },
  )
  .get(
    '/notifications',
    route({
      method: 'get',
      path: '/notifications',
      tag: 'notifications',
      summary: "The caller's in-app notifications with their deliveries (`?unread=true` for unread only)",
      access: { kind: 'user', right: 'notifications:read' },
      query: notificationListQuerySchema,
      response: notificationListSchema,
    }),
    valid('query', notificationListQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const unreadOnly = c.req.valid('query').unread === 'true';
      return c.json(await listNotifications(c.env.DB, user.organizationId, user.userId, unreadOnly), 200);
    },
  )
  .post(
    '/notifications/:id/read',
    route({
      method: 'post',
      path: '/notifications/:id/read',
      tag: 'notifications',
      summary: 'Mark one of your notifications read',
      access: { kind: 'user', right: 'notifications:read' },
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      await markRead(c.env.DB, user.organizationId, user.userId, c.req.valid('param').id, new Date());
      return c.body(null, 204);
    },
  )
  .get(
    '/notifications/preferences',
    route({
      method: 'get',
      path: '/notifications/preferences',
      tag: 'notifications',
      summary: 'Your channels: address, lowest severity sent there, quiet hours',
      access: { kind: 'user', right: 'notifications:read' },
      response: notificationPreferencesSchema,
    }),
    async (c) => {
      const user = currentUser(c);
      return c.json(await readPreferences(c.env.DB, user.organizationId, user.userId), 200);
    },
  )
  .patch(
    '/notifications/preferences',
    route({
      method: 'patch',
      path: '/notifications/preferences',
      tag: 'notifications',
      summary: 'Set channels (quiet hours default 22:00-08:00 in the bar’s time zone) or remove them',
      access: { kind: 'user', right: 'notifications:read' },
      body: notificationPreferencesPatchSchema,
      response: notificationPreferencesSchema,
    }),
    valid('json', notificationPreferencesPatchSchema),
    async (c) => {
      const user = currentUser(c);
      const { preferences, remove } = c.req.valid('json');
      return c.json(
        await writePreferences(c.env.DB, user.organizationId, user.userId, preferences, remove),
        200,
      );
    },
  )
  .route('/', pushRoutes);
