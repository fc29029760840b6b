import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as protocol from './index.ts';
import { formatIssues } from './validation.ts';

/**
 * Every zod schema protocol/ exports (hub API, POS, staff display, provisioning, camera, device health…)
 * against arbitrary values: parsing never throws, a refusal always names a path and a reason, and whatever
 * parses survives a JSON round trip and parses again to the same value (so the hub and the gateway can
 * store it and read it back).
 */
const schemas = (Object.entries(protocol) as [string, unknown][]).filter(
  (entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType,
);

const checkRefusal = (error: z.ZodError) => {
  const lines = formatIssues(error);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) expect(line).toMatch(/^[^:]+: .+/);
};

describe('every protocol schema under arbitrary input', { timeout: 60_000 }, () => {
  it('finds the schemas of every module', () => {
    const names = schemas.map(([name]) => name);
    for (const expected of ['stockEventSchema', 'csvImportRequestSchema', 'deviceBundleSchema'])
      expect(names).toContain(expected);
    expect(schemas.length).toBeGreaterThan(60);
  });

  it.each(schemas)('%s never throws, names each refusal, and re-parses what it accepts', (_name, schema) => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.object(), fc.anything()), (value) => {
        const result = schema.safeParse(value);
        if (!result.success) return checkRefusal(result.error);
        const json = JSON.stringify(result.data);
        if (json === undefined) return;
        const again = schema.safeParse(JSON.parse(json));
        expect(again.success).toBe(true);
        if (again.success) expect(JSON.stringify(again.data)).toBe(json);
      }),
      { numRuns: 150, seed: 8 },
    );
  });
});
