/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A weight is stable when the window is full and every reading in it lies within ±toleranceG of the
 * window's median; the stable weight is that median. Otherwise null (the bottle is moving).
 */
export function stableWeight(window: readonly number[], size: number, toleranceG: number): number | null {
  if (window.length < size) return null;
  const recent = window.slice(-size);
  const m = median(recent);
  return recent.every((g) => Math.abs(g - m) <= toleranceG) ? m : null;
}
