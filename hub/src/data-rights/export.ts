import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { organizations } from '../db/schema.ts';
import { redact } from '../audit/redact.ts';
import { notFound } from '../http/app-error.ts';
import { csvField } from '../ordering/export-csv.ts';
import { organizationTables } from './org-tables.ts';
import { zip } from './zip.ts';

export interface OrganizationExport {
  format: 'pourcast-export/1';
  exportedAt: string;
  organizationId: string;
  /** Every table holding the organization's rows, by table name; credentials and their hashes redacted. */
  tables: Record<string, Record<string, unknown>[]>;
}

/** All of one organization's rows, table by table (the same scopes the deletion uses). */
export async function exportOrganization(db: Db, organizationId: string): Promise<OrganizationExport> {
  const [organization] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!organization) throw notFound('organization');
  const tables: OrganizationExport['tables'] = {};
  for (const table of organizationTables().scoped.sort((a, b) => a.name.localeCompare(b.name))) {
    const rows = await db.select().from(table.table).where(table.where(organizationId));
    tables[table.name] = rows.map((row) => redact(row) as Record<string, unknown>);
  }
  return { format: 'pourcast-export/1', exportedAt: new Date().toISOString(), organizationId, tables };
}

const cell = (value: unknown) =>
  csvField(
    value === null || value === undefined
      ? null
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value),
  );

/** One table as CSV (RFC 4180, CRLF): a header of the union of the rows' columns, then the rows. */
export function tableCsv(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [
    columns.map(cell).join(','),
    ...rows.map((row) => columns.map((c) => cell(row[c])).join(',')),
  ];
  return lines.join('\r\n') + '\r\n';
}

/** The export as a ZIP: `export.json` plus one `<table>.csv` per table. */
export function exportZip(data: OrganizationExport): Uint8Array {
  const encoder = new TextEncoder();
  return zip([
    { name: 'export.json', data: encoder.encode(JSON.stringify(data)) },
    ...Object.entries(data.tables).map(([name, rows]) => ({
      name: `${name}.csv`,
      data: encoder.encode(tableCsv(rows)),
    })),
  ]);
}
