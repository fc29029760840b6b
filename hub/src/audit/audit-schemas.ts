import { z } from 'zod';

/** GET /audit filters: who, which declared route, which concrete path, a time range, and a page cursor. */
export const auditQuerySchema = z.strictObject({
  actorId: z.string().min(1).max(80).optional(),
  actorKind: z.enum(['user', 'gateway', 'claim-code']).optional(),
  /** The declared route, e.g. `PATCH /items/:id`. */
  action: z.string().min(1).max(200).optional(),
  /** Entries whose concrete path starts with this, e.g. `/items/01J...`. */
  path: z.string().min(1).max(300).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEntrySchema = z.object({
  id: z.string(),
  actorKind: z.enum(['user', 'gateway', 'claim-code']),
  actorId: z.string(),
  actorRole: z.string().nullable(),
  action: z.string(),
  path: z.string(),
  status: z.number().int(),
  before: z.unknown(),
  after: z.unknown(),
  at: z.string(),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
