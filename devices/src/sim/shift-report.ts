import type { BarFile } from './bar-file.ts';
import type { ShiftPlan } from './scenario.ts';
import type { ShiftAction } from './shift-action.ts';

/**
 * What a shift did, in the gateway's terms (docs/ARCHITECTURE.md, "Stock: sealed containers and open
 * millilitres"): a pour is −ml; a bottle swapped for a sealed one is −(what the old one still held) and one
 * container fewer (the new one opened at full: deltaMl L − size = 0); a delivery is +q × size and +q
 * containers; a breakage −size and −1 container. Summed per item, these are what the ledger must show.
 * They assume the gateway knew each platform's level at the shift's start (a fresh gateway, or the
 * previous shift of the same run).
 */
export interface ShiftReport {
  seed: number;
  /** Simulated epoch ms. */
  startAt: number;
  endAt: number;
  actions: ShiftAction[];
  expectedDeltaMlByItem: Record<string, number>;
  expectedContainersDeltaByItem: Record<string, number>;
  counts: ShiftCounts;
  /** Level of each platform's bottle by `deviceId/platform`. */
  levelsMl: { start: Record<string, number>; end: Record<string, number> };
}

export interface ShiftCounts {
  /** Service rounds and scan rounds. */
  rounds: number;
  lifts: number;
  pours: number;
  freePours: number;
  pouredMl: number;
  bottlesReplaced: number;
  scans: number;
  receivedContainers: number;
  wastedContainers: number;
}

export function buildShiftReport(bar: BarFile, plan: ShiftPlan): ShiftReport {
  const containerMl = new Map(bar.scales.map((s) => [s.item.id, s.item.containerMl]));
  const deltaMl: Record<string, number> = {};
  const containers: Record<string, number> = {};
  for (const scale of bar.scales) {
    deltaMl[scale.item.id] = 0;
    containers[scale.item.id] = 0;
  }
  const counts: ShiftCounts = {
    rounds: new Set(plan.actions.map((a) => a.round)).size,
    lifts: 0,
    pours: 0,
    freePours: 0,
    pouredMl: 0,
    bottlesReplaced: 0,
    scans: 0,
    receivedContainers: 0,
    wastedContainers: 0,
  };
  for (const action of plan.actions) {
    const item = action.itemId;
    switch (action.type) {
      case 'lift':
        counts.lifts++;
        break;
      case 'pour':
        deltaMl[item]! -= action.ml;
        counts.pours++;
        counts.pouredMl += action.ml;
        if (action.free) counts.freePours++;
        break;
      case 'put-back':
        break;
      case 'replace-bottle':
        deltaMl[item]! -= action.removedLevelMl;
        containers[item]! -= 1;
        counts.bottlesReplaced++;
        break;
      case 'scan': {
        counts.scans++;
        const size = containerMl.get(item)!;
        if (action.mode === 'receive') {
          deltaMl[item]! += action.quantity * size;
          containers[item]! += action.quantity;
          counts.receivedContainers += action.quantity;
        } else if (action.mode === 'waste') {
          deltaMl[item]! -= action.quantity * size;
          containers[item]! -= action.quantity;
          counts.wastedContainers += action.quantity;
        }
        break;
      }
    }
  }
  return {
    seed: plan.seed,
    startAt: plan.startAt,
    endAt: plan.endAt,
    actions: plan.actions,
    expectedDeltaMlByItem: deltaMl,
    expectedContainersDeltaByItem: containers,
    counts,
    levelsMl: { start: plan.startLevelsMl, end: plan.endLevelsMl },
  };
}
