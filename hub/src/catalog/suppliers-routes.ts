import { Hono } from 'hono';
import { z } from 'zod';
import { supplierInputSchema, supplierPatchSchema, supplierSchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { createSupplier, deleteSupplier, getSupplier, listSuppliers, updateSupplier } from './suppliers.ts';

export const suppliersRoutes = new Hono<HubEnv>()
  .get(
    '/suppliers',
    route({
      method: 'get',
      path: '/suppliers',
      tag: 'suppliers',
      summary: "The organization's suppliers",
      access: { kind: 'user', right: 'suppliers:read' },
      response: z.array(supplierSchema),
    }),
    async (c) => c.json(await listSuppliers(openDb(c.env.DB), currentUser(c).organizationId), 200),
  )
  .post(
    '/suppliers',
    route({
      method: 'post',
      path: '/suppliers',
      tag: 'suppliers',
      summary: 'Add a supplier',
      access: { kind: 'user', right: 'suppliers:write' },
      body: supplierInputSchema,
      response: supplierSchema,
      status: 201,
    }),
    valid('json', supplierInputSchema),
    async (c) => {
      const supplier = await createSupplier(
        openDb(c.env.DB),
        currentUser(c).organizationId,
        c.req.valid('json'),
      );
      return c.json(supplier, 201);
    },
  )
  .get(
    '/suppliers/:id',
    route({
      method: 'get',
      path: '/suppliers/:id',
      tag: 'suppliers',
      summary: 'One supplier',
      access: { kind: 'user', right: 'suppliers:read' },
      response: supplierSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const supplier = await getSupplier(
        openDb(c.env.DB),
        currentUser(c).organizationId,
        c.req.valid('param').id,
      );
      return c.json(supplier, 200);
    },
  )
  .patch(
    '/suppliers/:id',
    route({
      method: 'patch',
      path: '/suppliers/:id',
      tag: 'suppliers',
      summary: 'Change a supplier (only the fields sent)',
      access: { kind: 'user', right: 'suppliers:write' },
      body: supplierPatchSchema,
      response: supplierSchema,
    }),
    valid('param', idParam),
    validPatch(supplierPatchSchema),
    async (c) => {
      const db = openDb(c.env.DB);
      const { id } = c.req.valid('param');
      return c.json(await updateSupplier(db, currentUser(c).organizationId, id, c.req.valid('json')), 200);
    },
  )
  .delete(
    '/suppliers/:id',
    route({
      method: 'delete',
      path: '/suppliers/:id',
      tag: 'suppliers',
      summary: 'Remove a supplier and its offers',
      access: { kind: 'user', right: 'suppliers:write' },
      status: 204,
    }),
    valid('param', idParam),
    async (c) => {
      await deleteSupplier(openDb(c.env.DB), currentUser(c).organizationId, c.req.valid('param').id);
      return c.body(null, 204);
    },
  );
