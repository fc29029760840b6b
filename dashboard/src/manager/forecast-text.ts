import { formatNumber, formatPercent } from '../shared/i18n.ts';

// A forecast's accuracy figures as the item page and the overview show them; — where none was scored yet.

/** RMSSE, two decimals at most. */
export const rmsseText = (rmsse: number | null) =>
  rmsse === null ? '—' : formatNumber(rmsse, { maximumFractionDigits: 2 });

/** A share of days or of demand (below P10, above P90, missed), as a whole percentage. */
export const shareText = (share: number | null) => (share === null ? '—' : formatPercent(share, 0));
