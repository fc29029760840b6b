import { describe, expect, it } from 'vitest';
import type { DisplayDevice } from '@pourcast/protocol';
import { scannerToggles } from './scan-modes.ts';

const device = (id: string, extra: Partial<DisplayDevice> = {}): DisplayDevice => ({
  id,
  kind: 'scanner',
  state: 'online',
  lastStatusAt: null,
  ...extra,
});

describe('scanner receive toggles', () => {
  it('lists scanners only, a never-configured one counting', () => {
    expect(scannerToggles([device('scale-1', { kind: 'scale' }), device('scanner-1')])).toEqual([
      { id: 'scanner-1', online: true, status: 'modes.counting', receiving: false, next: 'receive' },
    ]);
  });

  it('says receiving only once the scanner acknowledged it, and offers to go back to counting', () => {
    const asked = device('scanner-1', { scanMode: { mode: 'receive', pending: true, configVersion: 2 } });
    expect(scannerToggles([asked])[0]).toMatchObject({
      status: 'modes.switching',
      receiving: true,
      next: 'count',
    });
    const taken = device('scanner-1', { scanMode: { mode: 'receive', pending: false, configVersion: 2 } });
    expect(scannerToggles([taken])[0]).toMatchObject({ status: 'modes.receiving', next: 'count' });
  });

  it('shows waste mode (set by a technician) and offers receive from it; an offline scanner is marked', () => {
    const waste = device('scanner-2', {
      state: 'offline',
      scanMode: { mode: 'waste', pending: false, configVersion: 1 },
    });
    expect(scannerToggles([waste])[0]).toEqual({
      id: 'scanner-2',
      online: false,
      status: 'modes.waste',
      receiving: false,
      next: 'receive',
    });
  });
});
