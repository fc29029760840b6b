import type { UserLocale } from '@pourcast/protocol';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { currentUser } from '../auth/guards.ts';
import { openDb } from '../db/client.ts';
import type { HubEnv } from '../env.ts';
import { notFound } from '../http/app-error.ts';
import { DEFAULT_LOCALE, translator } from '../i18n/catalog.ts';
import { route } from '../http/route.ts';
import { valid } from '../http/validate.ts';
import { getLocation, listLocations } from '../locations/locations.ts';
import { buildReport, type ReportScope } from './build-report.ts';
import { reportCsv, reportFileName, reportPdf, reportXlsx } from './report-files.ts';
import { reportPeriod } from './report-period.ts';
import {
  reportContextSchema,
  reportExportQuerySchema,
  reportParamSchema,
  reportQuerySchema,
  reportSchema,
  type ReportKind,
  stockHistoryQuerySchema,
  stockHistorySchema,
} from './report-schemas.ts';
import { stockHistory } from './stock-history.ts';

async function organizationOf(d1: D1Database, organizationId: string) {
  const row = await openDb(d1).get<{ name: string; currency: string }>(
    sql`SELECT name, currency FROM organizations WHERE id = ${organizationId}`,
  );
  if (!row) throw notFound('organization');
  return row;
}

/** The bars a report covers: the one asked for (404 when not the caller's), else all of the organization. */
async function scopeOf(
  env: HubEnv['Bindings'],
  organizationId: string,
  locationId?: string,
): Promise<ReportScope> {
  const db = openDb(env.DB);
  const org = await organizationOf(env.DB, organizationId);
  const bars = locationId
    ? [await getLocation(db, organizationId, locationId)]
    : await listLocations(db, organizationId);
  return { organizationId, organization: org.name, currency: org.currency, bars };
}

/** The report of a kind for the query's bar (or all) and period, its words in `locale`. */
async function reportFor(
  env: HubEnv['Bindings'],
  organizationId: string,
  kind: ReportKind,
  query: { locationId?: string | undefined; from: string; to: string },
  locale: UserLocale = DEFAULT_LOCALE,
) {
  const period = reportPeriod(query.from, query.to);
  const scope = await scopeOf(env, organizationId, query.locationId);
  return buildReport(env.DB, kind, scope, period, translator(locale));
}

/** The language a person chose on their profile (users.locale), null until they choose. */
async function localeOf(d1: D1Database, userId: string): Promise<UserLocale | null> {
  const row = await openDb(d1).get<{ locale: UserLocale | null }>(
    sql`SELECT locale FROM users WHERE id = ${userId}`,
  );
  return row?.locale ?? null;
}

const FILE_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;

export const reportsRoutes = new Hono<HubEnv>()
  .get(
    '/reports/context',
    route({
      method: 'get',
      path: '/reports/context',
      tag: 'reports',
      summary: "The organization's name and currency (how the app shows money)",
      access: { kind: 'user', right: 'profile:read' },
      response: reportContextSchema,
    }),
    async (c) => {
      const org = await organizationOf(c.env.DB, currentUser(c).organizationId);
      return c.json({ organization: org.name, currency: org.currency }, 200);
    },
  )
  .get(
    '/reports/stock-history',
    route({
      method: 'get',
      path: '/reports/stock-history',
      tag: 'reports',
      summary: "An item's stock at a bar at the end of each of its last N trading days (from the ledger)",
      access: { kind: 'user', right: 'stock:read' },
      query: stockHistoryQuerySchema,
      response: stockHistorySchema,
    }),
    valid('query', stockHistoryQuerySchema),
    async (c) => {
      const user = currentUser(c);
      const { locationId, itemId, days } = c.req.valid('query');
      const location = await getLocation(openDb(c.env.DB), user.organizationId, locationId);
      const scope = {
        organizationId: user.organizationId,
        locationId: location.id,
        itemId,
        timezone: location.timezone,
      };
      return c.json(await stockHistory(c.env.DB, scope, days), 200);
    },
  )
  .get(
    '/reports/:kind',
    route({
      method: 'get',
      path: '/reports/:kind',
      tag: 'reports',
      summary:
        'A report (valuation, variance, usage, waste, orders) for one bar or all, a period and the one before',
      access: { kind: 'user', right: 'reports:read' },
      query: reportQuerySchema,
      response: reportSchema,
    }),
    valid('param', reportParamSchema),
    valid('query', reportQuerySchema),
    async (c) => {
      const report = await reportFor(
        c.env,
        currentUser(c).organizationId,
        c.req.valid('param').kind,
        c.req.valid('query'),
      );
      return c.json(report, 200);
    },
  )
  .get(
    '/reports/:kind/export',
    route({
      method: 'get',
      path: '/reports/:kind/export',
      tag: 'reports',
      summary:
        "The same report as a CSV, XLSX or PDF download, in ?locale= or else the caller's language (PDF numbers, money and dates too)",
      access: { kind: 'user', right: 'reports:read' },
      query: reportExportQuerySchema,
    }),
    valid('param', reportParamSchema),
    valid('query', reportExportQuerySchema),
    async (c) => {
      const query = c.req.valid('query');
      const user = currentUser(c);
      const locale = query.locale ?? (await localeOf(c.env.DB, user.userId)) ?? DEFAULT_LOCALE;
      const report = await reportFor(c.env, user.organizationId, c.req.valid('param').kind, query, locale);
      const body =
        query.format === 'csv'
          ? reportCsv(report, locale)
          : query.format === 'xlsx'
            ? reportXlsx(report, locale)
            : await reportPdf(report, locale);
      return c.body(body as string | Uint8Array<ArrayBuffer>, 200, {
        'content-type': FILE_TYPES[query.format],
        'content-disposition': `attachment; filename="${reportFileName(report, query.format)}"`,
      });
    },
  );
