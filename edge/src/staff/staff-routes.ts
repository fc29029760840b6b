import { Hono, type MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import {
  pairRequestSchema,
  scanModeRequestSchema,
  undoRequestSchema,
  wasteEntrySchema,
  wastePhotoEntrySchema,
  weighQuerySchema,
  formatIssues,
} from '@pourcast/protocol';
import { z } from 'zod';
import { AppError } from '../display/app-error.ts';
import { bearerToken, readBody } from '../display/read-body.ts';
import type { PairedDisplay } from './display-tokens.ts';
import type { StaffDisplay } from './staff-display.ts';

export const DISPLAY_COOKIE = 'pourcast_display';
const YEAR_S = 365 * 24 * 3600;

type StaffEnv = { Variables: { display: PairedDisplay } };

/** Writes need a paired display: its token as the HttpOnly cookie or as `Authorization: Bearer`. */
function requireDisplay(staff: StaffDisplay): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization')) ?? getCookie(c, DISPLAY_COOKIE);
    const display = await staff.tokens.verify(token);
    if (!display)
      throw new AppError(401, 'unpaired', 'this screen is not paired with the gateway: enter a pairing code');
    // A cookie rides along on any request the browser makes: only JSON (which needs a CORS preflight from
    // another origin, and this API answers none) may write, so no form on another page can post as the display.
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      throw new AppError(415, 'unsupported_media_type', 'writes must be application/json');
    c.set('display', display);
    await next();
  };
}

const platformParams = z.strictObject({
  deviceId: z.string(),
  platform: z.coerce.number().int().min(0).max(15),
});

/**
 * The staff display's API under /api/v1/staff. `verifyAdmin` checks the gateway admin token, which the
 * technician uses to ask for a pairing code.
 */
export function staffRoutes(
  staff: StaffDisplay,
  verifyAdmin: (token: string | undefined) => Promise<boolean>,
) {
  const app = new Hono<StaffEnv>();

  app.post('/pairing-codes', async (c) => {
    if (!(await verifyAdmin(bearerToken(c.req.header('authorization')))))
      throw new AppError(
        401,
        'unauthorized',
        'a valid gateway admin token is required (Authorization: Bearer)',
      );
    return c.json(staff.tokens.issueCode(), 201);
  });

  app.post('/pair', async (c) => {
    const { code, name } = await readBody(c.req.raw, pairRequestSchema);
    const paired = await staff.tokens.pair(code, name);
    if (!paired) throw new AppError(401, 'bad_code', 'the pairing code is wrong, used or expired');
    setCookie(c, DISPLAY_COOKIE, paired.token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/api/v1/staff',
      maxAge: YEAR_S,
    });
    return c.json({ displayId: paired.id, name: paired.name, token: paired.token }, 201);
  });

  /** Whether this screen is paired (the display shows the pairing form when not). */
  app.get('/me', async (c) => {
    const display = await staff.tokens.verify(getCookie(c, DISPLAY_COOKIE));
    return c.json({ paired: display !== null, display });
  });

  app.get('/snapshot', async (c) => c.json(await staff.snapshot()));

  app.get('/live', async (c) => {
    const lastId = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    const afterSeq = lastId !== undefined && /^\d+$/.test(lastId) ? Number(lastId) : null;
    const body = await staff.open(afterSeq);
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      },
    });
  });

  app.get('/scales/:deviceId/platforms/:platform/weight', (c) => {
    const params = platformParams.safeParse(c.req.param());
    if (!params.success) throw new AppError(400, 'invalid_path', 'invalid path', formatIssues(params.error));
    const query = weighQuerySchema.safeParse(c.req.query());
    if (!query.success) throw new AppError(400, 'invalid_query', 'invalid query', formatIssues(query.error));
    return c.json(staff.weigh(params.data.deviceId, params.data.platform, query.data.itemId));
  });

  app.use('/waste', requireDisplay(staff));
  app.post('/waste', async (c) => {
    const entry = await readBody(c.req.raw, wasteEntrySchema);
    return c.json({ event: await staff.recordWaste(entry) }, 201);
  });

  /** The optional photo of a waste entry just made (its event id), as base64 JSON; see attachWastePhoto. */
  app.use('/waste-photos', requireDisplay(staff));
  app.post('/waste-photos', async (c) => {
    const entry = await readBody(c.req.raw, wastePhotoEntrySchema);
    const bytes = Uint8Array.from(Buffer.from(entry.image, 'base64'));
    return c.json(await staff.attachWastePhoto(entry.eventId, bytes), 201);
  });

  app.use('/undo', requireDisplay(staff));
  app.post('/undo', async (c) => {
    const request = await readBody(c.req.raw, undoRequestSchema);
    return c.json({ event: await staff.undo(request) }, 201);
  });

  /** A bartender puts a scanner in receive mode for a delivery (or back to count). */
  app.use('/scanners/:deviceId/mode', requireDisplay(staff));
  app.post('/scanners/:deviceId/mode', async (c) => {
    const request = await readBody(c.req.raw, scanModeRequestSchema);
    const display = c.get('display');
    return c.json(await staff.setScanMode(c.req.param('deviceId'), request, display), 202);
  });

  return app;
}
