import { Hono } from 'hono';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  csvColumnMappingSchema,
  csvImportRequestSchema,
  csvImportResultSchema,
  csvMappingSchema,
  importJobSchema,
  posConnectionInputSchema,
  posConnectionSchema,
  posMappingRequestSchema,
  posMappingSchema,
  unknownModifierSchema,
} from '@pourcast/protocol';
import { currentUser } from '../auth/guards.ts';
import { newId, openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { route } from '../http/route.ts';
import { idParam } from '../http/params.ts';
import { valid } from '../http/validate.ts';
import { createConnection, listConnections } from './connections.ts';
import { csvToSaleLines } from './csv-import.ts';
import { xlsxToSaleLines } from './xlsx-import.ts';
import { listMappings, setMapping } from './mappings.ts';
import { IMPORT_CHUNK, fileKey, readJob, resumePoint, runJob, startJob } from './import-job.ts';
import { unknownModifiers } from './unknown-modifiers.ts';

const tag = 'pos';
const manage = { kind: 'user', right: 'pos:manage' } as const;
const mappingsQuery = z.strictObject({ unmapped: z.enum(['true', 'false']).default('false') });

export const posRoutes = new Hono<HubEnv>()
  .get(
    '/pos/connections',
    route({
      method: 'get',
      path: '/pos/connections',
      tag,
      summary: 'POS connections (keys never shown again)',
      access: manage,
      response: z.array(posConnectionSchema),
    }),
    async (c) => c.json(await listConnections(c.env.DB, currentUser(c).organizationId), 200),
  )
  .post(
    '/pos/connections',
    route({
      method: 'post',
      path: '/pos/connections',
      tag,
      summary: 'Connect a POS to a bar (Tabit: answers its signing secret once)',
      access: manage,
      body: posConnectionInputSchema,
      response: posConnectionSchema,
      status: 201,
    }),
    valid('json', posConnectionInputSchema),
    async (c) =>
      c.json(await createConnection(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 201),
  )
  .get(
    '/pos/mappings',
    route({
      method: 'get',
      path: '/pos/mappings',
      tag,
      summary: 'POS items and their menu items; ?unmapped=true is the needs-mapping list',
      access: manage,
      query: mappingsQuery,
      response: z.array(posMappingSchema),
    }),
    valid('query', mappingsQuery),
    async (c) =>
      c.json(
        await listMappings(c.env.DB, currentUser(c).organizationId, c.req.valid('query').unmapped === 'true'),
        200,
      ),
  )
  .post(
    '/pos/mappings',
    route({
      method: 'post',
      path: '/pos/mappings',
      tag,
      summary: 'Map a POS item id to a menu item; waiting sales are applied',
      access: manage,
      body: posMappingRequestSchema,
      response: posMappingSchema,
    }),
    valid('json', posMappingRequestSchema),
    async (c) => c.json(await setMapping(c.env.DB, currentUser(c).organizationId, c.req.valid('json')), 200),
  )
  .get(
    '/pos/unknown-modifiers',
    route({
      method: 'get',
      path: '/pos/unknown-modifiers',
      tag,
      summary:
        'POS modifier names no modifier matches (their lines counted at the plain recipe), most frequent first',
      access: manage,
      response: z.array(unknownModifierSchema),
    }),
    async (c) => c.json(await unknownModifiers(c.env.DB, currentUser(c).organizationId), 200),
  )
  .get(
    '/pos/csv-mappings',
    route({
      method: 'get',
      path: '/pos/csv-mappings',
      tag,
      summary: 'Saved CSV column mappings',
      access: manage,
      response: z.array(csvMappingSchema),
    }),
    async (c) => {
      const results = await openDb(c.env.DB).all<{ id: string; config: string }>(
        sql`SELECT id, config FROM csv_mappings WHERE organization_id = ${currentUser(c).organizationId}
             ORDER BY created_at`,
      );
      return c.json(
        results.map((row) => ({ id: row.id, ...JSON.parse(row.config) })),
        200,
      );
    },
  )
  .post(
    '/pos/csv-mappings',
    route({
      method: 'post',
      path: '/pos/csv-mappings',
      tag,
      summary: 'Save a CSV column mapping once',
      access: manage,
      body: csvColumnMappingSchema,
      response: csvMappingSchema,
      status: 201,
    }),
    valid('json', csvColumnMappingSchema),
    async (c) => {
      const mapping = c.req.valid('json');
      const id = newId();
      await openDb(c.env.DB).run(
        sql`INSERT INTO csv_mappings (id, organization_id, name, config)
            VALUES (${id}, ${currentUser(c).organizationId}, ${mapping.name}, ${JSON.stringify(mapping)})`,
      );
      return c.json({ id, ...mapping }, 201);
    },
  )
  .post(
    '/pos/imports',
    route({
      method: 'post',
      path: '/pos/imports',
      tag,
      summary: `Import a sales CSV or XLSX (bad rows reported by line; re-imports record nothing twice). A file of more than ${IMPORT_CHUNK} lines answers 202 with the running import: follow it at GET /pos/imports/:id`,
      access: manage,
      body: csvImportRequestSchema,
      response: csvImportResultSchema,
      status: 201,
      accepted: importJobSchema,
    }),
    valid('json', csvImportRequestSchema),
    async (c) => {
      const user = currentUser(c);
      const input = c.req.valid('json');
      const d1 = c.env.DB;
      const db = openDb(d1);
      const location = await db.get<{ timezone: string }>(
        sql`SELECT timezone FROM locations WHERE id = ${input.locationId} AND organization_id = ${user.organizationId}`,
      );
      if (!location) throw notFound('location');
      const saved = await db.get<{ config: string }>(
        sql`SELECT config FROM csv_mappings WHERE id = ${input.mappingId} AND organization_id = ${user.organizationId}`,
      );
      if (!saved) throw notFound('CSV mapping');
      const mapping = csvColumnMappingSchema.parse(JSON.parse(saved.config));
      const parsed =
        input.xlsxBase64 !== undefined
          ? await xlsxToSaleLines(
              Uint8Array.from(atob(input.xlsxBase64), (c) => c.charCodeAt(0)),
              mapping,
              location.timezone,
            )
          : await csvToSaleLines(input.csv!, mapping, location.timezone);
      const scope = {
        organizationId: user.organizationId,
        locationId: input.locationId,
        provider: 'csv' as const,
      };
      const row = {
        importId: newId(),
        organizationId: user.organizationId,
        locationId: input.locationId,
        mappingId: input.mappingId,
        fileName: input.fileName,
        fileKey: await fileKey(location.timezone, input.xlsxBase64 ?? input.csv!),
      };
      const job = await startJob(d1, row, parsed.lines.length, undefined, await resumePoint(d1, row));
      if (parsed.lines.length > IMPORT_CHUNK) {
        // A big file: recorded in the background, chunk by chunk; GET /pos/imports/:id shows the progress.
        // runJob records a failure on the job itself, so nothing is left to handle here.
        c.executionCtx.waitUntil(runJob(d1, scope, job, parsed).catch(() => undefined));
        return c.json(job, 202);
      }
      const result = await runJob(d1, scope, job, parsed);
      // Null only if a reader declared this job stalled while the request was still recording it.
      if (!result)
        throw new AppError(503, 'import_stalled', 'the import stalled; import the same file again');
      return c.json(result, 201);
    },
  )
  .get(
    '/pos/imports/:id',
    route({
      method: 'get',
      path: '/pos/imports/:id',
      tag,
      summary: 'An import: running with its progress (lines recorded of total), or done with its result',
      access: manage,
      response: importJobSchema,
    }),
    valid('param', idParam),
    async (c) => {
      const job = await readJob(c.env.DB, currentUser(c).organizationId, c.req.valid('param').id);
      if (!job) throw notFound('import');
      return c.json(job, 200);
    },
  );
