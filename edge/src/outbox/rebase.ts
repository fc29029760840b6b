/**
 * Re-basing the ledger after a restore from backup.
 *
 * A restored database hands out seqs again from the backup's highest one, while the hub may already hold (and
 * have acknowledged) higher seqs from this gateway. Sent as they are, new events would reuse seqs the hub
 * holds and be taken for duplicates (lost), and the hub's ack would lie beyond what was sent (the forwarder
 * refuses it and stalls). The reasoning the fix rests on:
 *
 * - Seqs are handed out in order by one writer, and a backup is a consistent snapshot. So every event in the
 *   backup with seq ≤ the hub's ack H is the very event (same id, same seq) the hub applied or wrote off as a
 *   gap: it is done.
 * - Events made after the restore are new; they must get seqs above H before they are ever sent.
 *
 * So the restore records its restore point (the highest seq the restored database had handed out) in
 * `ledger_restore`. While that row exists the forwarder sends nothing: it first asks the hub for H (GET
 * /gateways/:id/pars answers the hub's cursor), then, in one SQLite transaction, moves the events after the
 * restore point to start just above max(H, restore point) — order and ids kept, undo slots that name them
 * rewritten — sets sqlite_sequence so the next seq follows them, sets the local ack to H and deletes the row.
 * A gateway that was never restored has no row, and forwards exactly as before.
 */
import { eq, sql } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import type { GatewayDb } from '../db/open-db.ts';
import { ledgerRestore } from '../db/schema.ts';
import { UNDO_SLOT_PREFIX } from '../staff/staff-view.ts';

export interface RestoreMark {
  restorePoint: number;
  restoredAt: number;
  backupFile: string;
}

export interface RebaseResult {
  /** The local ack after the re-base: the hub's ack, or the old local one if that was higher. */
  ackSeq: number;
  /** How far the events made after the restore moved up (0 when none needed to). */
  shift: number;
  /** How many of those events were renumbered. */
  moved: number;
}

/**
 * Writes the restore mark into a freshly restored database (already migrated, not yet in use). The restore
 * point is the highest seq it ever handed out: sqlite_sequence survives pruning, and the local ack and the
 * newest row are taken too in case either is higher. A backup taken while an earlier mark was still waiting
 * keeps that mark's point: the events after it were never sent, so they still need moving. Returns the point.
 */
export async function markRestored(client: Client, backupFile: string, at: Date): Promise<number> {
  const result = await client.execute(
    `SELECT max(
       coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'stock_events'), 0),
       coalesce((SELECT max(seq) FROM stock_events), 0),
       coalesce((SELECT ack_seq FROM outbox_state WHERE id = 1), 0)
     ) AS point`,
  );
  const restorePoint = Number(result.rows[0]?.point ?? 0);
  await client.execute({
    sql: `INSERT INTO ledger_restore (id, restore_point, restored_at, backup_file) VALUES (1, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET restored_at = excluded.restored_at, backup_file = excluded.backup_file`,
    args: [restorePoint, at.getTime(), backupFile],
  });
  const kept = await client.execute('SELECT restore_point FROM ledger_restore WHERE id = 1');
  return Number(kept.rows[0]?.restore_point ?? restorePoint);
}

export async function readRestoreMark(db: GatewayDb): Promise<RestoreMark | null> {
  const [row] = await db.select().from(ledgerRestore).where(eq(ledgerRestore.id, 1));
  return row
    ? { restorePoint: row.restorePoint, restoredAt: row.restoredAt, backupFile: row.backupFile }
    : null;
}

/**
 * Re-bases the ledger on the hub's ack `hubAck` (see the file comment). One transaction (a libsql batch runs
 * its statements in one), so a crash leaves either the restored ledger with its mark or the re-based one
 * without it; an event made meanwhile is either moved with the others or numbered after them.
 */
export async function rebaseOnHubAck(
  db: GatewayDb,
  mark: RestoreMark,
  localAck: number,
  hubAck: number,
): Promise<RebaseResult> {
  const point = mark.restorePoint;
  const base = Math.max(hubAck, point);
  const shift = base - point;
  const ackSeq = Math.max(localAck, hubAck);
  const [pending] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM stock_events WHERE seq > ${point}`,
  );
  const prefixLength = UNDO_SLOT_PREFIX.length;
  // libsql binds a JS number as REAL; every number goes into SQL as an INTEGER, or slots would read 'undo:12.0'.
  const int = (n: number) => sql`CAST(${n} AS INTEGER)`;
  await db.batch([
    // Undo slots naming a post-restore event follow it. (CAST of the digits after the prefix.)
    db.run(sql`UPDATE stock_events
      SET slot = ${UNDO_SLOT_PREFIX} || (CAST(substr(slot, ${int(prefixLength + 1)}) AS INTEGER) + ${int(shift)})
      WHERE ${int(shift)} > 0 AND slot LIKE ${UNDO_SLOT_PREFIX + '%'}
        AND CAST(substr(slot, ${int(prefixLength + 1)}) AS INTEGER) > ${int(point)}`),
    // Two steps through negative seqs, so no row ever lands on a seq another row still holds.
    db.run(sql`UPDATE stock_events SET seq = -seq WHERE ${int(shift)} > 0 AND seq > ${int(point)}`),
    db.run(sql`UPDATE stock_events SET seq = -seq + ${int(shift)} WHERE seq < 0`),
    db.run(sql`UPDATE sqlite_sequence
      SET seq = max(seq, ${int(base)}, coalesce((SELECT max(seq) FROM stock_events), 0))
      WHERE name = 'stock_events'`),
    db.run(sql`INSERT INTO sqlite_sequence (name, seq)
      SELECT 'stock_events', ${int(base)}
      WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'stock_events')`),
    db.run(sql`INSERT INTO outbox_state (id, ack_seq) VALUES (1, ${int(ackSeq)})
      ON CONFLICT (id) DO UPDATE SET ack_seq = excluded.ack_seq`),
    db.run(sql`DELETE FROM ledger_restore WHERE id = 1`),
  ]);
  return { ackSeq, shift, moved: shift > 0 ? Number(pending?.n ?? 0) : 0 };
}
