/**
 * Forecast benchmark: npm run bench:forecast -- <csv[.gz]> [--json] [--date col] [--key c1,c2]
 *   [--qty col] [--events c1,c2|none] [--group c1,c2] [--limit N] [--diagnose]
 * Runs the hub's forecasting engine unchanged over rolling origins (see forecast-run.ts) next to
 * seasonal naive and simple exponential smoothing; column detection is described in forecast-detect.ts.
 */
import { parseArgs } from 'node:util';
import { readTable } from './forecast-csv.ts';
import { DiagnosticTotals, type Diagnostics } from './forecast-diagnose.ts';
import { detectDate, detectEvents, detectKey, detectQuantity } from './forecast-detect.ts';
import { runBench, type BenchResult } from './forecast-run.ts';
import { buildSeries } from './forecast-series.ts';
import type { AccuracySummary } from '../hub/src/forecasting/index.ts';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    date: { type: 'string' },
    key: { type: 'string' },
    qty: { type: 'string' },
    events: { type: 'string' },
    group: { type: 'string' },
    limit: { type: 'string' },
    diagnose: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: npm run bench:forecast -- <csv[.gz]> [--json] [--date col] [--key c1,c2] [--qty col] [--events c1,c2|none] [--group c1,c2] [--limit N] [--diagnose]',
  );
  process.exit(2);
}
const list = (v?: string) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : undefined;
const progress = (text: string) => process.stderr.write(`\r${text}\x1b[K`);

const wallStart = performance.now();
const table = await readTable(file, (rows) => progress(`reading ${file}: ${rows.toLocaleString()} rows`));
const date = detectDate(table, flags.date);
const quantity = detectQuantity(table, date, flags.qty);
const key = detectKey(table, date, quantity, list(flags.key));
const group = (list(flags.group) ?? []).map((name) => {
  const c = table.header.indexOf(name);
  if (c < 0) throw new Error(`--group: no column "${name}"`);
  return c;
});
const events = detectEvents(table, [date, quantity, ...key, ...group], list(flags.events));
const limit = flags.limit ? Number(flags.limit) : Infinity;
const series = buildSeries(table, { date, quantity, key, events, group }, limit);
progress('');
console.error(
  `${table.rows.toLocaleString()} rows; date=${table.header[date]} qty=${table.header[quantity]} ` +
    `key=${key.map((c) => table.header[c]).join(',') || '(none)'} events=${events.map((c) => table.header[c]).join(',') || '(none)'}; ${series.length} series`,
);
const diagnostics = flags.diagnose ? new DiagnosticTotals() : undefined;
const result = runBench(
  series,
  (done) => progress(`forecasting: ${done}/${series.length} series`),
  {},
  diagnostics,
);
progress('');
const wallSeconds = (performance.now() - wallStart) / 1000;

const pct = (v: number | null) => (v === null ? '–' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null) => (v === null ? '–' : v.toFixed(3));
function row(name: string, s: AccuracySummary): string {
  return [
    name.padEnd(24),
    num(s.rmsse).padStart(6),
    num(s.mase).padStart(6),
    pct(s.wape).padStart(7),
    pct(s.bias).padStart(7),
    num(s.spl).padStart(6),
    pct(s.belowP10).padStart(7),
    pct(s.aboveP90).padStart(7),
  ].join('  ');
}
function print(r: BenchResult): void {
  console.log(
    `${file}: ${r.series} series × ${r.origins.length} origins (${r.origins[0]} … ${r.origins.at(-1)}), horizon 14`,
  );
  console.log(
    ['method'.padEnd(24), 'RMSSE', '  MASE', '   WAPE', '   bias', '   SPL', '  <P10', '  >P90'].join('  '),
  );
  console.log(row('engine', r.engine));
  console.log(row('seasonal naive (7 d)', r.seasonalNaive));
  console.log(row('SES', r.ses));
  console.log(row('TSB', r.tsb));
  console.log(row('NB, 28-d mean × weekday', r.nbWeekday));
  console.log(
    `engine: ${r.engine.forecasts} forecasts in ${r.engineSeconds.toFixed(1)} s = ${r.seriesPerSecond.toFixed(0)} series/s on one core; ${r.engineCpuSeconds.toFixed(1)} s of CPU = ${r.seriesPerCpuSecond.toFixed(0)} series per CPU-second (wall ${wallSeconds.toFixed(1)} s incl. reading and baselines)`,
  );
  const models = Object.entries(r.models).sort((a, b) => b[1] - a[1]);
  console.log(`models chosen: ${models.map(([m, n]) => `${m} ${n}`).join(', ')}`);
}
print(result);
const diagnosed = diagnostics?.summary();
if (diagnosed) printDiagnostics(diagnosed);

function printDiagnostics(d: Diagnostics): void {
  console.log(
    `diagnose: the engine's own distribution expects ${pct(d.modelBelowP10)} below P10 and ${pct(d.modelAboveP90)} above P90 (whole counts, strict)`,
  );
  console.log(
    `diagnose: randomized PIT deciles ${d.pitDeciles.map((v) => pct(v)).join(' ')} (10% each if calibrated)`,
  );
  console.log(
    `diagnose: RMSSE with the engine's daily shape at the actual 14-day level ${num(d.levelCeilingRmsse)} (level-estimation ceiling)`,
  );
}
if (flags.json) {
  const { engine, seasonalNaive, ses, tsb, nbWeekday } = result;
  console.log(
    JSON.stringify({
      file,
      series: result.series,
      eventColumns: events.map((c) => table.header[c]),
      origins: result.origins,
      ...engine,
      seriesPerSecond: result.seriesPerSecond,
      seriesPerCpuSecond: result.seriesPerCpuSecond,
      models: result.models,
      baselines: { seasonalNaive, ses, tsb, nbWeekday },
      ...(diagnosed ? { diagnostics: diagnosed } : {}),
    }),
  );
}
