import { describe, expect, it } from 'vitest';
import { scalePipelineSettingsSchema } from '@pourcast/protocol';
import {
  initialSlotState,
  levelMlFor,
  stepScale,
  type ScaleItem,
  type ScaleSlotState,
} from './scale-machine.ts';

const settings = scalePipelineSettingsSchema.parse({}); // window 5, ±2 g, lift 50 g, min pour 3 ml, full 0.97
/** 700 ml of 40% spirit in a 450 g bottle: full = 450 + 665 g. */
const gin: ScaleItem = { id: 'gin', containerMl: 700, emptyWeightG: 450, densityGPerMl: 0.95 };
const gramsFor = (ml: number) => gin.emptyWeightG + ml * gin.densityGPerMl;

/** Feeds `n` identical readings (a bottle standing still) and collects every event. */
function settle(state: ScaleSlotState, grams: number, n = settings.stableWindow) {
  const events = [];
  for (let i = 0; i < n; i++) {
    const step = stepScale(state, grams, gin, settings);
    state = step.state;
    events.push(...step.events);
  }
  return { state, events };
}

/** A bottle standing at `ml` with that level already in the ledger. */
function standingAt(ml: number): ScaleSlotState {
  return settle(initialSlotState(), gramsFor(ml)).state;
}

/** Lift the bottle (platform empty), then put it back at `ml`. */
function liftAndPutBack(state: ScaleSlotState, ml: number) {
  const lifted = settle(state, 0.4);
  expect(lifted.events).toEqual([]);
  expect(lifted.state.phase).toBe('empty');
  return settle(lifted.state, gramsFor(ml));
}

describe('scale state machine', () => {
  it('computes the level from grams, empty weight and density, never below 0', () => {
    expect(levelMlFor(gramsFor(500), gin)).toBe(500);
    expect(levelMlFor(440, gin)).toBe(0);
  });

  it('waits for a full, stable window before deciding anything', () => {
    let state = initialSlotState();
    for (const grams of [900, 905, 910, 915, 920, 925]) {
      const step = stepScale(state, grams, gin, settings);
      expect(step.events).toEqual([]);
      state = step.state;
    }
    expect(state.phase).toBe('unknown');
    expect(state.window).toHaveLength(settings.stableWindow);
  });

  it('rule 1: first stable bottle with no saved state is a count observation', () => {
    const { events, state } = settle(initialSlotState(), gramsFor(500));
    expect(events).toEqual([{ kind: 'count', deltaMl: 0, containersDelta: 0, levelAfterMl: 500 }]);
    expect(state).toMatchObject({ phase: 'bottle', levelMl: 500, itemId: 'gin' });
  });

  it('treats readings within the tolerance around the median as stable', () => {
    let state = initialSlotState();
    const events = [];
    for (const d of [0, 1.5, -1.5, 2, -2]) {
      const step = stepScale(state, gramsFor(500) + d, gin, settings);
      state = step.state;
      events.push(...step.events);
    }
    expect(events).toEqual([{ kind: 'count', deltaMl: 0, containersDelta: 0, levelAfterMl: 500 }]);
  });

  it('rule 3: put back lighter by at least minPourMl is a pour', () => {
    const { events, state } = liftAndPutBack(standingAt(500), 470);
    expect(events).toEqual([{ kind: 'pour', deltaMl: -30, containersDelta: 0, levelAfterMl: 470 }]);
    expect(state.levelMl).toBe(470);
  });

  it('rule 2: within ±minPourMl nothing happens and the written level stays', () => {
    const { events, state } = liftAndPutBack(standingAt(500), 498);
    expect(events).toEqual([]);
    expect(state.levelMl).toBe(500);
    // ... so two small drops still add up to a pour against the written level.
    const again = liftAndPutBack(state, 496);
    expect(again.events).toEqual([{ kind: 'pour', deltaMl: -4, containersDelta: 0, levelAfterMl: 496 }]);
  });

  it('rule 4: a full bottle where a lower one stood is a sealed bottle opened (old remainder poured first)', () => {
    const { events } = liftAndPutBack(standingAt(40), 690);
    expect(events).toEqual([
      { kind: 'pour', deltaMl: -40, containersDelta: 0, levelAfterMl: 0 },
      { kind: 'count', deltaMl: 690 - 700, containersDelta: -1, levelAfterMl: 690 },
    ]);
  });

  it('rule 4: with an empty old bottle only the opening is written', () => {
    const { events } = liftAndPutBack(standingAt(0), 700);
    expect(events).toEqual([{ kind: 'count', deltaMl: 0, containersDelta: -1, levelAfterMl: 700 }]);
  });

  it('rule 5: put back heavier but not full is a count correcting the level', () => {
    const { events } = liftAndPutBack(standingAt(300), 350);
    expect(events).toEqual([{ kind: 'count', deltaMl: 50, containersDelta: 0, levelAfterMl: 350 }]);
  });

  it('writes nothing more while the bottle stands still', () => {
    const { events } = settle(standingAt(500), gramsFor(500), 20);
    expect(events).toEqual([]);
  });

  it('starts over when the platform is assigned another item', () => {
    const state = { ...standingAt(500), itemId: 'vodka' };
    const { events } = settle(state, gramsFor(300));
    expect(events).toEqual([{ kind: 'count', deltaMl: 0, containersDelta: 0, levelAfterMl: 300 }]);
  });
});
