/** Today so far and the last seven days, as the ISO instants the hub's period queries take. */
export function today(now = new Date()) {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  return { from: start.toISOString(), to: now.toISOString() };
}

export function lastDays(days: number, now = new Date()) {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (days - 1));
  return { from: start.toISOString(), to: now.toISOString() };
}
