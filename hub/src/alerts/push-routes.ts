import { Hono } from 'hono';
import { z } from 'zod';
import { pushSubscriptionInputSchema, pushSubscriptionSchema, vapidKeySchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import type { AlertBindings } from './channels.ts';
import { deleteSubscription, listSubscriptions, saveSubscription } from './push-subscriptions.ts';

const tag = 'notifications';
const access = { kind: 'user', right: 'notifications:read' } as const;

/** Web push: the hub's VAPID key for the browser, and the caller's own browser subscriptions. */
export const pushRoutes = new Hono<HubEnv>()
  .get(
    '/notifications/vapid-key',
    route({
      method: 'get',
      path: '/notifications/vapid-key',
      tag,
      summary: "The hub's VAPID public key (applicationServerKey), null when web push is not configured",
      access,
      response: vapidKeySchema,
    }),
    (c) => c.json({ publicKey: (c.env as AlertBindings).VAPID_PUBLIC_KEY ?? null }, 200),
  )
  .get(
    '/notifications/push-subscriptions',
    route({
      method: 'get',
      path: '/notifications/push-subscriptions',
      tag,
      summary: 'Your browsers subscribed to web push',
      access,
      response: z.array(pushSubscriptionSchema),
    }),
    async (c) => c.json(await listSubscriptions(c.env.DB, currentUser(c).userId), 200),
  )
  .post(
    '/notifications/push-subscriptions',
    route({
      method: 'post',
      path: '/notifications/push-subscriptions',
      tag,
      summary: "Store this browser's PushSubscription; its id is the address of a webpush preference",
      access,
      body: pushSubscriptionInputSchema,
      response: pushSubscriptionSchema,
      status: 201,
    }),
    valid('json', pushSubscriptionInputSchema),
    async (c) => c.json(await saveSubscription(c.env.DB, currentUser(c).userId, c.req.valid('json')), 201),
  )
  .delete(
    '/notifications/push-subscriptions/:id',
    route({
      method: 'delete',
      path: '/notifications/push-subscriptions/:id',
      tag,
      summary: 'Forget one of your push subscriptions',
      access,
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await deleteSubscription(c.env.DB, currentUser(c).userId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
