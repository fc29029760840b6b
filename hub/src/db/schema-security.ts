import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Fixed-window counters for rate limits and login backoff (auth/rate-limit.ts), one row per key such as
 * `login:account:<hash of email>`, `login:address:<ip>` or `webhook:<connection id>`. A plain D1 table: no
 * Durable Object, so it works in a single Worker; a stale row is overwritten when its window has passed.
 */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: text('window_start').notNull(),
  count: integer('count').notNull(),
  /** Failures in a row (login backoff); reset by a success. */
  failures: integer('failures').notNull().default(0),
  lockedUntil: text('locked_until'),
});

/**
 * Every change a person or gateway makes through the API (audit/record.ts, written by `route()` for every
 * non-GET route): who, what, when, and the entity before and after, with secrets redacted.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    /** No foreign key: the log is append-only and outlives nothing but its organization (data-rights delete). */
    organizationId: text('organization_id').notNull(),
    actorKind: text('actor_kind').$type<'user' | 'gateway' | 'claim-code'>().notNull(),
    actorId: text('actor_id').notNull(),
    actorRole: text('actor_role'),
    /** The route as declared, e.g. `PATCH /items/:id`. */
    action: text('action').notNull(),
    /** The concrete path, e.g. `/items/01J...`. */
    path: text('path').notNull(),
    status: integer('status').notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    at: text('at')
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  },
  (t) => [
    index('audit_log_org_at_idx').on(t.organizationId, t.at),
    index('audit_log_org_actor_idx').on(t.organizationId, t.actorId),
  ],
);
