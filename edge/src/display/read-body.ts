import { validate } from '@pourcast/protocol';
import type { z } from 'zod';
import { AppError } from './app-error.ts';

/** A JSON request body checked against its protocol schema; failures are 400s with `path: message` lines. */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = await request.json();
  } catch {
    throw new AppError(400, 'invalid_body', 'the body must be JSON', ['(root): malformed JSON']);
  }
  const checked = validate(schema, value);
  if (!checked.ok) throw new AppError(400, 'invalid_body', 'invalid body', checked.details);
  return checked.value;
}

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
export function bearerToken(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
