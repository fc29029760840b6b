import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deviceTopic, parseTopic } from './topics.ts';

describe('topics', () => {
  it('round-trips a device topic', () => {
    expect(deviceTopic('scale-01', 'weight')).toBe('pourcast/v1/scale-01/weight');
    expect(parseTopic('pourcast/v1/scale-01/weight')).toEqual({
      ok: true,
      deviceId: 'scale-01',
      channel: 'weight',
    });
  });

  it.each([
    ['', 'empty topic'],
    ['pourcast/v1/+/weight', 'wildcard in topic'],
    ['pourcast/v1/scale-01/#', 'wildcard in topic'],
    ['pourcast/v2/scale-01/weight', 'unsupported protocol version v2'],
    ['other/v1/scale-01/weight', 'topic root must be pourcast'],
    ['pourcast/v1/Scale_01/weight', 'invalid device id "Scale_01"'],
    ['pourcast/v1/scale-01/bogus', 'unknown channel bogus'],
    ['pourcast/v1/scale-01/weight/extra', 'topic must be pourcast/v1/<deviceId>/<channel>'],
  ])('refuses %j with a reason', (topic, reason) => {
    expect(parseTopic(topic)).toEqual({ ok: false, reason });
  });

  it('refuses to build a topic for an invalid id', () => {
    expect(() => deviceTopic('a/b', 'weight')).toThrow(/invalid device id/);
  });

  it('never throws and always explains a refusal (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (topic) => {
        const parsed = parseTopic(topic);
        if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
        else expect(deviceTopic(parsed.deviceId, parsed.channel)).toBe(topic);
      }),
    );
  });
});
