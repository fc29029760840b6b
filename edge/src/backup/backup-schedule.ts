import { join } from 'node:path';
import type { Logger } from '../log.ts';
import { rotateBackups, takeBackup, type BackupFile } from './backup-files.ts';

export interface BackupScheduleOptions {
  dbPath: string;
  dataDir: string;
  log: Logger;
  /** Minutes between backups; 0: none scheduled (backupNow still works). */
  everyMinutes: number;
  keep: number;
  /** Default `<dataDir>/backups`. */
  dir?: string;
}

export interface BackupStatus {
  lastAt: number | null;
  lastFile: string | null;
  lastError: string | null;
}

/** Takes an online backup on a schedule and keeps the newest `keep`. One backup at a time. */
export class BackupSchedule {
  readonly dir: string;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<BackupFile> | null = null;
  #status: BackupStatus = { lastAt: null, lastFile: null, lastError: null };

  constructor(private readonly options: BackupScheduleOptions) {
    this.dir = options.dir ?? join(options.dataDir, 'backups');
  }

  start(): void {
    if (this.options.everyMinutes <= 0) return;
    this.#timer = setInterval(
      () => void this.backupNow().catch(() => {}),
      this.options.everyMinutes * 60_000,
    );
    this.#timer.unref();
  }

  get status(): Readonly<BackupStatus> {
    return this.#status;
  }

  backupNow(): Promise<BackupFile> {
    this.#running ??= this.#backup().finally(() => (this.#running = null));
    return this.#running;
  }

  async #backup(): Promise<BackupFile> {
    try {
      const file = await takeBackup(this.options.dbPath, this.dir);
      const removed = rotateBackups(this.dir, this.options.keep);
      this.#status = { lastAt: file.takenAt.getTime(), lastFile: file.path, lastError: null };
      this.options.log.info('backup taken', { file: file.path, bytes: file.bytes, removed: removed.length });
      return file;
    } catch (error) {
      this.#status = { ...this.#status, lastError: (error as Error).message };
      this.options.log.error('backup failed', { error });
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running?.catch(() => {});
  }
}
