import { beforeAll, describe, expect, it } from 'vitest';
import { useCatalogs } from '../../shared/i18n.ts';
import { MANAGER_CATALOGS } from '../catalogs/index.ts';
import { accuracyText, leastAccurate } from './overview-view.tsx';

beforeAll(() => useCatalogs(MANAGER_CATALOGS));

describe("the overview's forecast accuracy", () => {
  it('says how the last scored days went, or when the first scores come', () => {
    expect(accuracyText({ days: 12, rmsse: 0.7312, belowP10: 0.071, aboveP90: 0.118 })).toBe(
      'Last 12 days scored: RMSSE 0.73; 7% of days below P10 and 12% above P90 (each near 10% when the bands are right).',
    );
    expect(accuracyText({ days: 1, rmsse: 0.5, belowP10: 0, aboveP90: null })).toBe(
      'Last 1 day scored: RMSSE 0.5; 0% of days below P10 and — above P90 (each near 10% when the bands are right).',
    );
    expect(accuracyText({ days: 0, rmsse: null, belowP10: null, aboveP90: null })).toMatch(
      /^Each night the hub scores/,
    );
  });

  it('names the three scored items missed most, worst first', () => {
    const item = (itemId: string, days: number, rmsse: number | null) => ({ itemId, days, rmsse });
    expect(
      leastAccurate([
        item('a', 5, 0.6),
        item('b', 5, 1.4),
        item('c', 0, null),
        item('d', 5, 0.9),
        item('e', 5, 2.2),
        item('f', 3, null),
      ]).map((i) => i.itemId),
    ).toEqual(['e', 'b', 'd']);
  });
});
