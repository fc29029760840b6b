import type { z } from 'zod';

export type Validated<T> = { ok: true; value: T } | { ok: false; reason: string; details: string[] };

/** Formats zod issues as `path: message` lines a technician can act on. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`,
  );
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): Validated<z.infer<S>> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const details = formatIssues(result.error);
  return { ok: false, reason: details.slice(0, 3).join('; '), details };
}

/** Parses JSON text then validates it; malformed JSON is a rejection with a reason, never a throw. */
export function parseJsonMessage<S extends z.ZodType>(schema: S, text: string): Validated<z.infer<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = `malformed JSON: ${(error as Error).message}`;
    return { ok: false, reason, details: [reason] };
  }
  return validate(schema, value);
}
