import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CHANNELS,
  DEVICE_ID_PATTERN,
  deviceTopic,
  parseTopic,
  PROTOCOL_VERSION,
  TOPIC_ROOT,
} from './topics.ts';

/** Valid device ids, drawn from the pattern itself. */
const deviceId = fc.stringMatching(DEVICE_ID_PATTERN);
const channel = fc.constantFrom(...CHANNELS);
/** Topic-ish strings: segments mixing valid pieces with MQTT's special characters and unicode. */
const segment = fc.oneof(
  deviceId,
  channel,
  fc.constantFrom(TOPIC_ROOT, PROTOCOL_VERSION, '', '+', '#', 'v2', '\u0000', 'SCALE-1', 'scale_1'),
  fc.string({ maxLength: 70, unit: 'grapheme' }),
);
const topicLike = fc.array(segment, { minLength: 0, maxLength: 7 }).map((parts) => parts.join('/'));

describe('topic parser (properties)', { timeout: 60_000 }, () => {
  it('accepts exactly the topics deviceTopic builds, and gives back their parts', () => {
    fc.assert(
      fc.property(deviceId, channel, (id, ch) => {
        expect(parseTopic(deviceTopic(id, ch))).toEqual({ ok: true, deviceId: id, channel: ch });
      }),
    );
  });

  it('never throws on topic-like input; an accepted topic is canonical, a refusal has a reason', () => {
    fc.assert(
      fc.property(topicLike, (topic) => {
        const parsed = parseTopic(topic);
        if (parsed.ok) {
          expect(deviceTopic(parsed.deviceId, parsed.channel)).toBe(topic);
        } else {
          expect(parsed.reason).toMatch(/\S/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses any topic holding a wildcard [MQTT-3.3.2-2], wherever it sits', () => {
    fc.assert(
      fc.property(deviceId, channel, fc.constantFrom('+', '#'), fc.nat(), (id, ch, wildcard, at) => {
        const topic = deviceTopic(id, ch);
        const cut = at % (topic.length + 1);
        const bad = topic.slice(0, cut) + wildcard + topic.slice(cut);
        expect(parseTopic(bad)).toEqual({ ok: false, reason: 'wildcard in topic' });
      }),
    );
  });

  it('never lets one device id stand for another: a parsed id matches the pattern, no / + # inside', () => {
    fc.assert(
      fc.property(topicLike, (topic) => {
        const parsed = parseTopic(topic);
        if (parsed.ok) {
          expect(parsed.deviceId).toMatch(DEVICE_ID_PATTERN);
          expect(parsed.deviceId).not.toMatch(/[/+#]/);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
