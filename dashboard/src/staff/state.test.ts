import { beforeEach, describe, expect, it } from 'vitest';
import type { RecentEvent, StockEvent } from '@pourcast/protocol';
import { addRecent, recent } from './state.ts';

const event = (seq: number, over: Partial<StockEvent> = {}): StockEvent => ({
  gatewayId: 'gw-1',
  seq,
  id: `01J0000000000000000000${String(seq).padStart(4, '0')}`,
  locationId: 'loc-1',
  itemId: 'gin',
  kind: 'receive',
  deltaMl: 700,
  containersDelta: 1,
  levelAfterMl: null,
  source: 'scanner',
  observedAt: '2026-11-22T08:00:00.000Z',
  confidence: 1,
  ...over,
});
const entry = (seq: number, undoOf: number | null = null): RecentEvent => ({
  event: event(seq, undoOf ? { kind: 'adjust', source: 'display', slot: `undo:${undoOf}` } : {}),
  itemName: 'Gin',
  undone: false,
  undoOf,
});

beforeEach(() => {
  recent.value = [];
});

describe('the scans list', () => {
  it('lists newest first and drops an event replayed after a reconnect', () => {
    addRecent(entry(1));
    addRecent(entry(3));
    addRecent(entry(2));
    addRecent(entry(3));
    expect(recent.value.map((r) => r.event.seq)).toEqual([3, 2, 1]);
  });

  it('marks the original undone when its undo arrives', () => {
    addRecent(entry(5));
    addRecent(entry(6, 5));
    expect(recent.value.map((r) => [r.event.seq, r.undone])).toEqual([
      [6, false],
      [5, true],
    ]);
  });

  it('keeps the item name when the same event comes from the answer without it and the feed with it', () => {
    addRecent({ ...entry(7), itemName: null });
    addRecent(entry(7));
    expect(recent.value.map((r) => r.itemName)).toEqual(['Gin']);
  });

  it('keeps the last 20', () => {
    for (let seq = 1; seq <= 25; seq++) addRecent(entry(seq));
    expect(recent.value).toHaveLength(20);
    expect(recent.value.at(-1)!.event.seq).toBe(6);
  });
});
