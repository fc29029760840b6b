import { Hono } from 'hono';
import { z } from 'zod';
import { supplierOfferInputSchema, supplierOfferSchema } from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam, offerParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { createOffer, deleteOffer, listOffers, updateOffer } from './suppliers.ts';

const offerPatchSchema = supplierOfferInputSchema.partial();

export const offersRoutes = new Hono<HubEnv>()
  .get(
    '/suppliers/:id/offers',
    route({
      method: 'get',
      path: '/suppliers/:id/offers',
      tag: 'suppliers',
      summary: "A supplier's offers (price, case size, lead time, minimum order)",
      access: { kind: 'user', right: 'suppliers:read' },
      response: z.array(supplierOfferSchema),
    }),
    valid('param', idParam),
    async (c) => {
      const offers = await listOffers(
        openDb(c.env.DB),
        currentUser(c).organizationId,
        c.req.valid('param').id,
      );
      return c.json(offers, 200);
    },
  )
  .post(
    '/suppliers/:id/offers',
    route({
      method: 'post',
      path: '/suppliers/:id/offers',
      tag: 'suppliers',
      summary: 'Add an offer of one item',
      access: { kind: 'user', right: 'suppliers:write' },
      body: supplierOfferInputSchema,
      response: supplierOfferSchema,
      status: 201,
    }),
    valid('param', idParam),
    valid('json', supplierOfferInputSchema),
    async (c) => {
      const db = openDb(c.env.DB);
      const offer = await createOffer(
        db,
        currentUser(c).organizationId,
        c.req.valid('param').id,
        c.req.valid('json'),
      );
      return c.json(offer, 201);
    },
  )
  .patch(
    '/suppliers/:id/offers/:offerId',
    route({
      method: 'patch',
      path: '/suppliers/:id/offers/:offerId',
      tag: 'suppliers',
      summary: 'Change an offer (only the fields sent)',
      access: { kind: 'user', right: 'suppliers:write' },
      body: offerPatchSchema,
      response: supplierOfferSchema,
    }),
    valid('param', offerParam),
    validPatch(offerPatchSchema),
    async (c) => {
      const { id, offerId } = c.req.valid('param');
      const db = openDb(c.env.DB);
      const offer = await updateOffer(db, currentUser(c).organizationId, id, offerId, c.req.valid('json'));
      return c.json(offer, 200);
    },
  )
  .delete(
    '/suppliers/:id/offers/:offerId',
    route({
      method: 'delete',
      path: '/suppliers/:id/offers/:offerId',
      tag: 'suppliers',
      summary: 'Withdraw an offer',
      access: { kind: 'user', right: 'suppliers:write' },
      status: 204,
    }),
    valid('param', offerParam),
    async (c) => {
      const { id, offerId } = c.req.valid('param');
      await deleteOffer(openDb(c.env.DB), currentUser(c).organizationId, id, offerId);
      return c.body(null, 204);
    },
  );
