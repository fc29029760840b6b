import { sha256Base64Url, type CsvImportResult, type ImportJob } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { nowIso, openDb } from '../db/client.ts';
import { letRequestsIn } from '../http/let-requests-in.ts';
import { listMappings } from './mappings.ts';
import { recordSaleLines, type SaleScope } from './record-sales.ts';
import type { CsvRowsResult } from './csv-import.ts';

/** Lines recorded per step; a file with more becomes a background job whose progress GET /pos/imports/:id shows. */
export const IMPORT_CHUNK = 200;

/**
 * A running job whose progress has not moved for this long is reported failed. Cloudflare keeps a Worker
 * alive for at most 30 s of `waitUntil` after the answer is sent (Workers limits, "waitUntil"), and one chunk
 * takes well under that, so a job this quiet was stopped with its Worker and will never finish by itself.
 */
export const STALLED_AFTER_MS = 120_000;

export interface JobRow {
  importId: string;
  organizationId: string;
  locationId: string;
  mappingId: string;
  fileName: string;
  /** `fileKey` of the file: a later import of the same file resumes where a stopped one left off. */
  fileKey: string;
}

/** What the job row stores: the job as answered, plus the file's key (never answered). */
type StoredJob = ImportJob & { fileKey?: string };

/** Same content read in the same zone gives the same sale lines in the same order. */
export const fileKey = (timeZone: string, content: string) => sha256Base64Url(`${timeZone}\n${content}`);

const answered = ({ fileKey: _key, ...job }: StoredJob): ImportJob => job;

const RESUME_HINT = 'import the same file again: it continues after the lines already recorded';

/**
 * Saves the job only while it is still running: once done or failed (a stalled job declared failed) it is
 * final. Answers false when the row was final already, so a Worker that outlived its stall stops recording.
 */
async function saveJob(d1: D1Database, job: ImportJob): Promise<boolean> {
  const answer = await openDb(d1).run(
    sql`UPDATE csv_imports SET result = json_set(${JSON.stringify(answered(job))}, '$.fileKey', json_extract(result, '$.fileKey'))
         WHERE id = ${job.importId} AND json_extract(result, '$.status') = 'running'`,
  );
  return answer.meta.changes > 0;
}

/**
 * Creates the import's row (status running) before any line is recorded. `resumedFrom` lines were recorded
 * by an earlier import of the same file that stopped (see `resumePoint`).
 */
export async function startJob(
  d1: D1Database,
  row: JobRow,
  total: number,
  now = nowIso(),
  resumedFrom = 0,
): Promise<ImportJob> {
  const job: ImportJob = {
    importId: row.importId,
    status: 'running',
    processed: resumedFrom,
    total,
    startedAt: now,
    updatedAt: now,
    ...(resumedFrom ? { resumedFrom } : {}),
  };
  await openDb(d1).run(
    sql`INSERT INTO csv_imports (id, organization_id, location_id, mapping_id, file_name, result)
        VALUES (${row.importId}, ${row.organizationId}, ${row.locationId}, ${row.mappingId}, ${row.fileName},
                ${JSON.stringify({ ...job, fileKey: row.fileKey })})`,
  );
  return job;
}

/**
 * Where a new import of this file may start: the lines the latest earlier import of the same file, bar and
 * mapping recorded before it failed or stalled (its progress is saved only after a chunk is recorded). 0 when
 * there is none, or it finished, or it is still running (lines are idempotent: starting over is safe).
 */
export async function resumePoint(d1: D1Database, row: JobRow): Promise<number> {
  const previous = await openDb(d1).get<{ id: string }>(
    sql`SELECT id FROM csv_imports WHERE organization_id = ${row.organizationId} AND location_id = ${row.locationId}
           AND mapping_id = ${row.mappingId} AND json_extract(result, '$.fileKey') = ${row.fileKey}
         ORDER BY created_at DESC LIMIT 1`,
  );
  if (!previous) return 0;
  const job = await readJob(d1, row.organizationId, previous.id);
  return job?.status === 'failed' ? job.processed : 0;
}

/**
 * Records the parsed lines a chunk at a time into `job` (its progress saved after each chunk), then the
 * result. Answers null if the job was declared stalled meanwhile.
 */
async function record(
  d1: D1Database,
  scope: SaleScope,
  job: ImportJob,
  parsed: CsvRowsResult,
): Promise<CsvImportResult | null> {
  // Lines an earlier attempt recorded are already there: duplicates, as a re-import would find them.
  const skipped = job.processed;
  const totals = { lines: skipped, recorded: 0, duplicates: skipped, needsMapping: 0 };
  for (let i = skipped; i < parsed.lines.length; i += IMPORT_CHUNK) {
    await letRequestsIn();
    const part = await recordSaleLines(d1, scope, parsed.lines.slice(i, i + IMPORT_CHUNK));
    totals.lines += part.lines;
    totals.recorded += part.recorded;
    totals.duplicates += part.duplicates;
    job.processed = Math.min(parsed.lines.length, i + IMPORT_CHUNK);
    job.updatedAt = nowIso();
    if (job.processed < job.total && !(await saveJob(d1, job))) return null;
  }
  const external = new Set(parsed.lines.map((line) => line.externalItemId));
  totals.needsMapping = (await listMappings(d1, scope.organizationId, true)).filter(
    (m) => m.provider === scope.provider && external.has(m.externalId),
  ).length;
  const result = { importId: job.importId, rows: parsed.rows, ...totals, errors: parsed.errors };
  const done = { ...job, status: 'done' as const, processed: job.total, updatedAt: nowIso(), result };
  return (await saveJob(d1, done)) ? result : null;
}

/**
 * Runs a started job to its end. A failure is recorded on the job with its reason (and logged without the
 * file's content) before it is thrown, so an error in the background of `waitUntil`, where nobody awaits it,
 * never leaves the job running with no explanation. Answers null if the job was declared stalled meanwhile.
 */
export async function runJob(
  d1: D1Database,
  scope: SaleScope,
  started: ImportJob,
  parsed: CsvRowsResult,
): Promise<CsvImportResult | null> {
  const job = { ...started };
  try {
    return await record(d1, scope, job, parsed);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error('pos import failed', job.importId, message);
    await saveJob(d1, {
      ...job,
      status: 'failed',
      updatedAt: nowIso(),
      error: `recording stopped after ${job.processed} of ${job.total} lines: ${message.slice(0, 300)}; ${RESUME_HINT}`,
    }).catch((saving: unknown) =>
      // The database itself is failing: the stall check reports the job failed once two minutes pass.
      console.error('pos import failure not saved', job.importId, (saving as Error).message),
    );
    throw err;
  }
}

/**
 * An import's status and progress. A running job with no progress for STALLED_AFTER_MS is declared failed
 * (and saved so, which also stops a Worker that might still be recording it). Older imports stored only
 * their result: done.
 */
export async function readJob(
  d1: D1Database,
  organizationId: string,
  importId: string,
  now = Date.now(),
): Promise<ImportJob | null> {
  const row = await openDb(d1).get<{ result: string; created_at: string }>(
    sql`SELECT result, created_at FROM csv_imports WHERE id = ${importId} AND organization_id = ${organizationId}`,
  );
  if (!row) return null;
  const parsed = JSON.parse(row.result) as StoredJob | CsvImportResult;
  if (!('status' in parsed)) {
    const at = row.created_at;
    const total = parsed.lines;
    return {
      importId,
      status: 'done',
      processed: total,
      total,
      startedAt: at,
      updatedAt: at,
      result: parsed,
    };
  }
  const stored = answered(parsed);
  if (stored.status !== 'running' || now - Date.parse(stored.updatedAt) < STALLED_AFTER_MS) return stored;
  const stalled: ImportJob = {
    ...stored,
    status: 'failed',
    updatedAt: new Date(now).toISOString(),
    error: `no progress since ${stored.updatedAt} after ${stored.processed} of ${stored.total} lines (the hub stopped the import); ${RESUME_HINT}`,
  };
  // Another reader may have declared it first: answer what is stored then.
  if (await saveJob(d1, stalled)) return stalled;
  return readJob(d1, organizationId, importId, now);
}
