import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  channelPayloadSchemas,
  deviceStatusSchema,
  scanSchema,
  weightReadingSchema,
} from './device-messages.ts';
import { parseJsonMessage, validate } from './validation.ts';

const epochMs = fc.integer({ min: 1_500_000_000_000, max: 4_102_444_800_000 });
const weight = fc.record({
  seq: fc.nat(),
  at: epochMs,
  grams: fc.double({ min: -1000, max: 100_000, noNaN: true }),
  platform: fc.integer({ min: 0, max: 15 }),
});
const scan = fc.record({
  seq: fc.nat(),
  at: epochMs,
  barcode: fc.stringMatching(/^[\x21-\x7e]{4,64}$/),
  mode: fc.constantFrom('count', 'receive', 'waste'),
  quantity: fc.integer({ min: 1, max: 1000 }),
});
const schemas = Object.entries(channelPayloadSchemas);

/** Every kind of JSON value, deep and odd: the shapes a broken or hostile device could send. */
const anyJson = fc.jsonValue({ maxDepth: 4 });

describe('device payload schemas (properties)', { timeout: 60_000 }, () => {
  it('accept every well-formed weight reading and scan, unchanged through JSON', () => {
    fc.assert(
      fc.property(weight, (reading) => {
        const parsed = parseJsonMessage(weightReadingSchema, JSON.stringify(reading));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.value).toEqual({ ...reading, grams: reading.grams || 0 });
      }),
    );
    fc.assert(
      fc.property(scan, (read) => {
        expect(parseJsonMessage(scanSchema, JSON.stringify(read))).toEqual({ ok: true, value: read });
      }),
    );
  });

  it('never throw on arbitrary JSON; every refusal is `path: message` lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schemas), anyJson, ([, schema], value) => {
        const result = validate(schema, value);
        if (!result.ok) {
          expect(result.details.length).toBeGreaterThan(0);
          for (const line of result.details) expect(line).toMatch(/^[^:]+: \S/);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never throw on arbitrary text; malformed JSON is refused as such', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...schemas),
        fc.string({ maxLength: 200, unit: 'binary' }),
        ([, schema], text) => {
          const result = parseJsonMessage(schema, text);
          let isJson = true;
          try {
            JSON.parse(text);
          } catch {
            isJson = false;
          }
          if (!isJson)
            expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed JSON/) });
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('refuse a reading with one field broken, naming that field', () => {
    const breakages = fc.constantFrom(
      ['seq', -1],
      ['seq', 1.5],
      ['at', 0],
      ['grams', 1e9],
      ['grams', 'heavy'],
      ['platform', 16],
      ['extra', true],
    ) as fc.Arbitrary<[string, unknown]>;
    fc.assert(
      fc.property(weight, breakages, (reading, [field, value]) => {
        const result = validate(weightReadingSchema, { ...reading, [field]: value });
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.details.join('\n')).toContain(field === 'extra' ? 'extra' : `${field}: `);
      }),
    );
  });

  it('refuse non-finite or mistyped numbers that JSON cannot carry but JS can', () => {
    fc.assert(
      fc.property(weight, fc.constantFrom(Number.NaN, Infinity, -Infinity), (reading, bad) => {
        expect(validate(weightReadingSchema, { ...reading, grams: bad }).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(anyJson, (value) => {
        const result = validate(deviceStatusSchema, value);
        if (result.ok) expect(['online', 'offline']).toContain(result.value.state);
      }),
    );
  });
});
