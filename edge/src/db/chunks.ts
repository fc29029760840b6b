/** `rows` in slices of at most `size`, in order: one multi-row statement each, under SQLite's variable bound. */
export function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
