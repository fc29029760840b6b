import { Hono } from 'hono';
import { locationStockSchema, stockAdjustmentRequestSchema, stockLineSchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import { adjustStock } from './adjust-stock.ts';
import { locationStock } from './stock.ts';

export const inventoryRoutes = new Hono<HubEnv>()
  .get(
    '/locations/:id/stock',
    route({
      method: 'get',
      path: '/locations/:id/stock',
      tag: 'inventory',
      summary: 'Stock of every item at a bar: sealed, open, total ml, par, last observation',
      access: { kind: 'user', right: 'stock:read' },
      response: locationStockSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      return c.json(await locationStock(c.env.DB, user.organizationId, location.id), 200);
    },
  )
  .post(
    '/locations/:id/adjustments',
    route({
      method: 'post',
      path: '/locations/:id/adjustments',
      tag: 'inventory',
      summary: "Set an item's count (appends an adjust event); answers the item's new stock line",
      access: { kind: 'user', right: 'adjustments:write' },
      body: stockAdjustmentRequestSchema,
      response: stockLineSchema,
      status: 201,
    }),
    valid('param', idParam),
    valid('json', stockAdjustmentRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const location = await getLocation(openDb(c.env.DB), user.organizationId, c.req.valid('param').id);
      const input = c.req.valid('json');
      await adjustStock(
        c.env.DB,
        { organizationId: user.organizationId, locationId: location.id, userId: user.userId },
        input,
      );
      const stock = await locationStock(c.env.DB, user.organizationId, location.id);
      const line = stock.items.find((item) => item.itemId === input.itemId);
      if (!line) throw new AppError(500, 'internal', 'adjusted item missing from stock');
      return c.json(line, 201);
    },
  );
