import { describe, expect, it } from 'vitest';
import { median, rejectOutliers, SampleWindow } from './reading-filter.ts';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('rejectOutliers (median + MAD)', () => {
  it('drops a knock on the bar and averages the rest', () => {
    // median 1002, deviations 2,1,0,1,2,9998 → MAD 1.5; 11000 scores 0.6745·9998/1.5 ≫ 3.5
    const result = rejectOutliers([1000, 1001, 1002, 1003, 1004, 11000]);
    expect(result).toEqual({ value: 1002, kept: 5, rejected: 1 });
  });

  it('keeps every sample of ordinary noise', () => {
    const result = rejectOutliers([98, 102, 100, 101, 99]);
    expect(result).toEqual({ value: 100, kept: 5, rejected: 0 });
  });

  it('rejects on both sides', () => {
    const result = rejectOutliers([-5000, 500, 501, 499, 500, 502, 498, 7000]);
    expect(result.rejected).toBe(2);
    expect(result.value).toBe(500);
  });

  it('with MAD 0 keeps only the samples equal to the median', () => {
    expect(rejectOutliers([7, 7, 7, 9])).toEqual({ value: 7, kept: 3, rejected: 1 });
  });
});

describe('SampleWindow', () => {
  it('filters only once full, then slides', () => {
    const window = new SampleWindow(3);
    window.push(10);
    window.push(11);
    expect(window.filtered()).toBeUndefined();
    window.push(12);
    expect(window.filtered()?.value).toBe(11);
    window.push(13);
    expect(window.values()).toEqual([11, 12, 13]);
    window.clear();
    expect(window.length).toBe(0);
  });
});
