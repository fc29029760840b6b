import { and, desc, eq, gte, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema-security.ts';
import { AppError } from '../http/app-error.ts';
import type { AuditPage, AuditQuery } from './audit-schemas.ts';

/** The cursor is the last entry's `at` and id: pages are stable while new entries arrive. */
const encodeCursor = (at: string, id: string) => btoa(JSON.stringify([at, id]));

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(atob(cursor)) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    // falls through to the refusal
  }
  throw new AppError(400, 'invalid_request', 'invalid query', ['query.cursor: not a cursor from this API']);
}

/**
 * Entries whose path starts with `prefix`, compared as text rather than by LIKE: D1 refuses a LIKE pattern
 * over 50 bytes (a bar's par for an item, `/locations/<id>/pars/<id>`, is 70), and SQLite's LIKE has no
 * escape character unless one is named (a backslash put before `_` or `%` is matched as a backslash). Case
 * counts, as it does in ids.
 */
const pathStartsWith = (prefix: string): SQL =>
  sql`substr(${auditLog.path}, 1, ${[...prefix].length}) = ${prefix}`;

/** One organization's entries, newest first, filtered and paginated. */
export async function listAudit(db: Db, organizationId: string, query: AuditQuery): Promise<AuditPage> {
  const where: (SQL | undefined)[] = [eq(auditLog.organizationId, organizationId)];
  if (query.actorId) where.push(eq(auditLog.actorId, query.actorId));
  if (query.actorKind) where.push(eq(auditLog.actorKind, query.actorKind));
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.path) where.push(pathStartsWith(query.path));
  if (query.from) where.push(gte(auditLog.at, new Date(query.from).toISOString()));
  if (query.to) where.push(lte(auditLog.at, new Date(query.to).toISOString()));
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    where.push(or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, id))));
  }
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    entries: page.map(({ organizationId: _org, ...entry }) => entry),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.at, last.id) : null,
  };
}
