import { sql } from 'drizzle-orm';
import { newId, nowIso, openDb, runBatch } from '../db/client.ts';
import { lastCompleteTradingDay } from '../demand/business-day.ts';
import { letRequestsIn } from '../http/let-requests-in.ts';
import { forecastChunk, zoneScope, type ChunkOptions } from './forecast-chunk.ts';

/** Series per chunk: ~5 ms of engine CPU each, and under D1's 100 bound parameters per statement. */
export const DEFAULT_CHUNK_SERIES = 40;
const MAX_CHUNK_SERIES = 90;

export interface RunState {
  id: string;
  scope: string;
  runDate: string;
  cursor: string | null;
  seriesDone: number;
  seriesFailed: number;
  finished: boolean;
}

interface RunRow {
  id: string;
  scope: string;
  run_date: string;
  cursor: string | null;
  series_done: number;
  series_failed: number;
  finished_at: string | null;
}

const toState = (row: RunRow): RunState => ({
  id: row.id,
  scope: row.scope,
  runDate: row.run_date,
  cursor: row.cursor,
  seriesDone: row.series_done,
  seriesFailed: row.series_failed,
  finished: row.finished_at !== null,
});

async function readRun(d1: D1Database, id: string): Promise<RunState> {
  const row = await openDb(d1).get<RunRow>(sql`SELECT * FROM forecast_runs WHERE id = ${id}`);
  if (!row) throw new Error(`forecast run ${id} vanished`);
  return toState(row);
}

/**
 * The nightly runs: one per time zone the bars are in and trading day, opened by the first cron tick after
 * that day has closed there (06:00 local, when the day's demand is complete), so a bar in Paris is forecast
 * from yesterday's sales at 06:00 Paris time, and one in Los Angeles nine hours later. A run already opened
 * is left as it is.
 */
export async function nightlyRuns(d1: D1Database, now: Date): Promise<void> {
  const db = openDb(d1);
  const zones = await db.all<{ timezone: string }>(
    sql`SELECT DISTINCT timezone FROM locations ORDER BY timezone`,
  );
  const at = nowIso();
  for (const { timezone } of zones) {
    const runDate = lastCompleteTradingDay(timezone, now);
    const id = `cron-${runDate}-${timezone}`;
    await db.run(
      sql`INSERT OR IGNORE INTO forecast_runs (id, scope, run_date, started_at, updated_at)
          VALUES (${id}, ${zoneScope(timezone)}, ${runDate}, ${at}, ${at})`,
    );
  }
}

/** A fresh run for one organization (a manager's "forecast now"). */
export async function organizationRun(d1: D1Database, organizationId: string, now: Date): Promise<RunState> {
  const id = newId();
  const at = nowIso();
  await openDb(d1).run(
    sql`INSERT INTO forecast_runs (id, scope, run_date, started_at, updated_at)
        VALUES (${id}, ${organizationId}, ${now.toISOString().slice(0, 10)}, ${at}, ${at})`,
  );
  return readRun(d1, id);
}

/** A run the organization started ("forecast now"), or null: another organization's and the nightly runs are not its to see. */
export async function organizationRunState(
  d1: D1Database,
  organizationId: string,
  id: string,
): Promise<RunState | null> {
  const row = await openDb(d1).get<RunRow>(
    sql`SELECT * FROM forecast_runs WHERE id = ${id} AND scope = ${organizationId}`,
  );
  return row ? toState(row) : null;
}

export interface ContinueOptions extends Omit<ChunkOptions, 'size'> {
  chunkSeries?: number;
  /** Chunks this call may do; the next call (cron tick) resumes from the cursor. */
  maxChunks?: number;
}

/**
 * Does up to `maxChunks` chunks of a run. Each chunk writes its forecasts, scores and the advanced cursor
 * in one D1 batch (a transaction), so a run killed at any point resumes exactly after its last chunk.
 */
export async function continueRun(
  d1: D1Database,
  run: RunState,
  options: ContinueOptions = {},
): Promise<RunState> {
  const size = Math.min(options.chunkSeries ?? DEFAULT_CHUNK_SERIES, MAX_CHUNK_SERIES);
  let state = run;
  for (let chunk = 0; chunk < (options.maxChunks ?? Infinity) && !state.finished; chunk++) {
    if (chunk > 0) await letRequestsIn();
    const result = await forecastChunk(d1, state, { ...options, size });
    const at = nowIso();
    const advance = sql`UPDATE forecast_runs SET cursor = ${result.cursor}, series_done = series_done + ${result.done},
            series_failed = series_failed + ${result.failed}, updated_at = ${at},
            finished_at = ${result.last ? at : null} WHERE id = ${state.id} AND cursor IS ${state.cursor}`;
    const outcome = await runBatch(d1, [...result.writes, advance]);
    if (outcome.at(-1)!.meta.changes !== 1) {
      // Another invocation advanced this run meanwhile; its writes are the same forecasts. Re-read and go on.
      state = await readRun(d1, state.id);
      continue;
    }
    state = await readRun(d1, state.id);
  }
  return state;
}

/** Latest unfinished runs first, for the cron to resume. */
export async function openRuns(d1: D1Database): Promise<RunState[]> {
  const results = await openDb(d1).all<RunRow>(
    sql`SELECT * FROM forecast_runs WHERE finished_at IS NULL ORDER BY started_at`,
  );
  return results.map(toState);
}
