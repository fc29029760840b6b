/**
 * A new item's level: the mean of its first observed days, each divided by the category's weekday
 * shape so that opening on a Friday does not inflate it. Zero when nothing was observed yet.
 */
export function coldStartLevel(y: Float64Array, dow0: number, profile?: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (let t = 0; t < y.length; t++) {
    const v = y[t]!;
    if (Number.isNaN(v)) continue;
    sum += v / Math.max(profile?.[(dow0 + t) % 7] ?? 1, 0.05);
    n++;
  }
  return n ? sum / n : 0;
}
