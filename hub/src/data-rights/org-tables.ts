import { eq, getTableName, inArray, is, type SQL } from 'drizzle-orm';
import { getTableConfig, QueryBuilder, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as schema from '../db/schema.ts';

/** Tables that hold no organization's data, with the reason; every other table must be scoped below. */
export const NOT_ORGANIZATION_DATA: Record<string, string> = {
  rate_limits:
    'login and webhook counters keyed by hashed email, address or connection; expire by themselves',
};

/**
 * Tables whose link to the organization is a column without a foreign key: the column, and what it holds
 * (the organization's id, or the id of a row of a scoped table).
 */
export const COLUMN_SCOPES: Record<string, { column: string; holds: 'organization' | string }> = {
  organizations: { column: 'id', holds: 'organization' },
  // Rebuilt from the ledger (inventory/rebuild-stock-levels.ts); keyed by location and item.
  stock_levels: { column: 'location_id', holds: 'locations' },
  // `*` is the nightly run over every organization (not any one's data); else the organization's own run.
  forecast_runs: { column: 'scope', holds: 'organization' },
};

/** How one table's rows of an organization are found, derived from the drizzle schema's columns and keys. */
export interface OrgTable {
  name: string;
  table: SQLiteTable;
  /** The rows that belong to the organization. */
  where: (organizationId: string) => SQL;
  /** Tables this one references (delete this one first). */
  parents: string[];
}

const allTables = (): SQLiteTable[] =>
  (Object.values(schema) as unknown[]).filter((value): value is SQLiteTable => is(value, SQLiteTable));

/**
 * Scopes every table: by its own `organization_id`; else through a foreign key to a scoped table (a line
 * through its order, a receipt through its connection); else, for a table others point at (users), through
 * the scoped rows that point at it (members of the organization). A table that stays unscoped is reported.
 */
export function organizationTables(): { scoped: OrgTable[]; unscoped: string[] } {
  const tables = allTables().filter((t) => !(getTableName(t) in NOT_ORGANIZATION_DATA));
  const scoped = new Map<string, OrgTable>();
  const fks = new Map(
    tables.map((t) => [
      getTableName(t),
      getTableConfig(t)
        .foreignKeys.map((fk) => fk.reference())
        .filter((ref) => ref.columns.length === 1 && getTableName(ref.foreignTable) !== getTableName(t))
        .map((ref) => ({
          column: ref.columns[0]!,
          parent: ref.foreignTable,
          parentColumn: ref.foreignColumns[0]!,
        })),
    ]),
  );
  const parentsOf = (t: SQLiteTable) => [
    ...new Set(fks.get(getTableName(t))!.map((fk) => getTableName(fk.parent))),
  ];

  for (const t of tables) {
    const column = getTableConfig(t).columns.find((c) => c.name === 'organization_id');
    if (column)
      scoped.set(getTableName(t), {
        name: getTableName(t),
        table: t,
        where: (org) => eq(column, org),
        parents: parentsOf(t),
      });
  }
  const columnOf = (t: SQLiteTable, name: string) => getTableConfig(t).columns.find((c) => c.name === name)!;
  for (const t of tables) {
    const name = getTableName(t);
    const link = COLUMN_SCOPES[name];
    if (link?.holds === 'organization') {
      const column = columnOf(t, link.column);
      scoped.set(name, { name, table: t, where: (org) => eq(column, org), parents: parentsOf(t) });
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const t of tables) {
      const name = getTableName(t);
      if (scoped.has(name)) continue;
      const link = COLUMN_SCOPES[name];
      const linked = link && scoped.get(link.holds);
      if (linked) {
        const column = columnOf(t, link.column);
        const id = getTableConfig(linked.table).columns.find((c) => c.name === 'id')!;
        scoped.set(name, {
          name,
          table: t,
          where: (org) => inArray(column, subquery(linked, id, org)),
          parents: [...parentsOf(t), linked.name],
        });
        changed = true;
        continue;
      }
      const fk = fks.get(name)!.find((f) => scoped.has(getTableName(f.parent)));
      if (fk) {
        const parent = scoped.get(getTableName(fk.parent))!;
        scoped.set(name, {
          name,
          table: t,
          where: (org) => inArray(fk.column, subquery(parent, fk.parentColumn, org)),
          parents: parentsOf(t),
        });
        changed = true;
        continue;
      }
      // Pointed at by a scoped table (users ← memberships): the rows those point at.
      for (const [childName, childFks] of fks) {
        const into = childFks.find((f) => getTableName(f.parent) === name);
        const child = scoped.get(childName);
        if (into && child && childName !== name) {
          scoped.set(name, {
            name,
            table: t,
            where: (org) => inArray(into.parentColumn, subquery(child, into.column, org)),
            parents: parentsOf(t),
          });
          changed = true;
          break;
        }
      }
    }
  }
  return { scoped: [...scoped.values()], unscoped: tables.map(getTableName).filter((n) => !scoped.has(n)) };
}

/** `SELECT column FROM table WHERE <its scope>`, built with drizzle's query builder (parameterised). */
function subquery(table: OrgTable, column: SQLiteColumn, organizationId: string) {
  return new QueryBuilder().select({ value: column }).from(table.table).where(table.where(organizationId));
}

/** Children before parents, so deleting in this order never breaks a foreign key. */
export function deletionOrder(tables: OrgTable[]): OrgTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const order: OrgTable[] = [];
  const children = (name: string) => tables.filter((t) => t.parents.includes(name));
  const visit = (t: OrgTable, path: Set<string>) => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    for (const child of children(t.name)) visit(child, path);
    path.delete(t.name);
    done.add(t.name);
    order.push(t);
  };
  for (const t of tables) visit(byName.get(t.name)!, new Set());
  return order;
}
