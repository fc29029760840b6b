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
 *
 * The backup also rewound the scale platforms (scale_slots): the first weighing after the restore would be
 * compared with the backup's level, and the usage between the backup and the failure — already at the hub as
 * the events in (restore point, H] — would be counted again. So when H is above the restore point the forwarder
 * first takes those events back from the hub (GET /gateways/:id/events, hub-client/sent-events.ts), and the
 * same transaction, after the moves have freed their seqs, writes them into the ledger with their own ids and
 * seqs (acknowledged, so never sent again) and brings every platform they weighed forward to its newest such
 * event: that event's level and item, a bottle on it, and an empty window so the next readings settle afresh.
 * Until then the reading pipeline holds back weighings (ingest/reading-pipeline.ts) and, once the forwarder
 * announces `ledger-rebased`, reloads the platforms from here. A shelf camera measures drops from its slots'
 * newest camera events in the ledger: its changes wait for the same announcement, then it re-reads them
 * (camera/shelf-cameras.ts). The scanner keeps no state to bring forward.
 */
import { eq, sql } from 'drizzle-orm';
import type { Client } from '@libsql/client';
import type { StockEvent } from '@pourcast/protocol';
import { chunks } from '../db/chunks.ts';
import type { GatewayDb } from '../db/open-db.ts';
import { ledgerRestore, scaleSlots, stockEvents } from '../db/schema.ts';
import { toLedgerRow } from '../inventory/ledger.ts';
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
  /** Events the hub held in (restore point, H], written back into the ledger. */
  caughtUp: number;
  /** Scale platforms brought forward to the newest of those events that weighed them. */
  platforms: number;
}

/** Events per INSERT: 18 columns × 500 stays well under SQLite's 32,766 bound variables. */
const ROWS_PER_INSERT = 500;

/** A scale event's slot names its platform (ingest/scale/scale-pipeline.ts writes `platform-<n>`). */
const PLATFORM_SLOT = /^platform-(\d+)$/;

/**
 * The newest event that weighed each scale platform, by device and platform: where a restored platform stands
 * now. Only measurements count (a scale event always carries its level).
 */
export function newestPlatformLevels(events: readonly StockEvent[]) {
  const newest = new Map<string, { deviceId: string; platform: number; event: StockEvent }>();
  for (const event of events) {
    const platform = PLATFORM_SLOT.exec(event.slot ?? '');
    if (event.source !== 'scale' || !event.deviceId || !platform || event.levelAfterMl === null) continue;
    const key = `${event.deviceId}/${platform[1]}`;
    const known = newest.get(key);
    if (!known || known.event.seq < event.seq)
      newest.set(key, { deviceId: event.deviceId, platform: Number(platform[1]), event });
  }
  return [...newest.values()];
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
  /** The hub's events in (restore point, hubAck] (fetchSentEvents); others are ignored. */
  sent: readonly StockEvent[] = [],
  now = Date.now(),
): Promise<RebaseResult> {
  const point = mark.restorePoint;
  const base = Math.max(hubAck, point);
  const shift = base - point;
  const ackSeq = Math.max(localAck, hubAck);
  const caughtUp = sent.filter((event) => event.seq > point && event.seq <= hubAck);
  const platforms = newestPlatformLevels(caughtUp);
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
    // The moves above freed (point, H]: the hub's events take their own seqs back, acknowledged as they are.
    ...chunks(caughtUp, ROWS_PER_INSERT).map((rows) =>
      db.insert(stockEvents).values(rows.map((event) => ({ seq: event.seq, ...toLedgerRow(event, now) }))),
    ),
    // Each platform those events weighed stands where the newest of them left it, a bottle on it.
    ...platforms.map(({ deviceId, platform, event }) => {
      const state = {
        phase: 'bottle' as const,
        levelMl: event.levelAfterMl,
        itemId: event.itemId,
        window: [],
        observedAt: event.observedAt,
        updatedAt: now,
      };
      return db
        .insert(scaleSlots)
        .values({ deviceId, platform, ...state })
        .onConflictDoUpdate({ target: [scaleSlots.deviceId, scaleSlots.platform], set: state });
    }),
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
  return {
    ackSeq,
    shift,
    moved: shift > 0 ? Number(pending?.n ?? 0) : 0,
    caughtUp: caughtUp.length,
    platforms: platforms.length,
  };
}
