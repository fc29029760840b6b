import { Hono } from 'hono';
import { z } from 'zod';
import { locationInputSchema, locationPatchSchema, locationSchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { createLocation, getLocation, listLocations, updateLocation } from './locations.ts';

export const locationsRoutes = new Hono<HubEnv>()
  .get(
    '/locations',
    route({
      method: 'get',
      path: '/locations',
      tag: 'locations',
      summary: "The organization's bars",
      access: { kind: 'user', right: 'locations:read' },
      response: z.array(locationSchema),
    }),
    async (c) => c.json(await listLocations(openDb(c.env.DB), currentUser(c).organizationId), 200),
  )
  .post(
    '/locations',
    route({
      method: 'post',
      path: '/locations',
      tag: 'locations',
      summary: 'Add a bar',
      access: { kind: 'user', right: 'locations:write' },
      body: locationInputSchema,
      response: locationSchema,
      status: 201,
    }),
    valid('json', locationInputSchema),
    async (c) => {
      const location = await createLocation(
        openDb(c.env.DB),
        currentUser(c).organizationId,
        c.req.valid('json'),
      );
      return c.json(location, 201);
    },
  )
  .get(
    '/locations/:id',
    route({
      method: 'get',
      path: '/locations/:id',
      tag: 'locations',
      summary: 'One bar',
      access: { kind: 'user', right: 'locations:read' },
      response: locationSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const { id } = c.req.valid('param');
      return c.json(await getLocation(openDb(c.env.DB), currentUser(c).organizationId, id), 200);
    },
  )
  .patch(
    '/locations/:id',
    route({
      method: 'patch',
      path: '/locations/:id',
      tag: 'locations',
      summary: 'Rename a bar or change its timezone or areas',
      access: { kind: 'user', right: 'locations:write' },
      body: locationPatchSchema,
      response: locationSchema,
    }),
    valid('param', idParam),
    validPatch(locationPatchSchema),
    async (c) => {
      const { id } = c.req.valid('param');
      const db = openDb(c.env.DB);
      return c.json(await updateLocation(db, currentUser(c).organizationId, id, c.req.valid('json')), 200);
    },
  );
