import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam, offerParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { caseDiscounts, setCaseDiscounts } from './case-discounts.ts';
import {
  autoApprovalSchema,
  caseDiscountsSchema,
  parListSchema,
  parParamSchema,
  parPinSchema,
  pinnedParSchema,
  settingsPatchSchema,
  settingsSchema,
} from './order-schemas.ts';
import { orderingSettings, updateOrderingSettings } from './ordering-settings.ts';
import { parsAt, pinnedPar, pinPar } from './pars.ts';

/** Ordering policy: service level and review period (managers), auto-approval limit (owners), pars. */
export const orderingRoutes = new Hono<HubEnv>()
  .get(
    '/ordering/settings',
    route({
      method: 'get',
      path: '/ordering/settings',
      tag: 'ordering',
      summary: 'Service level (default 0.95), review period and auto-approval limit',
      access: { kind: 'user', right: 'orders:read' },
      response: settingsSchema,
    }),
    async (c) => c.json(await orderingSettings(c.env.DB, currentUser(c).organizationId), 200),
  )
  .patch(
    '/ordering/settings',
    route({
      method: 'patch',
      path: '/ordering/settings',
      tag: 'ordering',
      summary:
        'Set the service level and review period the order quantities are computed with, and the days of grace before a delivery is called late or short',
      access: { kind: 'user', right: 'ordering:configure' },
      body: settingsPatchSchema,
      response: settingsSchema,
    }),
    valid('json', settingsPatchSchema),
    async (c) => {
      const user = currentUser(c);
      const patch = Object.fromEntries(
        Object.entries(c.req.valid('json')).filter(([, v]) => v !== undefined),
      );
      return c.json(await updateOrderingSettings(c.env.DB, user.organizationId, user.userId, patch), 200);
    },
  )
  .patch(
    '/ordering/auto-approval',
    route({
      method: 'patch',
      path: '/ordering/auto-approval',
      tag: 'ordering',
      summary: 'Orders totalling at most this are approved automatically (null turns it off)',
      access: { kind: 'user', right: 'ordering:thresholds' },
      body: autoApprovalSchema,
      response: settingsSchema,
    }),
    valid('json', autoApprovalSchema),
    async (c) => {
      const user = currentUser(c);
      const { autoApproveLimit } = c.req.valid('json');
      return c.json(
        await updateOrderingSettings(c.env.DB, user.organizationId, user.userId, { autoApproveLimit }),
        200,
      );
    },
  )
  .get(
    '/locations/:id/pars',
    route({
      method: 'get',
      path: '/locations/:id/pars',
      tag: 'ordering',
      summary: "Each item's par at a bar (pinned or catalog) beside the par the forecast suggests",
      access: { kind: 'user', right: 'forecasts:read' },
      response: parListSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      return c.json(
        { locationId: location.id, pars: await parsAt(c.env.DB, user.organizationId, location.id) },
        200,
      );
    },
  )
  .get(
    '/locations/:id/pars/:itemId',
    route({
      method: 'get',
      path: '/locations/:id/pars/:itemId',
      tag: 'ordering',
      summary:
        "An item's par pinned at a bar (null: not pinned, the forecast decides), who pinned it and when, and the catalog's par",
      access: { kind: 'user', right: 'forecasts:read' },
      response: pinnedParSchema,
    }),
    valid('param', parParamSchema),
    async (c) => {
      const { organizationId } = currentUser(c);
      const { id, itemId } = c.req.valid('param');
      const location = await getLocation(openDb(c.env.DB), organizationId, id);
      return c.json(await pinnedPar(c.env.DB, organizationId, location.id, itemId), 200);
    },
  )
  .patch(
    '/locations/:id/pars/:itemId',
    route({
      method: 'patch',
      path: '/locations/:id/pars/:itemId',
      tag: 'ordering',
      summary:
        'Pin a par for an item at a bar (null unpins it); audited with the pin before and after (GET of the same path)',
      access: { kind: 'user', right: 'pars:write' },
      body: parPinSchema,
      response: parListSchema,
    }),
    valid('param', parParamSchema),
    valid('json', parPinSchema),
    async (c) => {
      const user = currentUser(c);
      const { id, itemId } = c.req.valid('param');
      const location = await getLocation(openDb(c.env.DB), user.organizationId, id);
      await pinPar(
        c.env.DB,
        { organizationId: user.organizationId, locationId: location.id, itemId, userId: user.userId },
        c.req.valid('json').parMl,
      );
      return c.json(
        { locationId: location.id, pars: await parsAt(c.env.DB, user.organizationId, location.id) },
        200,
      );
    },
  )
  .get(
    '/suppliers/:id/offers/:offerId/discounts',
    route({
      method: 'get',
      path: '/suppliers/:id/offers/:offerId/discounts',
      tag: 'ordering',
      summary: "An offer's case-quantity discounts, priced into the supplier choice",
      access: { kind: 'user', right: 'suppliers:read' },
      response: caseDiscountsSchema,
    }),
    valid('param', offerParam),
    async (c) => {
      const { id, offerId } = c.req.valid('param');
      const tiers = await caseDiscounts(c.env.DB, currentUser(c).organizationId, id, offerId);
      return c.json({ tiers }, 200);
    },
  )
  .patch(
    '/suppliers/:id/offers/:offerId/discounts',
    route({
      method: 'patch',
      path: '/suppliers/:id/offers/:offerId/discounts',
      tag: 'ordering',
      summary: "Replace an offer's case-quantity discounts (an empty list removes them)",
      access: { kind: 'user', right: 'suppliers:write' },
      body: caseDiscountsSchema,
      response: caseDiscountsSchema,
    }),
    valid('param', offerParam),
    valid('json', caseDiscountsSchema),
    async (c) => {
      const { id, offerId } = c.req.valid('param');
      const tiers = await setCaseDiscounts(
        c.env.DB,
        currentUser(c).organizationId,
        id,
        offerId,
        c.req.valid('json').tiers,
      );
      return c.json({ tiers }, 200);
    },
  );
