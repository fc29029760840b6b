import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { idParam } from '../http/params.ts';
import { route } from '../http/route.ts';
import { valid, validPatch } from '../http/validate.ts';
import { getLocation } from '../locations/locations.ts';
import {
  calendarPatchSchema,
  calendarSettingsSchema,
  eventInputSchema,
  eventListSchema,
  eventParam,
  eventsQuerySchema,
  locationEventSchema,
} from './calendar-schemas.ts';
import {
  addEvent,
  deleteEvent,
  getCalendarSettings,
  listEvents,
  updateCalendarSettings,
} from './location-events.ts';

/** The bar in the caller's organization, or 404. */
const ownLocation = async (c: { env: HubEnv['Bindings'] } & Parameters<typeof currentUser>[0], id: string) =>
  getLocation(openDb(c.env.DB), currentUser(c).organizationId, id);

/** Holidays and local events per bar, its iCalendar feed and its weather coordinates (forecast inputs). */
export const calendarRoutes = new Hono<HubEnv>()
  .get(
    '/locations/:id/events',
    route({
      method: 'get',
      path: '/locations/:id/events',
      tag: 'calendar',
      summary: "A bar's holidays and local events (entered and from its iCalendar feed), by date",
      access: { kind: 'user', right: 'calendar:read' },
      query: eventsQuerySchema,
      response: eventListSchema,
    }),
    valid('param', idParam),
    valid('query', eventsQuerySchema),
    async (c) => {
      const location = await ownLocation(c, c.req.valid('param').id);
      return c.json({ events: await listEvents(c.env.DB, location.id, c.req.valid('query')) }, 200);
    },
  )
  .post(
    '/locations/:id/events',
    route({
      method: 'post',
      path: '/locations/:id/events',
      tag: 'calendar',
      summary: 'Add a holiday or local event (a match night, a festival) the forecast should expect',
      access: { kind: 'user', right: 'calendar:write' },
      body: eventInputSchema,
      response: locationEventSchema,
      status: 201,
    }),
    valid('param', idParam),
    valid('json', eventInputSchema),
    async (c) => {
      const location = await ownLocation(c, c.req.valid('param').id);
      const event = await addEvent(c.env.DB, location.organizationId, location.id, c.req.valid('json'));
      return c.json(event, 201);
    },
  )
  .delete(
    '/locations/:id/events/:eventId',
    route({
      method: 'delete',
      path: '/locations/:id/events/:eventId',
      tag: 'calendar',
      summary: 'Remove an event a manager entered (feed events change with the feed)',
      access: { kind: 'user', right: 'calendar:write' },
      status: 204,
    }),
    valid('param', eventParam),
    async (c) => {
      const { id, eventId } = c.req.valid('param');
      const location = await ownLocation(c, id);
      await deleteEvent(c.env.DB, location.id, eventId);
      return c.body(null, 204);
    },
  )
  .get(
    '/locations/:id/calendar',
    route({
      method: 'get',
      path: '/locations/:id/calendar',
      tag: 'calendar',
      summary: "A bar's iCalendar feed and weather coordinates, with when each was last fetched",
      access: { kind: 'user', right: 'calendar:read' },
      response: calendarSettingsSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const location = await ownLocation(c, c.req.valid('param').id);
      return c.json(await getCalendarSettings(c.env.DB, location.id), 200);
    },
  )
  .patch(
    '/locations/:id/calendar',
    route({
      method: 'patch',
      path: '/locations/:id/calendar',
      tag: 'calendar',
      summary: "Set or clear a bar's iCalendar feed URL and its coordinates for weather",
      access: { kind: 'user', right: 'calendar:write' },
      body: calendarPatchSchema,
      response: calendarSettingsSchema,
    }),
    valid('param', idParam),
    validPatch(calendarPatchSchema),
    async (c) => {
      const location = await ownLocation(c, c.req.valid('param').id);
      const settings = await updateCalendarSettings(
        c.env.DB,
        location.organizationId,
        location.id,
        c.req.valid('json'),
      );
      return c.json(settings, 200);
    },
  );
