import { Hono } from 'hono';
import { z } from 'zod';
import {
  licenceInputSchema,
  licenceListSchema,
  licencePatchSchema,
  licenceSchema,
  recordIdSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { createLicence, deleteLicence, getLicence, listLicences, updateLicence } from './licences.ts';

const listQuery = z.strictObject({ locationId: recordIdSchema.optional() });

export const licencesRoutes = new Hono<HubEnv>()
  .get(
    '/licences',
    route({
      method: 'get',
      path: '/licences',
      tag: 'licences',
      summary: "The bars' licences and permits, soonest expiry first, with days left",
      access: { kind: 'user', right: 'licences:read' },
      query: listQuery,
      response: licenceListSchema,
    }),
    valid('query', listQuery),
    async (c) => {
      const { locationId } = c.req.valid('query');
      const licences = await listLicences(
        c.env.DB,
        currentUser(c).organizationId,
        new Date(),
        locationId ?? null,
      );
      return c.json({ licences }, 200);
    },
  )
  .post(
    '/licences',
    route({
      method: 'post',
      path: '/licences',
      tag: 'licences',
      summary: 'Record a licence or permit of a bar with its expiry date (reminders 60, 30 and 7 days ahead)',
      access: { kind: 'user', right: 'licences:write' },
      body: licenceInputSchema,
      response: licenceSchema,
      status: 201,
    }),
    valid('json', licenceInputSchema),
    async (c) =>
      c.json(await createLicence(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 201),
  )
  .get(
    '/licences/:id',
    route({
      method: 'get',
      path: '/licences/:id',
      tag: 'licences',
      summary: 'One licence or permit',
      access: { kind: 'user', right: 'licences:read' },
      response: licenceSchema,
    }),
    valid('param', idParam),
    async (c) =>
      c.json(await getLicence(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id), 200),
  )
  .patch(
    '/licences/:id',
    route({
      method: 'patch',
      path: '/licences/:id',
      tag: 'licences',
      summary: 'Change a licence (a renewal is a new expiry date: its reminders start again)',
      access: { kind: 'user', right: 'licences:write' },
      body: licencePatchSchema,
      response: licenceSchema,
    }),
    valid('param', idParam),
    validPatch(licencePatchSchema),
    async (c) => {
      const user = currentUser(c);
      return c.json(
        await updateLicence(c.env.DB, user.organizationId, c.req.valid('param').id, c.req.valid('json')),
        200,
      );
    },
  )
  .delete(
    '/licences/:id',
    route({
      method: 'delete',
      path: '/licences/:id',
      tag: 'licences',
      summary: 'Delete a licence or permit',
      access: { kind: 'user', right: 'licences:write' },
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await deleteLicence(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
