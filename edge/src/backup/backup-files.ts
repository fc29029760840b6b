import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { migrationsFolder } from '../db/open-db.ts';
import { markRestored } from '../outbox/rebase.ts';

/** `gateway-20261122T081500123Z.db`: names sort by time. */
const BACKUP_NAME = /^gateway-(\d{8}T\d{9}Z)\.db$/;

export interface BackupFile {
  path: string;
  takenAt: Date;
  bytes: number;
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}

/** SQL string literal: VACUUM INTO takes an expression, not a bound parameter in every SQLite build. */
function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * An online backup of the live database with `VACUUM INTO` (https://sqlite.org/lang_vacuum.html#vacuuminto):
 * a read transaction on its own connection copies a consistent snapshot, compacted, while the gateway goes
 * on writing (WAL). Never a copy of the file, which could catch a half-applied WAL. Written under a
 * temporary name and renamed, so a crash mid-backup leaves no file that looks complete.
 */
export async function takeBackup(dbPath: string, dir: string, at = new Date()): Promise<BackupFile> {
  mkdirSync(dir, { recursive: true });
  const target = resolve(join(dir, `gateway-${stamp(at)}.db`));
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const client = createClient({ url: `file:${resolve(dbPath)}` });
  try {
    await client.execute('PRAGMA busy_timeout = 5000');
    await client.execute(`VACUUM INTO ${sqlString(partial)}`);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    client.close();
  }
  renameSync(partial, target);
  return { path: target, takenAt: at, bytes: statSync(target).size };
}

/** Backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const digits = BACKUP_NAME.exec(name)![1]!;
      const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}T${digits.slice(9, 11)}:${digits.slice(11, 13)}:${digits.slice(13, 15)}.${digits.slice(15, 18)}Z`;
      const path = join(dir, name);
      return { path, takenAt: new Date(iso), bytes: statSync(path).size };
    });
}

/** Deletes all but the newest `keep` backups; returns the deleted paths. */
export function rotateBackups(dir: string, keep: number): string[] {
  const stale = listBackups(dir).slice(keep);
  for (const file of stale) rmSync(file.path, { force: true });
  return stale.map((file) => file.path);
}

/** Opens a backup and runs SQLite's integrity check; the first problem, or null when sound. */
export async function checkBackup(path: string): Promise<string | null> {
  const client = createClient({ url: `file:${resolve(path)}` });
  try {
    const result = await client.execute('PRAGMA integrity_check(1)');
    const verdict = String(Object.values(result.rows[0] ?? {})[0] ?? '');
    if (verdict !== 'ok') return verdict || 'integrity check gave no answer';
    await client.execute('SELECT count(*) FROM stock_events');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    client.close();
  }
}

/**
 * Puts a backup in place of `<dataDir>/gateway.db`. The gateway must be stopped. The damaged database
 * (and its WAL and shared-memory files) is moved aside as `gateway.db.replaced-<time>`, never deleted.
 * The restored file is migrated and carries a restore mark (its highest seq) before it is put in place, so
 * the gateway re-bases its ledger on the hub's ack before it forwards anything (edge/src/outbox/rebase.ts).
 */
export async function restoreBackup(
  dataDir: string,
  backupPath: string,
  at = new Date(),
): Promise<{ restored: string; movedAside: string[]; restorePoint: number }> {
  const problem = await checkBackup(backupPath);
  if (problem) throw new Error(`backup ${backupPath} is not sound: ${problem}`);
  const live = resolve(join(dataDir, 'gateway.db'));
  const movedAside: string[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    if (!existsSync(live + suffix)) continue;
    const aside = `${live}.replaced-${stamp(at)}${suffix}`;
    renameSync(live + suffix, aside);
    movedAside.push(aside);
  }
  // VACUUM INTO again rather than a copy: the restored file is written whole and checked on the way.
  const partial = `${live}.restoring`;
  rmSync(partial, { force: true });
  const client = createClient({ url: `file:${resolve(backupPath)}` });
  try {
    await client.execute(`VACUUM INTO ${sqlString(partial)}`);
  } finally {
    client.close();
  }
  const restoredClient = createClient({ url: `file:${partial}` });
  let restorePoint: number;
  try {
    await migrate(drizzle(restoredClient), { migrationsFolder });
    restorePoint = await markRestored(restoredClient, resolve(backupPath), at);
  } finally {
    restoredClient.close();
  }
  renameSync(partial, live);
  return { restored: live, movedAside, restorePoint };
}
