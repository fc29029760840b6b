import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { locale, useCatalogs } from '../shared/i18n.ts';
import { MANAGER_CATALOGS } from './catalogs/index.ts';
import { amountText, containersText, countText, levelOf, parShare, runOutDate } from './stock-levels.ts';

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

describe('amounts in the unit the bar counts the item in', () => {
  beforeAll(() => useCatalogs(MANAGER_CATALOGS));
  afterEach(() => {
    locale.value = 'en-US';
  });
  // Bottled beer counted by the bottle: the hub keeps its stock and pars in units (containerMl 1).
  const bottledBeer = { category: 'beer', containerMl: 1, unit: 'unit' } as const;
  const cans = { category: 'mixer', containerMl: 1, unit: 'unit' } as const;
  const gin = { category: 'spirit', containerMl: 700, unit: 'ml' } as const;
  const lager = { category: 'keg', containerMl: 50_000, unit: 'ml' } as const;

  it('shows a countable in units, never in ml, with the plural the language wants', () => {
    expect(amountText(24, bottledBeer)).toBe('24 units');
    expect(amountText(1, cans)).toBe('1 unit');
    expect(amountText(0, cans)).toBe('0 units');
    expect(amountText(1500, bottledBeer)).toBe('1,500 units');
    locale.value = 'es';
    expect(amountText(24, bottledBeer)).toBe('24 unidades');
    expect(amountText(1, bottledBeer)).toBe('1 unidad');
    locale.value = 'hi';
    expect(amountText(24, bottledBeer)).toBe('24 इकाइयाँ');
    expect(amountText(1, bottledBeer)).toBe('1 इकाई');
  });

  it('shows a liquid as its volume, and its bottles or kegs beside', () => {
    expect(amountText(5250, gin)).toBe('5.25 L');
    expect(amountText(500, gin)).toBe('500 ml');
    expect(containersText(5250, gin)).toBe('7.5 bottles');
    expect(containersText(100_000, lager)).toBe('2 kegs');
    expect(containersText(24, bottledBeer)).toBe('24 units');
  });

  it('shows an amount of an item not (yet) known as a volume, as the hub keeps it', () => {
    expect(amountText(1500, undefined)).toBe('1.5 L');
  });

  it('counts containers by what the bar counts them in, as the order lines do', () => {
    expect(countText(7.5, 'bottles')).toBe('7.5 bottles');
    expect(countText(1, 'kegs')).toBe('1 keg');
    expect(countText(24, 'units')).toBe('24 units');
    locale.value = 'es';
    expect(countText(2, 'kegs')).toBe('2 barriles');
  });

  it('counts a countable with a container of more than one in those containers', () => {
    // A countable is kept with containerMl 1 (itemInputSchema); one stored otherwise is counted as the
    // hub's order lines count it: amount over container.
    expect(amountText(48, { category: 'beer', containerMl: 2, unit: 'unit' })).toBe('24 units');
  });
});

describe('projected stock on the item page', async () => {
  const { backtestLine, projectedStock, stockChartPoints } = await import('./views/item-view.tsx');
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

  it('draws a day in both the history and the forecast once, and leaves out forecast days already over', () => {
    const history = [
      { date: '2026-11-22', stock: 900 },
      { date: '2026-11-23', stock: 700 },
    ];
    // A forecast from the night before: its first day is over.
    const days = ['2026-11-22', '2026-11-23', '2026-11-24'].map((date) => ({
      date,
      p10: 100,
      p50: 200,
      p90: 400,
    }));
    expect(stockChartPoints(history, 700, days)).toEqual([
      { date: '2026-11-22', actual: 900 },
      { date: '2026-11-23', actual: 700, p10: 300, p50: 500, p90: 600 },
      { date: '2026-11-24', p10: 0, p50: 300, p90: 500 },
    ]);
    // No stock history yet (nothing measured): the forecast alone, from its first day.
    expect(stockChartPoints([], 700, days).map((p) => p.date)).toEqual(days.map((d) => d.date));
  });

  it("puts the forecast's backtest in words, and nothing when there was too little history", () => {
    expect(backtestLine({ windows: 4, rmsse: 0.8974, wape: 0.4048, bias: -0.1014 })).toBe(
      'Backtest on the last 4 two-week windows of its history: RMSSE 0.9, off by 40% of demand, bias -10%',
    );
    expect(backtestLine({ windows: 4, rmsse: null, wape: 0.5, bias: 0.03 })).toBe(
      'Backtest on the last 4 two-week windows of its history: RMSSE —, off by 50% of demand, bias +3%',
    );
    expect(backtestLine({ windows: 0, rmsse: null, wape: null, bias: null })).toBeNull();
    expect(backtestLine(null)).toBeNull();
  });
});
