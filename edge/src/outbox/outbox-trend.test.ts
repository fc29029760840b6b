import { expect, it } from 'vitest';
import { OutboxTrend } from './outbox-trend.ts';

it('reports growth per hour over the last hour, and catch-up as a negative rate', () => {
  const trend = new OutboxTrend();
  trend.sample(0, 0);
  expect(trend.perHour()).toBeNull();
  for (let minute = 1; minute <= 120; minute++) trend.sample(minute * 60_000, minute * 50);
  expect(trend.perHour()).toBe(3000);
  trend.sample(121 * 60_000, 0);
  expect(trend.perHour()).toBeLessThan(0);
});

it('starts over when the clock jumps backwards', () => {
  const trend = new OutboxTrend();
  trend.sample(10 * 60_000, 100);
  trend.sample(20 * 60_000, 200);
  trend.sample(5 * 60_000, 210);
  expect(trend.perHour()).toBeNull();
});
