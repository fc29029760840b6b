import { expect, it } from 'vitest';
import { silentLogger } from '../log.ts';
import { StorageGuard, storageFailure } from './storage-guard.ts';

it('refuses readings below the free-disk reserve, says why, and accepts again once space is back', () => {
  let free = 100 * 1024 * 1024;
  let now = 0;
  const guard = new StorageGuard({
    path: '/data/gateway.db',
    log: silentLogger,
    minFreeBytes: 64 * 1024 * 1024,
    freeBytes: () => free,
    now: () => now,
  });
  expect(guard.admit()).toBeNull();
  free = 10 * 1024 * 1024;
  now += 999;
  expect(guard.admit()).toBeNull(); // measured at most once a second
  now += 1;
  expect(guard.admit()).toMatch(/below the 67108864-byte reserve/);
  expect(guard.snapshot()).toMatchObject({ state: 'low', refused: 1, freeBytes: 10 * 1024 * 1024 });
  free = 200 * 1024 * 1024;
  now += 1000;
  expect(guard.admit()).toBeNull();
  expect(guard.snapshot().state).toBe('ok');
});

it('tells SQLite storage errors from others', () => {
  expect(
    storageFailure(
      Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }),
    ),
  ).toMatchObject({ state: 'full' });
  expect(
    storageFailure(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })),
  ).toMatchObject({
    state: 'failed',
  });
  expect(storageFailure(new Error('constraint failed'))).toBeNull();
  const guard = new StorageGuard({ path: '/x', log: silentLogger, freeBytes: () => null });
  expect(guard.failed(new Error('UNIQUE constraint failed'))).toBe(false);
  expect(guard.failed(Object.assign(new Error('full'), { code: 'SQLITE_FULL' }))).toBe(true);
  expect(guard.snapshot().state).toBe('full');
  guard.succeeded();
  expect(guard.snapshot().state).toBe('ok');
});
