import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { nbWeekdayReference } from './forecast-baselines.ts';
import { readTable } from './forecast-csv.ts';
import { detectDate, detectEvents, detectKey, detectQuantity } from './forecast-detect.ts';

describe('the README reference: negative binomial around the 28-day mean × weekday index', () => {
  it('puts each weekday at the recent mean times its index, Poisson when the days vary less than that', () => {
    // A year of Mondays selling 2 and other days 1: mean 8/7, Monday's index 1.75, the others' 0.875.
    const y = Float64Array.from({ length: 364 }, (_, t) => (t % 7 === 0 ? 2 : 1));
    const forecast = nbWeekdayReference({ y, dow0: 0 }, 8);
    expect(forecast.mean[0]).toBeCloseTo(2, 12);
    expect(forecast.mean[1]).toBeCloseTo(1, 12);
    expect(forecast.mean[7]).toBeCloseTo(2, 12);
    // No spread beyond Poisson. Mean 2: P(0) = 0.135, P(≤2) = 0.677, P(≤3) = 0.857, P(≤4) = 0.947.
    expect([forecast.p10[0], forecast.p50[0], forecast.p90[0]]).toEqual([0, 2, 4]);
    // Mean 1: P(0) = 0.368, P(≤1) = 0.736, P(≤2) = 0.920.
    expect([forecast.p10[1], forecast.p50[1], forecast.p90[1]]).toEqual([0, 1, 2]);
  });

  it('fits the dispersion by moments to the last 28 days', () => {
    // 0, 4, 0, 4...: every weekday sees both, so the index is flat and the level 2; E(y − 2)² = 4 = 2 + φ·4, φ = 0.5.
    // NB with r = 2, p = 0.5: P(0) = 0.25, P(≤1) = 0.5, P(≤4) = 0.891, P(≤5) = 0.938.
    const y = Float64Array.from({ length: 364 }, (_, t) => (t % 2 ? 4 : 0));
    const forecast = nbWeekdayReference({ y, dow0: 3 }, 2);
    expect(forecast.mean).toEqual([2, 2].map((m) => expect.closeTo(m, 12)));
    expect([forecast.p10[0], forecast.p50[0], forecast.p90[0]]).toEqual([0, 1, 5]);
  });
});

describe('the bench finds the columns of a sales file by their content', () => {
  const dir = mkdtempSync(join(tmpdir(), 'forecast-bench-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an M5-shaped gzipped file: date, quantity, item × store key, events without their types', async () => {
    const rows = ['item_id,store_id,date,weekday,sales,sell_price,snap,event_name,event_type'];
    const days = ['2016-02-12', '2016-02-13', '2016-02-14', '2016-02-15'];
    for (const item of ['GIN_1', 'RUM_2'])
      for (const store of ['CA_1', 'TX_1'])
        days.forEach((day, d) => {
          const event = day === '2016-02-14' ? 'ValentinesDay,Cultural' : ',';
          rows.push(
            `${item},${store},${day},${d},${(d * 3 + item.length) % 5},${d === 2 ? '2.49' : '2.99'},${d % 2},${event}`,
          );
        });
    const path = join(dir, 'sales.csv.gz');
    writeFileSync(path, gzipSync(rows.join('\n')));
    const table = await readTable(path);
    expect(table.rows).toBe(16);
    const name = (c: number) => table.header[c];
    const date = detectDate(table);
    const quantity = detectQuantity(table, date);
    const key = detectKey(table, date, quantity);
    expect([name(date), name(quantity), key.map(name)]).toEqual(['date', 'sales', ['item_id', 'store_id']]);
    // snap (a flag) and the event's name count; its type only relabels the name; price and weekday are not sparse.
    expect(detectEvents(table, [date, quantity, ...key]).map(name)).toEqual(['snap', 'event_name']);
  });

  it('says which option to pass when a column cannot be found', async () => {
    const path = join(dir, 'no-dates.csv');
    writeFileSync(path, 'store,week,sales\nA,1,3\nA,2,4\n');
    const table = await readTable(path);
    expect(() => detectDate(table)).toThrow(/pass --date/);
    expect(() => detectKey(table, 1, 2, ['shop'])).toThrow(/no column "shop"/);
  });
});
