import { describe, expect, it } from 'vitest';
import { parseIcal } from './ical.ts';
import { RECORDED_ICS } from './ical-fixture.ts';

describe('parseIcal on a recorded feed', () => {
  const { days, problems } = parseIcal(RECORDED_ICS, { timeZone: 'Europe/London' });

  it('reads all-day, multi-day, UTC and zone-local events on the right trading days', () => {
    expect(days).toEqual([
      {
        uid: 'holiday-2026-05-04@example.org',
        date: '2026-05-04',
        name: 'Early May bank holiday',
        kind: 'holiday',
      },
      // DTEND of an all-day event is exclusive: 15th and 16th, not the 17th; folded line unfolded.
      {
        uid: 'festival-2026@example.org',
        date: '2026-05-15',
        name: 'Old Town Beer Festival, weekendpasses on sale',
        kind: 'event',
      },
      {
        uid: 'festival-2026@example.org',
        date: '2026-05-16',
        name: 'Old Town Beer Festival, weekendpasses on sale',
        kind: 'event',
      },
      // 18:30 UTC is 19:30 in London (BST).
      { uid: 'match-0509@example.org', date: '2026-05-09', name: 'Cup final (screened)', kind: 'event' },
      // 01:30 local belongs to the trading day that started the evening before.
      { uid: 'late-show@example.org', date: '2026-05-20', name: 'Late comedy show', kind: 'event' },
    ]);
  });

  it('skips cancelled events and reports a broken one as a path: message line', () => {
    expect(days.some((d) => d.name === 'Street market')).toBe(false);
    expect(problems).toEqual(['VEVENT 6: DTSTART: not an iCalendar date or date-time: "next friday"']);
  });

  it('places a UTC time on the bar’s own trading day', () => {
    const ics = 'BEGIN:VEVENT\nUID:a\nDTSTART:20260110T030000Z\nSUMMARY:Late match\nEND:VEVENT\n';
    // 03:00 UTC is 19:00 the day before in Los Angeles, 03:00 (before 06:00) in London: both the 9th.
    expect(parseIcal(ics, { timeZone: 'America/Los_Angeles' }).days[0]!.date).toBe('2026-01-09');
    expect(parseIcal(ics, { timeZone: 'Europe/London' }).days[0]!.date).toBe('2026-01-09');
    expect(parseIcal(ics, { timeZone: 'Asia/Tokyo' }).days[0]!.date).toBe('2026-01-10');
  });

  it('treats a very long event as a season and skips it', () => {
    const ics =
      'BEGIN:VEVENT\nUID:s\nDTSTART;VALUE=DATE:20260601\nDTEND;VALUE=DATE:20260901\nSUMMARY:Summer\nEND:VEVENT';
    expect(parseIcal(ics, { timeZone: 'UTC' }).days).toEqual([]);
  });
});
