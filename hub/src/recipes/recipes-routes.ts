import { Hono } from 'hono';
import { z } from 'zod';
import {
  menuItemInputSchema,
  menuItemPatchSchema,
  menuItemSchema,
  modifierInputSchema,
  modifierSchema,
  recipeChangeSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { createModifier, deleteModifier, listModifiers } from './modifiers.ts';
import {
  archiveMenuItem,
  changeRecipe,
  createMenuItem,
  getMenuItem,
  listMenuItems,
  updateMenuItem,
} from './recipes.ts';

const tag = 'menu';
const read = { kind: 'user', right: 'menu:read' } as const;
const write = { kind: 'user', right: 'menu:write' } as const;

export const recipesRoutes = new Hono<HubEnv>()
  .get(
    '/menu-items',
    route({
      method: 'get',
      path: '/menu-items',
      tag,
      summary: 'Menu items with their current recipe',
      access: read,
      response: z.array(menuItemSchema),
    }),
    async (c) => c.json(await listMenuItems(c.env.DB, currentUser(c).organizationId), 200),
  )
  .post(
    '/menu-items',
    route({
      method: 'post',
      path: '/menu-items',
      tag,
      summary: 'Add a menu item with recipe version 1',
      access: write,
      body: menuItemInputSchema,
      response: menuItemSchema,
      status: 201,
    }),
    valid('json', menuItemInputSchema),
    async (c) =>
      c.json(await createMenuItem(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 201),
  )
  .get(
    '/menu-items/:id',
    route({
      method: 'get',
      path: '/menu-items/:id',
      tag,
      summary: 'One menu item',
      access: read,
      response: menuItemSchema,
    }),
    valid('param', idParam),
    async (c) =>
      c.json(await getMenuItem(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id), 200),
  )
  .patch(
    '/menu-items/:id',
    route({
      method: 'patch',
      path: '/menu-items/:id',
      tag,
      summary: 'Rename, recategorize or reprice a menu item',
      access: write,
      body: menuItemPatchSchema,
      response: menuItemSchema,
    }),
    valid('param', idParam),
    validPatch(menuItemPatchSchema),
    async (c) =>
      c.json(
        await updateMenuItem(
          c.env.DB,
          currentUser(c).organizationId,
          c.req.valid('param').id,
          c.req.valid('json'),
        ),
        200,
      ),
  )
  .post(
    '/menu-items/:id/recipe',
    route({
      method: 'post',
      path: '/menu-items/:id/recipe',
      tag,
      summary: 'New recipe version (past sales keep theirs)',
      access: write,
      body: recipeChangeSchema,
      response: menuItemSchema,
      status: 201,
    }),
    valid('param', idParam),
    valid('json', recipeChangeSchema),
    async (c) => {
      const body = c.req.valid('json');
      const item = await changeRecipe(
        c.env.DB,
        currentUser(c).organizationId,
        c.req.valid('param').id,
        body.recipe,
        body.validFrom,
      );
      return c.json(item, 201);
    },
  )
  .delete(
    '/menu-items/:id',
    route({
      method: 'delete',
      path: '/menu-items/:id',
      tag,
      summary: 'Archive a menu item',
      access: write,
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await archiveMenuItem(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  )
  .get(
    '/modifiers',
    route({
      method: 'get',
      path: '/modifiers',
      tag,
      summary: 'Modifiers (double, neat, rocks…)',
      access: read,
      response: z.array(modifierSchema),
    }),
    async (c) => c.json(await listModifiers(c.env.DB, currentUser(c).organizationId), 200),
  )
  .post(
    '/modifiers',
    route({
      method: 'post',
      path: '/modifiers',
      tag,
      summary: 'Add a modifier',
      access: write,
      body: modifierInputSchema,
      response: modifierSchema,
      status: 201,
    }),
    valid('json', modifierInputSchema),
    async (c) =>
      c.json(await createModifier(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 201),
  )
  .delete(
    '/modifiers/:id',
    route({
      method: 'delete',
      path: '/modifiers/:id',
      tag,
      summary: 'Remove a modifier',
      access: write,
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await deleteModifier(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
