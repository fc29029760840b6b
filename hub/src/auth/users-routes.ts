import { Hono } from 'hono';
import { z } from 'zod';
import { userInputSchema, userSchema } from '@pourcast/protocol';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError } from '../http/app-error.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { createMember, listMembers } from './accounts.ts';
import { currentUser } from './guards.ts';

export const usersRoutes = new Hono<HubEnv>()
  .get(
    '/users',
    route({
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: "The organization's staff and their roles",
      access: { kind: 'user', right: 'users:read' },
      response: z.array(userSchema),
    }),
    async (c) => c.json(await listMembers(openDb(c.env.DB), currentUser(c).organizationId), 200),
  )
  .post(
    '/users',
    route({
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Add a member of staff with a role (only an owner may add an owner)',
      access: { kind: 'user', right: 'users:manage' },
      body: userInputSchema,
      response: userSchema,
      status: 201,
    }),
    valid('json', userInputSchema),
    async (c) => {
      const actor = currentUser(c);
      const input = c.req.valid('json');
      if (input.role === 'owner' && actor.role !== 'owner') {
        throw new AppError(403, 'forbidden', 'only an owner may add another owner');
      }
      return c.json(await createMember(openDb(c.env.DB), actor.organizationId, input), 201);
    },
  );
