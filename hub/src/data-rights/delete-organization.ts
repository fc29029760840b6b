import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db/client.ts';
import { memberships, users } from '../db/schema.ts';
import { deletionOrder, organizationTables } from './org-tables.ts';

/** D1 binds at most 100 parameters per statement. */
const CHUNK = 90;

/**
 * Deletes every row of the organization in one D1 batch (one transaction: all or nothing), children before
 * parents. People are deleted with it unless they are still members of another organization.
 */
export async function deleteOrganization(db: Db, organizationId: string): Promise<Record<string, number>> {
  const { scoped } = organizationTables();
  const members = await db
    .select({ id: memberships.userId })
    .from(memberships)
    .where(eq(memberships.organizationId, organizationId));
  const memberIds = members.map((m) => m.id);
  const counted: Record<string, number> = {};
  for (const table of scoped) {
    counted[table.name] = await db.$count(table.table, table.where(organizationId));
  }
  const statements: BatchItem<'sqlite'>[] = [];
  for (const table of deletionOrder(scoped)) {
    if (table.name === 'users') {
      // Users are scoped through memberships, which are gone by now: use the ids read before, keep anyone
      // who still belongs to another organization.
      for (let i = 0; i < memberIds.length; i += CHUNK) {
        const ids = memberIds.slice(i, i + CHUNK);
        statements.push(
          db
            .delete(users)
            .where(
              and(
                inArray(users.id, ids),
                notInArray(users.id, db.select({ id: memberships.userId }).from(memberships)),
              ),
            ),
        );
      }
      continue;
    }
    statements.push(db.delete(table.table).where(table.where(organizationId)));
  }
  if (statements.length > 0) await db.batch(statements as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
  return counted;
}
