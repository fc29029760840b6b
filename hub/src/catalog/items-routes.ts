import { Hono } from 'hono';
import { z } from 'zod';
import { itemInputSchema, itemPatchSchema, itemSchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { archiveItem, createItem, getItem, listItems, updateItem } from './items.ts';

export const itemsRoutes = new Hono<HubEnv>()
  .get(
    '/items',
    route({
      method: 'get',
      path: '/items',
      tag: 'items',
      summary: "The organization's items (bottles, kegs, countables)",
      access: { kind: 'user', right: 'items:read' },
      response: z.array(itemSchema),
    }),
    async (c) => c.json(await listItems(openDb(c.env.DB), currentUser(c).organizationId), 200),
  )
  .post(
    '/items',
    route({
      method: 'post',
      path: '/items',
      tag: 'items',
      summary: 'Add an item',
      access: { kind: 'user', right: 'items:write' },
      body: itemInputSchema,
      response: itemSchema,
      status: 201,
    }),
    valid('json', itemInputSchema),
    async (c) =>
      c.json(await createItem(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('json')), 201),
  )
  .get(
    '/items/:id',
    route({
      method: 'get',
      path: '/items/:id',
      tag: 'items',
      summary: 'One item',
      access: { kind: 'user', right: 'items:read' },
      response: itemSchema,
    }),
    valid('param', idParam),
    async (c) =>
      c.json(await getItem(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('param').id), 200),
  )
  .patch(
    '/items/:id',
    route({
      method: 'patch',
      path: '/items/:id',
      tag: 'items',
      summary: 'Change an item (only the fields sent)',
      access: { kind: 'user', right: 'items:write' },
      body: itemPatchSchema,
      response: itemSchema,
    }),
    valid('param', idParam),
    validPatch(itemPatchSchema),
    async (c) => {
      const db = openDb(c.env.DB);
      const item = await updateItem(
        db,
        currentUser(c).organizationId,
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(item, 200);
    },
  )
  .delete(
    '/items/:id',
    route({
      method: 'delete',
      path: '/items/:id',
      tag: 'items',
      summary: 'Archive an item (its ledger history stays)',
      access: { kind: 'user', right: 'items:write' },
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await archiveItem(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
