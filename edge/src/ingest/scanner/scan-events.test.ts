import { describe, expect, it } from 'vitest';
import { scanSchema } from '@pourcast/protocol';
import { scanToEvent } from './scan-events.ts';

const item = { id: 'gin', containerMl: 700 };
const scan = (mode: string, quantity?: number, reason?: string) =>
  scanSchema.parse({ seq: 1, at: 1_700_000_000_000, barcode: '5000291020706', mode, quantity, reason });

describe('scanner modes', () => {
  it('receive adds q sealed containers', () => {
    expect(scanToEvent(scan('receive', 6), item)).toEqual({
      kind: 'receive',
      itemId: 'gin',
      deltaMl: 4200,
      containersDelta: 6,
      levelAfterMl: null,
    });
  });
  it('waste removes q sealed containers', () => {
    expect(scanToEvent(scan('waste', 2), item)).toMatchObject({
      kind: 'waste',
      deltaMl: -1400,
      containersDelta: -2,
    });
  });
  it('waste carries the scanner reason, and none when the scanner sent none', () => {
    expect(scanToEvent(scan('waste', 1, 'breakage'), item)).toMatchObject({ wasteReason: 'breakage' });
    expect(scanToEvent(scan('waste', 1), item)).not.toHaveProperty('wasteReason');
    expect(scanToEvent(scan('receive', 1, 'spill'), item)).not.toHaveProperty('wasteReason');
  });
  it('count is an observation of a sealed bottle', () => {
    expect(scanToEvent(scan('count'), item)).toMatchObject({ kind: 'count', deltaMl: 0, containersDelta: 0 });
  });
});
