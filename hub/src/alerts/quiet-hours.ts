import { localParts } from '../pos/local-time.ts';

const minutesOf = (clock: string) => {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
};

/**
 * When quiet hours (`HH:MM`-`HH:MM` in the zone, possibly across midnight) hold `now`, the instant they end;
 * null outside them. Equal start and end means no quiet hours.
 */
export function quietUntil(now: Date, start: string, end: string, timeZone: string): Date | null {
  const from = minutesOf(start);
  const to = minutesOf(end);
  if (from === to) return null;
  const local = localParts(now, timeZone);
  const minute = local.hour * 60 + local.minute;
  const inside = from < to ? minute >= from && minute < to : minute >= from || minute < to;
  if (!inside) return null;
  const minutesLeft = (to - minute + 1440) % 1440;
  // Whole local minutes: drop the seconds already gone in this one.
  const ms = minutesLeft * 60_000 - local.second * 1000 - (now.getTime() % 1000);
  return new Date(now.getTime() + ms);
}
