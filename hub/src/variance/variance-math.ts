import type { BarSettings } from '@pourcast/protocol';
import type { StockLineSource } from '../db/types.ts';

export interface MeasuredEvent {
  kind: string;
  source: StockLineSource;
  deltaMl: number;
}

export interface ItemPeriod {
  soldMl: number;
  /** Logged waste (ml, positive): explained usage. */
  wasteMl: number;
  /** Ledger events of kinds pour, count and waste in the period. */
  events: MeasuredEvent[];
  costPerMl: number;
}

export interface ItemVariance {
  soldMl: number;
  wasteMl: number;
  expectedMl: number;
  measuredMl: number;
  varianceMl: number;
  variancePct: number | null;
  bandMl: number;
  flagged: boolean;
  varianceCost: number;
}

/** Kinds that measure what left the bottles; receive, transfer and adjust move stock but are not usage. */
export const MEASURED_KINDS = ['pour', 'count', 'waste'] as const;

/** One measurement's error (1σ, ml) by where it came from. */
export function sourceErrorMl(source: StockLineSource, settings: BarSettings): number {
  switch (source) {
    case 'scale':
      return settings.scaleErrorMl;
    case 'camera':
      return settings.cameraErrorMl;
    case 'pos':
    case 'seed':
      return 0;
    default:
      return settings.manualErrorMl;
  }
}

/**
 * Expected usage = sales × recipes + logged waste; measured usage = −Σ deltas of pour, count and waste events.
 * Waste appears on both sides, so logged waste is explained rather than lost. The band is 2σ of the sum of
 * independent measurement errors (√Σσ², σ per non-zero event by source); logged waste carries no error since it
 * cancels. A line is flagged only when |variance| exceeds the band AND the owner's tolerance (the larger of
 * tolerancePct of expected usage and toleranceMl), so measurement noise never accuses anyone.
 */
export function itemVariance(period: ItemPeriod, settings: BarSettings): ItemVariance {
  const expectedMl = period.soldMl + period.wasteMl;
  let measuredMl = 0;
  let variance2 = 0;
  for (const event of period.events) {
    measuredMl -= event.deltaMl;
    // An observation that moved nothing (a camera seeing a bottle a scale weighs, a first weighing) adds
    // no term to the measured sum, so it adds no error either.
    if (event.kind !== 'waste' && event.deltaMl !== 0)
      variance2 += sourceErrorMl(event.source, settings) ** 2;
  }
  const varianceMl = measuredMl - expectedMl;
  const bandMl = Math.ceil(2 * Math.sqrt(variance2));
  const tolerance = Math.max((settings.tolerancePct / 100) * Math.abs(expectedMl), settings.toleranceMl);
  const flagged = Math.abs(varianceMl) > bandMl && Math.abs(varianceMl) > tolerance;
  return {
    soldMl: period.soldMl,
    wasteMl: period.wasteMl,
    expectedMl,
    measuredMl,
    varianceMl,
    variancePct: expectedMl === 0 ? null : Math.round((varianceMl / expectedMl) * 10_000) / 100,
    bandMl,
    flagged,
    varianceCost: Math.round(varianceMl * period.costPerMl * 100) / 100,
  };
}
