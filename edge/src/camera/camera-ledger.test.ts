import { describe, expect, it } from 'vitest';
import type { SlotChange } from '../detection/index.ts';
import { CameraLedger, type CameraSlotFacts } from './camera-ledger.ts';

const at = Date.UTC(2026, 10, 21, 21, 0, 0);
const change = (over: Partial<SlotChange>): SlotChange => ({
  cameraId: 'camera-01',
  slotId: 's01',
  itemId: 'item-gin',
  kind: 'level',
  present: true,
  fillFraction: 0.5,
  levelMl: 350,
  confidence: 0.9,
  at,
  ...over,
});
const alone: CameraSlotFacts = { deviceId: 'camera-01', containerMl: 700, weighed: false };
const onScale: CameraSlotFacts = { ...alone, weighed: true };

describe('camera changes as ledger count events', () => {
  it('counts a level drop since the last camera level of the slot', () => {
    const ledger = new CameraLedger(new Map([['s01', 500]]));
    const draft = ledger.draftFor(change({ kind: 'level', levelMl: 430 }), alone);
    expect(draft).toEqual({
      itemId: 'item-gin',
      kind: 'count',
      deltaMl: -70,
      containersDelta: 0,
      levelAfterMl: 430,
      source: 'camera',
      deviceId: 'camera-01',
      slot: 's01',
      observedAt: new Date(at).toISOString(),
      confidence: 0.9,
    });
    expect(ledger.draftFor(change({ kind: 'level', levelMl: 400 }), alone).deltaMl).toBe(-30);
    expect(ledger.lastLevelMl('s01')).toBe(400);
  });

  it('only states the level when no earlier camera level of the slot is known', () => {
    const ledger = new CameraLedger();
    const draft = ledger.draftFor(change({ kind: 'level', levelMl: 300 }), alone);
    expect(draft).toMatchObject({ deltaMl: 0, levelAfterMl: 300 });
    expect(ledger.draftFor(change({ kind: 'level', levelMl: 260 }), alone).deltaMl).toBe(-40);
  });

  it('computes the level from the fill fraction and the container when the slot map gives no size', () => {
    const ledger = new CameraLedger();
    const { levelMl: _none, ...noLevel } = change({ fillFraction: 0.5 });
    expect(ledger.draftFor({ ...noLevel, kind: 'returned' }, alone).levelAfterMl).toBe(350);
  });

  it('books a replaced bottle as a sealed one opened, less what was poured from it', () => {
    const ledger = new CameraLedger(new Map([['s01', 40]]));
    const draft = ledger.draftFor(change({ kind: 'replaced', fillFraction: 0.97, levelMl: 679 }), alone);
    expect(draft).toMatchObject({ deltaMl: -21, containersDelta: -1, levelAfterMl: 679 });
  });

  it('records removals and returns as observations, a removed bottle unmeasured', () => {
    const ledger = new CameraLedger(new Map([['s01', 500]]));
    const removed = ledger.draftFor(
      change({ kind: 'removed', present: false, fillFraction: 0, levelMl: 0 }),
      alone,
    );
    expect(removed).toMatchObject({ deltaMl: 0, containersDelta: 0, levelAfterMl: null });
    expect(ledger.lastLevelMl('s01')).toBe(500);
    const returned = ledger.draftFor(change({ kind: 'returned', levelMl: 460 }), alone);
    expect(returned).toMatchObject({ deltaMl: 0, containersDelta: 0, levelAfterMl: 460 });
    // The next drop is measured from the level the bottle came back with.
    expect(ledger.draftFor(change({ kind: 'level', levelMl: 420 }), alone).deltaMl).toBe(-40);
  });

  it('only observes a slot whose item a scale weighs: the scale is the measurement', () => {
    const ledger = new CameraLedger(new Map([['s01', 500]]));
    expect(ledger.draftFor(change({ kind: 'level', levelMl: 430 }), onScale)).toMatchObject({
      deltaMl: 0,
      containersDelta: 0,
      levelAfterMl: 430,
    });
    expect(ledger.draftFor(change({ kind: 'replaced', levelMl: 690 }), onScale)).toMatchObject({
      deltaMl: 0,
      containersDelta: 0,
      levelAfterMl: 690,
    });
    // It still keeps the camera's level: if the scale goes away, drops are measured from the right place.
    expect(ledger.lastLevelMl('s01')).toBe(690);
  });

  it('keeps confidence within 0-1', () => {
    const ledger = new CameraLedger();
    expect(ledger.draftFor(change({ confidence: 1.2 }), alone).confidence).toBe(1);
  });
});
