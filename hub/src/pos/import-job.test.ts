import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { importJobSchema, type ImportJob } from '@pourcast/protocol';
import { call, createItem, createLocation, freshHub, otherOrganization, staff } from '../../test/helpers.ts';
import { openDb } from '../db/client.ts';
import { letRequestsIn } from '../http/let-requests-in.ts';
import { app } from '../index.ts';
import { csvToSaleLines } from './csv-import.ts';
import { IMPORT_CHUNK, STALLED_AFTER_MS, fileKey, readJob, runJob, startJob } from './import-job.ts';
import { recordSaleLines } from './record-sales.ts';

let token: string;
let organizationId: string;
let locationId: string;
let mappingId: string;

const columns = { soldAt: 'Date', itemId: 'PLU', itemName: 'Name', quantity: 'Qty', amount: 'Net' };

beforeAll(async () => {
  const owner = await freshHub();
  token = owner.token;
  organizationId = owner.user.organizationId;
  locationId = await createLocation(token);
  const tequila = (await createItem(token, { name: 'Blanco Tequila', containerMl: 700, cost: 28 })).id;
  const menu = await call('POST', '/menu-items', {
    token,
    json: { name: 'Tequila shot', category: 'spirits', price: 6, recipe: [{ itemId: tequila, ml: 40 }] },
  });
  expect(menu.status).toBe(201);
  const mapped = await call('POST', '/pos/mappings', {
    token,
    json: { provider: 'csv', externalId: 'SHOT', menuItemId: menu.body.id },
  });
  expect(mapped.status).toBe(200);
  const mapping = await call('POST', '/pos/csv-mappings', { token, json: { name: 'Till export', columns } });
  expect(mapping.status).toBe(201);
  mappingId = mapping.body.id;
});

const ITEMS = [
  ['SHOT', 'Tequila shot'],
  ['IPA', 'IPA'],
  ['LAGER', 'Lager'],
] as const;

/**
 * A sales export of `count` good lines over six evening hours (every third a mapped tequila shot, the rest
 * two unmapped beers named with `prefix`), with a bad quantity on file line 3 and a bad date on file line 10.
 */
let day = 0;
function salesCsv(count: number, prefix: string) {
  // Its own day: without a line-id column a line is keyed by its content, so files must not share lines.
  const date = `2026-03-${String(++day).padStart(2, '0')}`;
  const rows = ['Date,PLU,Name,Qty,Net'];
  for (let i = 0; i < count; i++) {
    const at = `${date} ${18 + (Math.floor(i / 60) % 6)}:${String(i % 60).padStart(2, '0')}`;
    const [plu, name] = ITEMS[i % 3]!;
    rows.push(`${at},${plu === 'SHOT' ? plu : `${prefix}-${plu}`},${name},1,${6 + (i % 7)}`);
    if (rows.length === 2) rows.push(`${at},SHOT,Tequila shot,lots,6`);
    if (rows.length === 9) rows.push('yesterday,SHOT,Tequila shot,1,6');
  }
  return `${rows.join('\n')}\n`;
}

const tillExport = { name: 'Till export', columns, delimiter: ',' as const, modifierSeparator: '|' };

/** GET /pos/imports/:id until the job is no longer running; answers each distinct state seen, in order. */
async function poll(importId: string, as = token) {
  const seen: ImportJob[] = [];
  for (let attempt = 0; attempt < 20_000; attempt++) {
    // A timer turn between reads, as the job takes between chunks: reads chained on D1 alone would hold the
    // job's turn back (let-requests-in.ts), as its chunks held back every request before it took turns.
    if (attempt > 0) await letRequestsIn();
    // Through the app in this same context, so it interleaves with a background job started by postWatched.
    const response = await app.fetch(
      new Request(`http://hub.test/api/v1/pos/imports/${importId}`, {
        headers: { authorization: `Bearer ${as}` },
      }),
      env,
      createExecutionContext(),
    );
    expect(response.status).toBe(200);
    const job = importJobSchema.parse(await response.json());
    if (JSON.stringify(job) !== JSON.stringify(seen.at(-1))) seen.push(job);
    if (job.status !== 'running') return seen;
  }
  throw new Error(`import ${importId} still running: ${JSON.stringify(seen.at(-1))}`);
}

/**
 * POST /pos/imports through the app with an execution context of our own, so the answer comes back while its
 * `waitUntil` work still runs (the Worker's own fetch in tests waits for it) and GET can watch it progress.
 */
async function postWatched(json: object) {
  const ctx = createExecutionContext();
  const response = await app.fetch(
    new Request('http://hub.test/api/v1/pos/imports', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    }),
    env,
    ctx,
  );
  return {
    status: response.status,
    body: (await response.json()) as ImportJob,
    done: () => waitOnExecutionContext(ctx),
  };
}

async function shotUsageMl() {
  const row = await openDb(env.DB).get<{ ml: number }>(
    sql`SELECT COALESCE(SUM(u.ml), 0) AS ml FROM sale_usages u JOIN sale_lines s ON s.id = u.sale_line_id
         WHERE s.organization_id = ${organizationId} AND s.external_item_id = 'SHOT'`,
  );
  return row!.ml;
}

describe('POST /pos/imports of a small file', () => {
  it(`answers 201 with the result when the file has at most ${IMPORT_CHUNK} lines; GET shows it done`, async () => {
    const csv = salesCsv(30, 'SMALL');
    const answer = await call('POST', '/pos/imports', { token, json: { locationId, mappingId, csv } });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ rows: 32, lines: 30, recorded: 30, duplicates: 0, needsMapping: 2 });
    expect(answer.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 10]);
    const [job] = await poll(answer.body.importId);
    expect(job).toMatchObject({ status: 'done', processed: 30, total: 30, result: answer.body });
  });
});

describe('POST /pos/imports of a big file', () => {
  const csv = salesCsv(1000, 'BIG');

  it('answers 202 with the running job; GET shows progress, then done with the totals of the file', async () => {
    const usageBefore = await shotUsageMl();
    const answer = await postWatched({ locationId, mappingId, csv });
    expect(answer.status).toBe(202);
    const started = importJobSchema.parse(answer.body);
    expect(started).toMatchObject({ status: 'running', processed: 0, total: 1000 });
    expect(started.result).toBeUndefined();

    const seen = await poll(started.importId);
    await answer.done();
    const processed = seen.map((job) => job.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    const running = seen.slice(0, -1);
    // Five chunks of 200 lines, each letting requests in before it, outlast a GET: the first ones see it running.
    expect(running.length).toBeGreaterThan(0);
    for (const job of running) {
      expect(job.status).toBe('running');
      expect(job.processed % IMPORT_CHUNK).toBe(0);
      expect(job.processed).toBeLessThan(1000);
      expect(Date.parse(job.updatedAt)).toBeGreaterThanOrEqual(Date.parse(started.startedAt));
    }
    expect(processed.some((n) => n > 0 && n < 1000)).toBe(true);
    const done = seen.at(-1)!;
    expect(done).toMatchObject({ status: 'done', processed: 1000, total: 1000 });
    expect(done.result).toMatchObject({
      importId: started.importId,
      rows: 1002,
      lines: 1000,
      recorded: 1000,
      duplicates: 0,
      needsMapping: 2,
    });
    expect(done.result!.errors).toEqual([
      { line: 3, reason: 'Qty "lots" is not a quantity above 0' },
      expect.objectContaining({ line: 10 }),
    ]);
    // 334 tequila shots (every third of 1,000 lines) at 40 ml each became expected usage.
    expect((await shotUsageMl()) - usageBefore).toBe(334 * 40);
  });

  it('records nothing twice when the same file is imported again', async () => {
    const usageBefore = await shotUsageMl();
    const answer = await call('POST', '/pos/imports', { token, json: { locationId, mappingId, csv } });
    expect(answer.status).toBe(202);
    expect(answer.body.resumedFrom).toBeUndefined();
    const done = (await poll(answer.body.importId)).at(-1)!;
    expect(done.result).toMatchObject({ lines: 1000, recorded: 0, duplicates: 1000 });
    expect(await shotUsageMl()).toBe(usageBefore);
  });

  it('answers 404 to another organization and refuses a bartender', async () => {
    const answer = await call('POST', '/pos/imports', {
      token,
      json: { locationId, mappingId, csv: salesCsv(250, 'ISOLATION') },
    });
    expect(answer.status).toBe(202);
    await poll(answer.body.importId);
    const other = await otherOrganization();
    const foreign = await call('GET', `/pos/imports/${answer.body.importId}`, { token: other.token });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const bartender = await staff(token, 'bartender');
    const read = await call('GET', `/pos/imports/${answer.body.importId}`, { token: bartender.token });
    expect(read.status).toBe(403);
    const post = await call('POST', '/pos/imports', {
      token: bartender.token,
      json: { locationId, mappingId, csv: salesCsv(2, 'BARTENDER') },
    });
    expect(post.status).toBe(403);
  });
});

describe('an import whose Worker stopped', () => {
  it('is reported failed with the reason after no progress, stays failed, and the same file continues it', async () => {
    const csv = salesCsv(700, 'KILLED');
    const { timezone } = (await openDb(env.DB).get<{ timezone: string }>(
      sql`SELECT timezone FROM locations WHERE id = ${locationId}`,
    ))!;
    const parsed = await csvToSaleLines(csv, tillExport, timezone);
    const scope = { organizationId, locationId, provider: 'csv' as const };
    // What a Worker stopped after two chunks leaves behind: 400 lines recorded, the job saying so, then silence.
    const startedAt = new Date(Date.now() - STALLED_AFTER_MS - 60_000).toISOString();
    const job = await startJob(
      env.DB,
      {
        importId: `killed-${Date.now()}`,
        organizationId,
        locationId,
        mappingId,
        fileName: 'sales.csv',
        fileKey: await fileKey(timezone, csv),
      },
      parsed.lines.length,
      startedAt,
    );
    await recordSaleLines(env.DB, scope, parsed.lines.slice(0, 400));
    await openDb(env.DB).run(
      sql`UPDATE csv_imports SET result = json_set(result, '$.processed', 400) WHERE id = ${job.importId}`,
    );

    const fresh = await readJob(env.DB, organizationId, job.importId, Date.parse(startedAt) + 1000);
    expect(fresh).toMatchObject({ status: 'running', processed: 400 });

    const [failed] = await poll(job.importId);
    expect(failed).toMatchObject({ status: 'failed', processed: 400, total: 700 });
    expect(failed!.error).toContain(`no progress since ${startedAt} after 400 of 700 lines`);
    expect(failed!.error).toContain('import the same file again');
    // Declared once and kept: a Worker that wakes up cannot turn it back into running.
    const [again] = await poll(job.importId);
    expect(again).toEqual(failed);
    expect(await runJob(env.DB, scope, job, parsed)).toBeNull();
    expect((await poll(job.importId))[0]).toEqual(failed);

    // The same file again starts after the 400 lines the stopped import recorded.
    const rerun = await postWatched({ locationId, mappingId, csv });
    expect(rerun.status).toBe(202);
    expect(rerun.body).toMatchObject({ status: 'running', processed: 400, total: 700, resumedFrom: 400 });
    const done = (await poll(rerun.body.importId)).at(-1)!;
    await rerun.done();
    expect(done).toMatchObject({ status: 'done', processed: 700, resumedFrom: 400 });
    expect(done.result).toMatchObject({ lines: 700, recorded: 300, duplicates: 400 });
    const lines = await openDb(env.DB).get<{ n: number }>(
      sql`SELECT COUNT(*) AS n FROM sale_lines WHERE organization_id = ${organizationId} AND external_item_id LIKE 'KILLED-%'`,
    );
    // Every line of the file but its 234 tequila shots (i % 3 === 0) names a KILLED- beer: each recorded once.
    expect(lines!.n).toBe(700 - 234);
  });

  it('records an error raised while recording in the background on the job, with its reason', async () => {
    const parsed = await csvToSaleLines(salesCsv(450, 'BROKEN'), tillExport, 'UTC');
    const job = await startJob(
      env.DB,
      {
        importId: `broken-${Date.now()}`,
        organizationId,
        locationId,
        mappingId,
        fileName: 'sales.csv',
        fileKey: 'broken-file',
      },
      parsed.lines.length,
    );
    // The bar was deleted while its file was being recorded: its sale lines break the foreign key.
    const scope = { organizationId, locationId: 'deleted-bar', provider: 'csv' as const };
    await expect(runJob(env.DB, scope, job, parsed)).rejects.toThrow(/FOREIGN KEY/);
    const [failed] = await poll(job.importId);
    expect(failed).toMatchObject({ status: 'failed', processed: 0, total: 450 });
    expect(failed!.error).toMatch(
      /^recording stopped after 0 of 450 lines: .*FOREIGN KEY.*; import the same file again/,
    );
  });
});

describe('the OpenAPI document', () => {
  it('describes the 202 answer of POST /pos/imports and the job of GET /pos/imports/:id', async () => {
    const { paths } = (await call('GET', '/openapi.json')).body;
    const post = paths['/api/v1/pos/imports'].post;
    expect(post.responses['201']).toBeDefined();
    expect(post.responses['202'].content['application/json'].schema.properties.status.enum).toEqual([
      'running',
      'done',
      'failed',
    ]);
    expect(paths['/api/v1/pos/imports/{id}'].get.responses['200']).toBeDefined();
  });
});
