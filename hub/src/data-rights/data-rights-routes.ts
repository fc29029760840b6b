import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import { organizations } from '../db/schema.ts';
import type { HubEnv } from '../env.ts';
import { AppError, notFound } from '../http/app-error.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { deleteOrganization } from './delete-organization.ts';
import { exportOrganization, exportZip } from './export.ts';

export const exportQuerySchema = z.strictObject({ format: z.enum(['json', 'zip']).default('json') });
/** Deleting needs the organization's exact name typed back: no accidental one-click deletion. */
export const deleteOrganizationSchema = z.strictObject({ confirm: z.string().min(1).max(200) });
export const deletionReportSchema = z.object({ deleted: z.record(z.string(), z.number().int()) });

export const dataRightsRoutes = new Hono<HubEnv>()
  .get(
    '/organization/export',
    route({
      method: 'get',
      path: '/organization/export',
      tag: 'data rights',
      summary: "All of the organization's data: JSON, or a ZIP of export.json and one CSV per table",
      access: { kind: 'user', right: 'data:export' },
      query: exportQuerySchema,
    }),
    valid('query', exportQuerySchema),
    async (c) => {
      const organizationId = currentUser(c).organizationId;
      const data = await exportOrganization(openDb(c.env.DB), organizationId);
      const stamp = data.exportedAt.slice(0, 19).replace(/[-:]/g, '');
      if (c.req.valid('query').format === 'json') {
        c.header('content-disposition', `attachment; filename="pourcast-${stamp}.json"`);
        return c.json(data, 200);
      }
      return c.body(exportZip(data) as Uint8Array<ArrayBuffer>, 200, {
        'content-type': 'application/zip',
        'content-disposition': `attachment; filename="pourcast-${stamp}.zip"`,
      });
    },
  )
  .delete(
    '/organization',
    route({
      method: 'delete',
      path: '/organization',
      tag: 'data rights',
      summary: 'Delete the organization and all of its data (body: {confirm: "<organization name>"})',
      access: { kind: 'user', right: 'organization:delete' },
      noAudit: 'the audit log is deleted with the organization it belongs to',
      body: deleteOrganizationSchema,
      response: deletionReportSchema,
    }),
    valid('json', deleteOrganizationSchema),
    async (c) => {
      const db = openDb(c.env.DB);
      const organizationId = currentUser(c).organizationId;
      const [organization] = await db
        .select({ name: organizations.name })
        .from(organizations)
        .where(eq(organizations.id, organizationId));
      if (!organization) throw notFound('organization');
      if (c.req.valid('json').confirm !== organization.name) {
        throw new AppError(422, 'confirmation_mismatch', 'confirm must be the organization name, exactly', [
          'body.confirm: does not match the organization name',
        ]);
      }
      return c.json({ deleted: await deleteOrganization(db, organizationId) }, 200);
    },
  );
