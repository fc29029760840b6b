import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';

/**
 * - `ok`: readings are accepted.
 * - `low`: free disk below the reserve; new readings are refused before SQLite fills the disk, so the
 *   pipeline can still turn stored readings into events and the forwarder can still prune what the hub
 *   acknowledged (both need pages to write).
 * - `full`: SQLite answered SQLITE_FULL (disk or max_page_count): the write was rolled back whole.
 * - `failed`: SQLite answered an I/O or corruption error.
 */
export type StorageState = 'ok' | 'low' | 'full' | 'failed';

export interface StorageSnapshot {
  state: StorageState;
  /** Why readings are refused (null when `ok`); what a technician reads in /health. */
  reason: string | null;
  freeBytes: number | null;
  /** Readings refused for storage since start. */
  refused: number;
}

export interface StorageGuardOptions {
  /** The database file; free space is measured on its file system. */
  path: string;
  log: Logger;
  /** Reserve of free disk kept for the pipeline and the forwarder (default 64 MiB; 0: no reserve). */
  minFreeBytes?: number;
  /** How long one free-disk measurement is trusted (default 1 s). */
  checkEveryMs?: number;
  now?: () => number;
  /** Free bytes on the file system holding `path` (default statfs; tests inject a full disk). */
  freeBytes?: (path: string) => number | null;
}

/** A storage error from SQLite, by its result code (https://sqlite.org/rescode.html). */
export function storageFailure(error: unknown): { state: 'full' | 'failed'; reason: string } | null {
  const code = String((error as { code?: unknown })?.code ?? '');
  const message = (error as Error)?.message ?? String(error);
  if (code.startsWith('SQLITE_FULL') || /database or disk is full/i.test(message))
    return { state: 'full', reason: `disk full: ${message}` };
  if (/^SQLITE_(IOERR|CORRUPT|NOTADB|CANTOPEN|READONLY)/.test(code))
    return { state: 'failed', reason: `storage error ${code}: ${message}` };
  return null;
}

function statfsFree(path: string): number | null {
  try {
    const stats = statfsSync(dirname(path));
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return null;
  }
}

/**
 * Decides whether the gateway may take another reading, and says why not. Refusing is loud: the device
 * gets no PUBACK (the broker disconnects it, and a QoS 1 device keeps the reading to resend), the refusal is
 * counted, an error is logged on each change of state, and /health turns degraded with the reason. Old
 * readings are never given up to make room.
 */
export class StorageGuard {
  #failure: { state: 'full' | 'failed'; reason: string } | null = null;
  #free: number | null = null;
  #checkedAt = -Infinity;
  #refused = 0;
  #lastState: StorageState = 'ok';

  constructor(private readonly options: StorageGuardOptions) {}

  /** Null when a reading may be stored, else the reason it may not. */
  admit(): string | null {
    const snapshot = this.snapshot();
    if (snapshot.state === 'low') {
      this.#refused++;
      return snapshot.reason;
    }
    return null;
  }

  /** A storage write failed: true when it was a storage error (now reported), false for anything else. */
  failed(error: unknown): boolean {
    const failure = storageFailure(error);
    if (!failure) return false;
    this.#failure = failure;
    this.#refused++;
    this.#checkedAt = -Infinity; // measure the disk again on the next look
    this.#announce();
    return true;
  }

  /** A storage write succeeded: a past SQLITE_FULL no longer holds. */
  succeeded(): void {
    if (!this.#failure) return;
    this.#failure = null;
    this.#announce();
  }

  snapshot(): StorageSnapshot {
    const now = (this.options.now ?? Date.now)();
    if (now - this.#checkedAt >= (this.options.checkEveryMs ?? 1000)) {
      this.#free = (this.options.freeBytes ?? statfsFree)(this.options.path);
      this.#checkedAt = now;
    }
    const reserve = this.options.minFreeBytes ?? 64 * 1024 * 1024;
    let state: StorageState = 'ok';
    let reason: string | null = null;
    if (this.#failure) ({ state, reason } = this.#failure);
    else if (this.#free !== null && this.#free < reserve) {
      state = 'low';
      reason = `free disk ${this.#free} bytes is below the ${reserve}-byte reserve: new readings refused`;
    }
    if (state !== this.#lastState) {
      this.#lastState = state;
      this.#log(state, reason);
    }
    return { state, reason, freeBytes: this.#free, refused: this.#refused };
  }

  #announce(): void {
    this.snapshot();
  }

  #log(state: StorageState, reason: string | null): void {
    if (state === 'ok') this.options.log.warn('storage recovered: readings accepted again');
    else this.options.log.error('storage alert: refusing new readings', { state, reason });
  }
}
