import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDb } from '../db/open-db.ts';
import { stockEvents } from '../db/schema.ts';
import { silentLogger } from '../log.ts';
import { checkBackup, listBackups, restoreBackup } from './backup-files.ts';
import { BackupSchedule } from './backup-schedule.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const event = (n: number) => ({
  id: `01JTEST${String(n).padStart(19, '0')}`,
  gatewayId: 'gw-1',
  locationId: 'loc-1',
  itemId: 'gin',
  kind: 'pour' as const,
  deltaMl: -30,
  containersDelta: 0,
  levelAfterMl: 700 - 30 * n,
  source: 'scale' as const,
  observedAt: new Date(1_763_000_000_000 + n).toISOString(),
  confidence: 1,
  recordedAt: 1_763_000_000_000 + n,
});

it('takes online backups while the database is open, keeps the newest N, and restores one', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pourcast-backup-'));
  dirs.push(dataDir);
  const store = await openDb(dataDir);
  const schedule = new BackupSchedule({
    dbPath: store.path,
    dataDir,
    log: silentLogger,
    everyMinutes: 0,
    keep: 2,
  });
  const taken: string[] = [];
  for (let n = 1; n <= 3; n++) {
    await store.db.insert(stockEvents).values(event(n));
    taken.push((await schedule.backupNow()).path);
  }
  await store.db.insert(stockEvents).values(event(4)); // after the last backup
  expect(listBackups(schedule.dir).map((file) => file.path)).toEqual([taken[2], taken[1]]);
  expect(schedule.status).toMatchObject({ lastFile: taken[2], lastError: null });
  expect(await checkBackup(taken[2]!)).toBeNull();
  store.close();

  await restoreBackup(dataDir, taken[1]!);
  const restored = await openDb(dataDir);
  expect((await restored.db.select().from(stockEvents)).map((row) => row.levelAfterMl)).toEqual([670, 640]);
  restored.close();
});

it('refuses to restore a backup that is not a sound database', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pourcast-backup-'));
  dirs.push(dataDir);
  const bogus = join(dataDir, 'gateway-20260101T000000000Z.db');
  (await import('node:fs')).writeFileSync(bogus, 'not a database'.repeat(400));
  await expect(restoreBackup(dataDir, bogus)).rejects.toThrow(/is not sound/);
});
