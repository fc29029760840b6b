import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { validator } from 'hono/validator';
import { formatIssues } from '@pourcast/protocol';
import type { z } from 'zod';
import { AppError } from './app-error.ts';

/**
 * Validates one part of the request with a protocol schema; failures become a 400 envelope whose details are
 * `path: message` lines, prefixed by the part (`body.events.0.seq: ...`).
 */
export function valid<T extends keyof ValidationTargets, S extends z.ZodType>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const prefix = target === 'json' ? 'body' : target;
      const details = formatIssues(result.error as unknown as z.ZodError).map((line) =>
        line.startsWith('(root)') ? `${prefix}${line.slice('(root)'.length)}` : `${prefix}.${line}`,
      );
      throw new AppError(400, 'invalid_request', `invalid ${prefix}`, details);
    }
  });
}

/**
 * A PATCH body: zod 4 applies `.default()` inside `.partial()`, so protocol's patch schemas would fill every
 * missing field with its default and overwrite it. Keep only the fields the caller actually sent.
 */
export function validPatch<S extends z.ZodType<Record<string, unknown>>>(schema: S) {
  return validator('json', async (value: unknown) => {
    const result = schema.safeParse(value);
    if (!result.success) {
      const details = formatIssues(result.error).map((line) =>
        line.startsWith('(root)') ? `body${line.slice('(root)'.length)}` : `body.${line}`,
      );
      throw new AppError(400, 'invalid_request', 'invalid body', details);
    }
    const sent = new Set(Object.keys(value as object));
    return Object.fromEntries(Object.entries(result.data).filter(([key]) => sent.has(key))) as Partial<
      z.infer<S>
    >;
  });
}
