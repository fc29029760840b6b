import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorEnvelope } from '@pourcast/protocol';
import { AppError } from './app-error.ts';

function envelope(c: Context, status: AppError['status'], error: ErrorEnvelope['error']) {
  const body: ErrorEnvelope = { error };
  return c.json(body, status);
}

/** `app.onError`: every failure leaves the hub as `{error: {code, message, details?}}` (STYLE "One error shape"). */
export function handleError(err: Error, c: Context) {
  if (err instanceof AppError) {
    return envelope(c, err.status, {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    });
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 400 ? 'bad_request' : status === 401 ? 'unauthorized' : 'http_error';
    return envelope(c, status as AppError['status'], { code, message: err.message || 'request refused' });
  }
  console.error('unhandled error', err);
  return envelope(c, 500, { code: 'internal', message: 'internal error' });
}

/** `app.notFound`: unknown routes answer the same envelope. */
export function handleNotFound(c: Context) {
  return envelope(c, 404, { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` });
}
