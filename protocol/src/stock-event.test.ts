import { describe, expect, it } from 'vitest';
import { eventBatchSchema, stockEventSchema } from './stock-event.ts';
import { parseJsonMessage, validate } from './validation.ts';
import { weightReadingSchema } from './device-messages.ts';

const event = (seq: number) => ({
  gatewayId: 'gw-1',
  seq,
  id: '01JDQ4W6Z1X7M6V3Y0B8C2D4E5',
  locationId: 'loc-1',
  itemId: 'item-1',
  kind: 'pour' as const,
  deltaMl: -30,
  levelAfterMl: 620,
  source: 'scale' as const,
  deviceId: 'scale-01',
  observedAt: '2026-11-22T20:15:00.000Z',
  confidence: 0.99,
});

describe('stock events', () => {
  it('accepts a pour and defaults containersDelta to 0', () => {
    const parsed = stockEventSchema.parse(event(1));
    expect(parsed.containersDelta).toBe(0);
  });

  it('rejects a fractional millilitre delta with its path', () => {
    const result = validate(stockEventSchema, { ...event(1), deltaMl: -30.5 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.details[0]).toMatch(/^deltaMl: /);
  });

  it('requires strictly increasing seqs and one gateway per batch', () => {
    const result = validate(eventBatchSchema, {
      gatewayId: 'gw-1',
      fromSeq: 1,
      events: [event(2), event(2), { ...event(3), gatewayId: 'gw-2' }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.details).toContain('events.1.seq: seqs must be strictly increasing');
      expect(result.details).toContain('events.2.gatewayId: differs from the batch gatewayId');
    }
  });

  it('accepts a well-formed batch', () => {
    expect(
      validate(eventBatchSchema, { gatewayId: 'gw-1', fromSeq: 1, events: [event(1), event(2)] }).ok,
    ).toBe(true);
  });
});

describe('device messages', () => {
  it('reports malformed JSON as a reason, not a throw', () => {
    const result = parseJsonMessage(weightReadingSchema, '{"grams": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/^malformed JSON/);
  });

  it('rejects unknown fields in a weight reading', () => {
    const result = parseJsonMessage(
      weightReadingSchema,
      JSON.stringify({ seq: 1, at: Date.now(), grams: 500, x: 1 }),
    );
    expect(result.ok).toBe(false);
  });
});
