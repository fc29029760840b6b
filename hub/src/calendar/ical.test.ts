import { describe, expect, it } from 'vitest';
import { MAX_OCCURRENCES, parseIcal, type IcalParseOptions } from './ical.ts';
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

/** A feed of VEVENTs, each given as its property lines. */
const feed = (...events: string[][]) =>
  ['BEGIN:VCALENDAR', ...events.flatMap((e) => ['BEGIN:VEVENT', ...e, 'END:VEVENT']), 'END:VCALENDAR'].join(
    '\r\n',
  );
const dates = (ics: string, options: Partial<IcalParseOptions> = {}) =>
  parseIcal(ics, { timeZone: 'Europe/London', ...options }).days.map((d) => d.date);
const QUIZ = ['UID:quiz@bar', 'SUMMARY:Quiz night', 'DTSTART;TZID=Europe/London:20260106T193000'];

describe('parseIcal expands recurring events (RFC 5545 §3.3.10, §3.8.5)', () => {
  it('a weekly quiz night with COUNT, every occurrence on its Tuesday', () => {
    const { days, problems } = parseIcal(feed([...QUIZ, 'RRULE:FREQ=WEEKLY;COUNT=5']), {
      timeZone: 'Europe/London',
    });
    expect(problems).toEqual([]);
    expect(days.map((d) => d.date)).toEqual([
      '2026-01-06',
      '2026-01-13',
      '2026-01-20',
      '2026-01-27',
      '2026-02-03',
    ]);
    expect(new Set(days.map((d) => `${d.uid} ${d.name} ${d.kind}`))).toEqual(
      new Set(['quiz@bar Quiz night event']),
    );
  });

  it('every other Wednesday until a date (DATE form of UNTIL includes that day)', () => {
    const ics = feed([
      'UID:q2',
      'DTSTART;VALUE=DATE:20260114',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20260225',
    ]);
    expect(dates(ics)).toEqual(['2026-01-14', '2026-01-28', '2026-02-11', '2026-02-25']);
  });

  it('UNTIL as a UTC date-time against a zone-local start, in winter and in summer time', () => {
    const winter = (until: string) => feed([...QUIZ, `RRULE:FREQ=WEEKLY;UNTIL=${until}`]);
    // 19:30 in London in January is 19:30 UTC: the 20th is the last one only if UNTIL reaches 19:30:00Z.
    expect(dates(winter('20260120T193000Z'))).toEqual(['2026-01-06', '2026-01-13', '2026-01-20']);
    expect(dates(winter('20260120T192959Z'))).toEqual(['2026-01-06', '2026-01-13']);
    // In June 19:30 BST is 18:30 UTC.
    const summer = (until: string) =>
      feed(['UID:s', 'DTSTART;TZID=Europe/London:20260602T193000', `RRULE:FREQ=WEEKLY;UNTIL=${until}`]);
    expect(dates(summer('20260616T183000Z'))).toEqual(['2026-06-02', '2026-06-09', '2026-06-16']);
    expect(dates(summer('20260616T182959Z'))).toEqual(['2026-06-02', '2026-06-09']);
    // The TZID is the event's clock even when the bar trades in another zone.
    expect(dates(summer('20260616T183000Z'), { timeZone: 'UTC' })).toEqual([
      '2026-06-02',
      '2026-06-09',
      '2026-06-16',
    ]);
  });

  it('live music on the first Friday and a party on the last Saturday of each month', () => {
    const first = feed(['UID:m', 'DTSTART;VALUE=DATE:20260102', 'RRULE:FREQ=MONTHLY;COUNT=5;BYDAY=1FR']);
    expect(dates(first)).toEqual(['2026-01-02', '2026-02-06', '2026-03-06', '2026-04-03', '2026-05-01']);
    const last = feed(['UID:p', 'DTSTART;VALUE=DATE:20260131', 'RRULE:FREQ=MONTHLY;COUNT=4;BYDAY=-1SA']);
    expect(dates(last)).toEqual(['2026-01-31', '2026-02-28', '2026-03-28', '2026-04-25']);
  });

  it('BYMONTHDAY: the 31st skips shorter months, -1 is the last day of each month', () => {
    const on31 = feed(['UID:a', 'DTSTART;VALUE=DATE:20260131', 'RRULE:FREQ=MONTHLY;COUNT=4;BYMONTHDAY=31']);
    expect(dates(on31)).toEqual(['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31']);
    const lastDay = feed([
      'UID:b',
      'DTSTART;VALUE=DATE:20260131',
      'RRULE:FREQ=MONTHLY;COUNT=3;BYMONTHDAY=-1',
    ]);
    expect(dates(lastDay)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
  });

  it('YEARLY: the fourth Thursday of November, and a two-day festival each year', () => {
    const thanksgiving = feed([
      'UID:t',
      'DTSTART;VALUE=DATE:20261126',
      'RRULE:FREQ=YEARLY;COUNT=2;BYMONTH=11;BYDAY=4TH',
    ]);
    expect(dates(thanksgiving)).toEqual(['2026-11-26', '2027-11-25']);
    const festival = feed([
      'UID:f',
      'DTSTART;VALUE=DATE:20260515',
      'DTEND;VALUE=DATE:20260517',
      'RRULE:FREQ=YEARLY;COUNT=2',
    ]);
    expect(dates(festival)).toEqual(['2026-05-15', '2026-05-16', '2027-05-15', '2027-05-16']);
  });

  it('DAILY with INTERVAL, and WKST changing which weeks an every-other-week rule picks (RFC 5545 example)', () => {
    expect(
      dates(feed(['UID:d', 'DTSTART;VALUE=DATE:20260110', 'RRULE:FREQ=DAILY;INTERVAL=3;COUNT=4'])),
    ).toEqual(['2026-01-10', '2026-01-13', '2026-01-16', '2026-01-19']);
    const rule = (wkst: string) =>
      feed([
        'UID:w',
        'DTSTART;VALUE=DATE:19970805',
        `RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=${wkst}`,
      ]);
    expect(dates(rule('MO'))).toEqual(['1997-08-05', '1997-08-10', '1997-08-19', '1997-08-24']);
    expect(dates(rule('SU'))).toEqual(['1997-08-05', '1997-08-17', '1997-08-19', '1997-08-31']);
  });

  it('BYDAY limits a DAILY rule; alone in a YEARLY rule it counts within the year; RDATE alone recurs', () => {
    const weekends = feed(['UID:w', 'DTSTART;VALUE=DATE:20260102', 'RRULE:FREQ=DAILY;COUNT=4;BYDAY=FR,SA']);
    expect(dates(weekends)).toEqual(['2026-01-02', '2026-01-03', '2026-01-09', '2026-01-10']);
    const twentiethMonday = feed([
      'UID:y',
      'DTSTART;VALUE=DATE:20260518',
      'RRULE:FREQ=YEARLY;COUNT=2;BYDAY=20MO',
    ]);
    expect(dates(twentiethMonday)).toEqual(['2026-05-18', '2027-05-17']);
    const listed = feed(['UID:r', 'DTSTART;VALUE=DATE:20260301', 'RDATE;VALUE=DATE:20260315,20260401']);
    expect(dates(listed)).toEqual(['2026-03-01', '2026-03-15', '2026-04-01']);
  });

  it('EXDATE skips occurrences and RDATE adds them', () => {
    const ics = feed([
      ...QUIZ,
      'RRULE:FREQ=WEEKLY;COUNT=5',
      'EXDATE;TZID=Europe/London:20260113T193000,20260127T193000',
      'RDATE;TZID=Europe/London:20260129T193000',
    ]);
    expect(dates(ics)).toEqual(['2026-01-06', '2026-01-20', '2026-01-29', '2026-02-03']);
    // An EXDATE in UTC names the same instant: 19:30 BST is 18:30 UTC.
    const summer = feed([
      'UID:s',
      'DTSTART;TZID=Europe/London:20260602T193000',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'EXDATE:20260609T183000Z',
    ]);
    expect(dates(summer)).toEqual(['2026-06-02', '2026-06-16']);
  });

  it('an overridden occurrence is moved or cancelled (same UID, RECURRENCE-ID)', () => {
    const ics = feed(
      [...QUIZ, 'RRULE:FREQ=WEEKLY;COUNT=4'],
      [
        'UID:quiz@bar',
        'RECURRENCE-ID;TZID=Europe/London:20260113T193000',
        'DTSTART;TZID=Europe/London:20260115T193000',
        'SUMMARY:Quiz night',
      ],
      [
        'UID:quiz@bar',
        'RECURRENCE-ID;TZID=Europe/London:20260120T193000',
        'DTSTART;TZID=Europe/London:20260120T193000',
        'STATUS:CANCELLED',
      ],
    );
    expect(dates(ics)).toEqual(['2026-01-06', '2026-01-27', '2026-01-15']);
  });

  it('expands a zone-local start in wall time and a UTC start in UTC, across the clocks going forward', () => {
    // London goes to BST on Sunday 29 March 2026. 05:30 local is always before 06:00: the trading day before.
    const local = feed(['UID:l', 'DTSTART;TZID=Europe/London:20260321T053000', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    expect(dates(local)).toEqual(['2026-03-20', '2026-03-27', '2026-04-03']);
    // 05:30 UTC is 05:30 GMT (Friday's trading day) until the change, then 06:30 BST (Saturday's).
    const utc = feed(['UID:u', 'DTSTART:20260321T053000Z', 'RRULE:FREQ=WEEKLY;COUNT=3']);
    expect(dates(utc)).toEqual(['2026-03-20', '2026-03-27', '2026-04-04']);
  });

  it('keeps only occurrences in the from/to window, COUNT still counted from DTSTART', () => {
    const endless = feed(['UID:e', 'DTSTART;TZID=Europe/London:20200107T193000', 'RRULE:FREQ=WEEKLY']);
    expect(dates(endless, { from: '2026-01-01', to: '2026-01-31' })).toEqual([
      '2026-01-06',
      '2026-01-13',
      '2026-01-20',
      '2026-01-27',
    ]);
    const counted = feed(['UID:c', 'DTSTART;VALUE=DATE:20251216', 'RRULE:FREQ=WEEKLY;COUNT=5']);
    expect(dates(counted, { from: '2026-01-01', to: '2026-12-31' })).toEqual([
      '2026-0106'.replace('01', '01-'),
      '2026-01-13',
    ]);
    // A single event keeps its date whatever the window (today's behaviour).
    expect(
      dates(feed(['UID:o', 'DTSTART;VALUE=DATE:20200101']), { from: '2026-01-01', to: '2026-01-31' }),
    ).toEqual(['2020-01-01']);
  });

  it('stops at the occurrence cap and says so', () => {
    const { days, problems } = parseIcal(feed(['UID:x', 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY']), {
      timeZone: 'UTC',
    });
    expect(days).toHaveLength(MAX_OCCURRENCES);
    expect(MAX_OCCURRENCES).toBe(2000);
    expect(days.at(-1)!.date).toBe('2031-06-23');
    expect(problems).toEqual(['VEVENT 1: more than 2000 occurrences; the first ones kept']);
  });

  it('reports a rule it does not support and counts the event on its first date only', () => {
    const rules = [
      ['FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1', 'RRULE: BYSETPOS is not supported'],
      ['FREQ=HOURLY;INTERVAL=4', 'RRULE: FREQ=HOURLY is not supported'],
      ['FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO', 'RRULE: BYWEEKNO is not supported'],
      ['FREQ=YEARLY;BYYEARDAY=100', 'RRULE: BYYEARDAY is not supported'],
      ['FREQ=WEEKLY;BYDAY=1FR', 'RRULE: BYDAY with an ordinal is not valid with FREQ=WEEKLY'],
      ['FREQ=WEEKLY;COUNT=3;UNTIL=20260301', 'RRULE: COUNT and UNTIL together'],
      ['FREQ=DAILY;INTERVAL=0', 'RRULE: INTERVAL=0 is not valid'],
    ];
    for (const [rule, message] of rules) {
      const { days, problems } = parseIcal(feed([...QUIZ, `RRULE:${rule}`]), { timeZone: 'Europe/London' });
      expect(days.map((d) => d.date)).toEqual(['2026-01-06']);
      expect(problems).toEqual([`VEVENT 1: ${message}; counted on its first date only`]);
    }
  });
});
