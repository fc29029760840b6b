import { describe, expect, it } from 'vitest';
import { visibleRows } from './visible-rows.ts';

interface Line {
  name: string;
  ml: number | null;
  low: boolean;
}
const lines: Line[] = Array.from({ length: 600 }, (_, i) => ({
  name: `Item ${String(i).padStart(3, '0')}${i % 50 === 0 ? ' Gin' : ''}`,
  ml: i % 7 === 0 ? null : (i * 37) % 1000,
  low: i % 3 === 0,
}));

describe('table rows: search, filter, sort', () => {
  it('searches case-insensitively and filters', () => {
    const shown = visibleRows(lines, {
      query: '  gIN ',
      searchText: (l) => l.name,
      keep: (l) => l.low,
      value: (l) => l.name,
      descending: false,
    });
    expect(shown.map((l) => l.name)).toEqual([
      'Item 000 Gin',
      'Item 150 Gin',
      'Item 300 Gin',
      'Item 450 Gin',
    ]);
  });

  it('sorts numbers numerically either way, with nulls last', () => {
    const up = visibleRows(lines, { query: '', value: (l) => l.ml, descending: false });
    const down = visibleRows(lines, { query: '', value: (l) => l.ml, descending: true });
    const values = (rows: Line[]) => rows.map((l) => l.ml).filter((v) => v !== null);
    expect(values(up)).toEqual([...values(up)].sort((a, b) => a! - b!));
    expect(values(down)).toEqual([...values(up)].reverse());
    expect(up.at(-1)!.ml).toBeNull();
    expect(down.at(-1)!.ml).toBeNull();
    expect(up).toHaveLength(600);
  });
});
