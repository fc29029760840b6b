import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorEnvelope } from '@pourcast/protocol';
import type { Logger } from '../log.ts';

/** The one error the HTTP layer throws (STYLE.md "One error shape"). */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
  }
}

export function errorEnvelope(code: string, message: string, details?: string[]): ErrorEnvelope {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** `app.onError`: AppErrors keep their status and code; anything else is a 500 with no internals exposed. */
export function handleError(log: Logger) {
  return (error: Error, c: Context) => {
    if (error instanceof AppError)
      return c.json(errorEnvelope(error.code, error.message, error.details), error.status);
    log.error('http handler failed', { error, path: c.req.path });
    return c.json(errorEnvelope('internal', 'internal error'), 500);
  };
}
