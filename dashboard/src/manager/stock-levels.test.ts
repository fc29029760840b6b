import { describe, expect, it } from 'vitest';
import { levelOf, parShare, runOutDate } from './stock-levels.ts';

describe('stock against par', () => {
  it('colours by the share of par', () => {
    expect(levelOf({ totalMl: 0, parLevelMl: 1000 })).toBe('out');
    expect(levelOf({ totalMl: 400, parLevelMl: 1000 })).toBe('critical');
    expect(levelOf({ totalMl: 900, parLevelMl: 1000 })).toBe('low');
    expect(levelOf({ totalMl: 1000, parLevelMl: 1000 })).toBe('ok');
    expect(levelOf({ totalMl: 500, parLevelMl: null })).toBe('unset');
    expect(parShare({ totalMl: 5000, parLevelMl: 1000 })).toBe(1.5);
  });

  it('finds the day the forecast empties the shelf', () => {
    const days = [
      { date: '2026-11-23', p50: 300, p90: 500 },
      { date: '2026-11-24', p50: 300, p90: 500 },
      { date: '2026-11-25', p50: 300, p90: 500 },
    ];
    expect(runOutDate(1000, days, 'p90')).toBe('2026-11-24');
    expect(runOutDate(1000, days, 'p50')).toBeNull();
    expect(runOutDate(0, days, 'p50')).toBe('2026-11-23');
  });
});

describe('projected stock on the item page', async () => {
  const { projectedStock } = await import('./views/item-view.tsx');
  it('subtracts cumulative demand, P90 demand giving the low edge', () => {
    const days = [
      { date: '2026-11-23', p10: 100, p50: 200, p90: 400 },
      { date: '2026-11-24', p10: 100, p50: 200, p90: 400 },
    ];
    expect(projectedStock(700, days)).toEqual([
      { date: '2026-11-23', p10: 300, p50: 500, p90: 600 },
      { date: '2026-11-24', p10: 0, p50: 300, p90: 500 },
    ]);
  });
});
