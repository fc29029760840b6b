import { AppError } from '../http/app-error.ts';

const DAY_MS = 86_400_000;

export interface ReportPeriod {
  from: string;
  to: string;
  previous: { from: string; to: string };
}

/** Whole UTC days `from`..`to` inclusive as [from, to) instants, and the same length just before. */
export function reportPeriod(from: string, to: string): ReportPeriod {
  const start = Date.parse(`${from}T00:00:00.000Z`);
  const end = Date.parse(`${to}T00:00:00.000Z`) + DAY_MS;
  if (!(end > start))
    throw new AppError(400, 'invalid_request', 'invalid query', ['query.to: must not be before from']);
  if (end - start > 366 * DAY_MS)
    throw new AppError(400, 'invalid_request', 'invalid query', [
      'query.to: a report covers at most 366 days',
    ]);
  const length = end - start;
  const iso = (ms: number) => new Date(ms).toISOString();
  return { from: iso(start), to: iso(end), previous: { from: iso(start - length), to: iso(start) } };
}
