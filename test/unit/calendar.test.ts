import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WorkingCalendar, type CalendarSettings } from '#domain/calendar.ts';
import { parseDuration, type Duration } from '#domain/city-config.ts';

const shanghai = (extra: Partial<CalendarSettings> = {}) =>
  new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [], extraWorkdays: [], ...extra });
const quiet = { from: '20:00', to: '08:00' };

/** An instant given as Beijing wall time, e.g. cst('2024-02-09 10:00'). */
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
/** The deadline instant for a Beijing date: 23:59:59.999 local. */
const endOf = (date: string) => cst(`${date} 23:59:59.999`);

function dur(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new Error(`bad duration ${text}`);
  return d;
}

const cal = shanghai();

describe('national schedule (国务院 holidays and 调休 make-up days)', () => {
  it('covers the years in the chinese-days data, at least 2004–2026', () => {
    expect(WorkingCalendar.coveredYears.from).toBe(2004);
    expect(WorkingCalendar.coveredYears.to).toBeGreaterThanOrEqual(2026);
    expect(cal.isCovered('2004-01-01')).toBe(true);
    expect(cal.isCovered('2003-12-31')).toBe(false);
    expect(cal.isCovered('2099-06-01')).toBe(false);
  });

  it.each([
    // Spring Festival 2024: off Feb 10–17; Sun Feb 4 and Sun Feb 18 are working days
    ['2024-02-04', true],
    ['2024-02-09', true],
    ['2024-02-10', false],
    ['2024-02-12', false],
    ['2024-02-17', false],
    ['2024-02-18', true],
    ['2024-02-19', true],
    ['2024-02-24', false],
    // Spring Festival 2025: off Jan 28–Feb 4; Sun Jan 26 and Sat Feb 8 are working days
    ['2025-01-26', true],
    ['2025-01-27', true],
    ['2025-01-28', false],
    ['2025-02-04', false],
    ['2025-02-05', true],
    ['2025-02-08', true],
    ['2025-02-09', false],
    // National Day 2024: off Oct 1–7; Sun Sep 29 and Sat Oct 12 are working days
    ['2024-09-28', false],
    ['2024-09-29', true],
    ['2024-10-01', false],
    ['2024-10-07', false],
    ['2024-10-08', true],
    ['2024-10-12', true],
    ['2024-10-13', false],
    // National Day + Mid-autumn 2025: off Oct 1–8; Sun Sep 28 and Sat Oct 11 are working days
    ['2025-09-28', true],
    ['2025-10-01', false],
    ['2025-10-08', false],
    ['2025-10-09', true],
    ['2025-10-11', true],
  ])('%s is a working day: %s', (date, expected) => {
    expect(cal.isWorkday(date)).toBe(expected);
  });

  it('uses Monday–Friday outside the covered years', () => {
    expect(cal.isWorkday('2099-10-01')).toBe(true); // a Thursday; no national data
    expect(cal.isWorkday('2099-10-03')).toBe(false); // a Saturday
  });

  it('rejects malformed dates', () => {
    expect(() => cal.isWorkday('2024-2-4')).toThrow(/not a date/);
  });
});

describe('city extra holidays and workdays', () => {
  it('an extra holiday (肉孜节 2023-04-21) is not a working day and pushes deadlines on', () => {
    const city = shanghai({ extraHolidays: ['2023-04-21'] });
    expect(cal.isWorkday('2023-04-21')).toBe(true);
    expect(city.isWorkday('2023-04-21')).toBe(false);
    // Thu Apr 20 + 1wd: Fri 21 is off in the city, Sat 22 is a weekend, Sun 23 is a national make-up day
    expect(cal.addDuration(cst('2023-04-20 10:00'), dur('1wd')).at).toEqual(endOf('2023-04-21'));
    expect(city.addDuration(cst('2023-04-20 10:00'), dur('1wd')).at).toEqual(endOf('2023-04-23'));
  });

  it('an extra workday makes a Saturday count', () => {
    const city = shanghai({ extraWorkdays: ['2024-03-02'] });
    expect(city.isWorkday('2024-03-02')).toBe(true);
    expect(city.addWorkdays('2024-03-01', 1)).toBe('2024-03-02');
    expect(cal.addWorkdays('2024-03-01', 1)).toBe('2024-03-04');
  });

  it('refuses a date that is both an extra holiday and an extra workday', () => {
    expect(() => shanghai({ extraHolidays: ['2024-03-02'], extraWorkdays: ['2024-03-02'] })).toThrow(/both/);
  });
});

describe('deadlines (end of a local working day)', () => {
  it('1wd from Friday before Spring Festival 2024 is the Sunday make-up day after it', () => {
    const r = cal.addDuration(cst('2024-02-09 10:00'), dur('1wd'));
    expect(r).toEqual({ at: endOf('2024-02-18'), uncovered: false });
    expect(r.at.toISOString()).toBe('2024-02-18T15:59:59.999Z');
  });

  it('5wd across Spring Festival 2025 counts the Sunday make-up day and skips the holiday', () => {
    // Fri Jan 24: Sun 26 (1), Mon 27 (2), off Jan 28–Feb 4, Wed Feb 5 (3), Thu 6 (4), Fri 7 (5)
    expect(cal.addDuration(cst('2025-01-24 16:00'), dur('5wd')).at).toEqual(endOf('2025-02-07'));
  });

  it('3wd across National Day 2024; 2wd and 4wd around National Day 2025', () => {
    expect(cal.addDuration(cst('2024-09-27 09:00'), dur('3wd')).at).toEqual(endOf('2024-10-08'));
    expect(cal.addDuration(cst('2025-09-26 09:00'), dur('2wd')).at).toEqual(endOf('2025-09-29'));
    expect(cal.addDuration(cst('2025-09-26 09:00'), dur('4wd')).at).toEqual(endOf('2025-10-09'));
  });

  it('0wd is today if working, else the next working day', () => {
    expect(cal.addDuration(cst('2024-03-05 09:00'), dur('0wd')).at).toEqual(endOf('2024-03-05'));
    expect(cal.addDuration(cst('2024-10-03 09:00'), dur('0wd')).at).toEqual(endOf('2024-10-08'));
  });

  it('Nd counts calendar days, then moves off a holiday to the next working day', () => {
    expect(cal.addDuration(cst('2024-03-01 09:00'), dur('10d')).at).toEqual(endOf('2024-03-11'));
    expect(cal.addDuration(cst('2025-09-21 09:00'), dur('10d')).at).toEqual(endOf('2025-10-09'));
  });

  it('Nmo clamps to month end and moves off holidays', () => {
    expect(cal.addDuration(cst('2024-01-31 09:00'), dur('1mo')).at).toEqual(endOf('2024-02-29'));
    expect(cal.addDuration(cst('2023-01-31 09:00'), dur('1mo')).at).toEqual(endOf('2023-02-28'));
    expect(cal.addDuration(cst('2024-08-31 09:00'), dur('3mo')).at).toEqual(endOf('2024-12-02')); // Nov 30 is a Saturday
    expect(cal.addDuration(cst('2024-09-01 09:00'), dur('1mo')).at).toEqual(endOf('2024-10-08'));
    expect(cal.addDuration(cst('2024-11-15 09:00'), dur('3mo')).at).toEqual(endOf('2025-02-17'));
  });
});

describe('reminders (negative offsets from a deadline)', () => {
  const deadline = endOf('2024-10-08');

  it('-3wd is the morning of the 3rd working day before, at quietHours.to or 09:00', () => {
    // before Tue Oct 8: Mon Sep 30 (1), Sun Sep 29 make-up (2), Fri Sep 27 (3)
    expect(shanghai({ quietHours: quiet }).addDuration(deadline, dur('-3wd')).at).toEqual(cst('2024-09-27 08:00'));
    expect(cal.addDuration(deadline, dur('-3wd')).at).toEqual(cst('2024-09-27 09:00'));
  });

  it('-Nd and -Nmo move BACK to the previous working day', () => {
    // Mon Oct 14 - 1d = Sun Oct 13 -> Sat Oct 12 (make-up working day)
    expect(cal.addDuration(endOf('2024-10-14'), dur('-1d')).at).toEqual(cst('2024-10-12 09:00'));
    // Oct 8 - 5d = Oct 3 (holiday) -> Sep 30
    expect(cal.addDuration(deadline, dur('-5d')).at).toEqual(cst('2024-09-30 09:00'));
    // Mar 31 - 1mo = Feb 29 (clamped), a Thursday
    expect(cal.addDuration(endOf('2024-03-31'), dur('-1mo')).at).toEqual(cst('2024-02-29 09:00'));
  });
});

describe('outside the covered years', () => {
  const { to } = WorkingCalendar.coveredYears;

  it('flags a duration that crosses into an uncovered year and counts weekdays there', () => {
    const r = cal.addDuration(cst('2099-01-02 10:00'), dur('1wd')); // Fri -> Mon
    expect(r).toEqual({ at: endOf('2099-01-05'), uncovered: true });
    expect(cal.addDuration(cst(`${to}-12-20 10:00`), dur('1mo')).uncovered).toBe(true);
    expect(cal.addDuration(cst(`${to}-06-01 10:00`), dur('1mo')).uncovered).toBe(false);
  });
});

describe('quiet hours (免打扰) and the next send time', () => {
  const q = shanghai({ quietHours: quiet });

  it('sends at once during working hours on a working day', () => {
    expect(q.isQuiet(cst('2024-03-05 10:00'))).toBe(false);
    expect(q.nextSendTime(cst('2024-03-05 10:00'))).toEqual(cst('2024-03-05 10:00'));
    expect(q.isQuiet(cst('2024-03-05 08:00'))).toBe(false);
    expect(q.isQuiet(cst('2024-03-05 19:59'))).toBe(false);
  });

  it('at night waits for the next working morning', () => {
    expect(q.isQuiet(cst('2024-03-05 20:00'))).toBe(true);
    expect(q.nextSendTime(cst('2024-03-05 22:00'))).toEqual(cst('2024-03-06 08:00'));
    expect(q.nextSendTime(cst('2024-03-06 07:30'))).toEqual(cst('2024-03-06 08:00'));
  });

  it('on a weekend or holiday waits for the next working morning', () => {
    expect(q.nextSendTime(cst('2024-03-09 10:00'))).toEqual(cst('2024-03-11 08:00'));
    expect(q.nextSendTime(cst('2024-10-03 10:00'))).toEqual(cst('2024-10-08 08:00'));
    expect(q.nextSendTime(cst('2024-02-09 21:00'))).toEqual(cst('2024-02-18 08:00')); // make-up Sunday
  });

  it('without quiet hours only non-working days are quiet, and mornings start at 08:00', () => {
    expect(cal.isQuiet(cst('2024-03-05 23:00'))).toBe(false);
    expect(cal.nextSendTime(cst('2024-03-09 23:00'))).toEqual(cst('2024-03-11 08:00'));
  });

  it('handles quiet hours that do not wrap midnight', () => {
    const lunch = shanghai({ quietHours: { from: '12:00', to: '14:00' } });
    expect(lunch.isQuiet(cst('2024-03-05 13:00'))).toBe(true);
    expect(lunch.isQuiet(cst('2024-03-05 22:00'))).toBe(false);
    expect(lunch.nextSendTime(cst('2024-03-05 13:00'))).toEqual(cst('2024-03-05 14:00'));
  });
});

describe('time zones', () => {
  it('23:30 UTC is already the next local day in Asia/Shanghai', () => {
    const at = new Date('2024-02-09T23:30:00Z'); // Sat Feb 10 07:30 in Beijing, a holiday
    expect(cal.localDate(at)).toBe('2024-02-10');
    expect(shanghai({ timeZone: 'UTC' }).localDate(at)).toBe('2024-02-09');
    expect(cal.isQuiet(at)).toBe(true);
    // Thu Mar 7 23:30 UTC is Fri Mar 8 in Beijing: 1wd is Monday there, Friday by the UTC calendar
    const friday = new Date('2024-03-07T23:30:00Z');
    expect(cal.addDuration(friday, dur('1wd')).at).toEqual(endOf('2024-03-11'));
    expect(shanghai({ timeZone: 'UTC' }).addDuration(friday, dur('1wd')).at.toISOString()).toBe('2024-03-08T23:59:59.999Z');
  });

  it('follows daylight saving time in other zones (end of day in Europe/Berlin)', () => {
    const berlin = shanghai({ timeZone: 'Europe/Berlin' });
    // DST starts Sun 2024-03-31: Fri Mar 29 is CET (+1), Mon Apr 1 CEST (+2)
    expect(berlin.addDuration(new Date('2024-03-28T10:00:00Z'), dur('1wd')).at.toISOString()).toBe('2024-03-29T22:59:59.999Z');
    expect(berlin.addDuration(new Date('2024-03-29T10:00:00Z'), dur('1wd')).at.toISOString()).toBe('2024-04-01T21:59:59.999Z');
    expect(berlin.nextSendTime(new Date('2024-03-30T10:00:00Z')).toISOString()).toBe('2024-04-01T06:00:00.000Z');
    expect(shanghai({ timeZone: 'America/New_York' }).localDate(new Date('2024-02-04T03:00:00Z'))).toBe('2024-02-03');
  });

  it('gives the local date Intl gives for any instant, also across DST and in :30/:45 zones (offsets are kept per quarter hour)', () => {
    const zones = [
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kathmandu',
      'America/St_Johns',
      'UTC',
    ];
    const calendars = zones.map((timeZone) => ({
      cal: shanghai({ timeZone }),
      fmt: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
    }));
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.nat(zones.length - 1), (t, z) => {
        const { cal, fmt } = calendars[z]!;
        expect(cal.localDate(new Date(t))).toBe(fmt.format(new Date(t)));
      }),
      { numRuns: 3000 },
    );
    // Around a transition, minute by minute: Berlin 2024-10-27 03:00 CEST -> 02:00 CET (01:00Z).
    const berlin = calendars[1]!;
    for (let t = Date.UTC(2024, 9, 26, 21, 30); t < Date.UTC(2024, 9, 27, 2, 30); t += 60_000) {
      expect(berlin.cal.localDate(new Date(t))).toBe(berlin.fmt.format(new Date(t)));
    }
  });
});

describe('properties', () => {
  const day = (n: number) => new Date(Date.UTC(2003, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const city = shanghai({ extraHolidays: ['2023-04-21', '2025-06-03'], extraWorkdays: ['2024-03-02'] });

  it('addWorkdays(d, n) then addWorkdays(result, -n) lands back on d when d is a working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 26 }), fc.integer({ min: -60, max: 60 }), (offset, n) => {
        const d = day(offset);
        fc.pre(city.isWorkday(d));
        const there = city.addWorkdays(d, n);
        expect(city.isWorkday(there)).toBe(true);
        expect(city.addWorkdays(there, -n)).toBe(d);
      }),
    );
  });

  it('every deadline is the end of a local working day, never before the start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 26 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom('wd', 'd', 'mo'),
        (offset, minute, amount, unit) => {
          const from = new Date(cst(`${day(offset)} 00:00`).getTime() + minute * 60_000);
          const { at } = city.addDuration(from, dur(`${amount}${unit}`));
          expect(city.isWorkday(city.localDate(at))).toBe(true);
          expect(city.localDate(new Date(at.getTime() + 1))).not.toBe(city.localDate(at));
          expect(at.getTime()).toBeGreaterThan(from.getTime());
        },
      ),
    );
  });
});

describe('deadlineOn', () => {
  const cal = new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [], extraWorkdays: [] });
  it('is the end of that local working day, rolled forward over days off', () => {
    expect(cal.deadlineOn('2025-06-03').toISOString()).toBe('2025-06-03T15:59:59.999Z');
    // 2025-10-01..08 National Day: the 8th rolls to Thursday the 9th
    expect(cal.deadlineOn('2025-10-08').toISOString()).toBe('2025-10-09T15:59:59.999Z');
  });
});

describe('years the city adds itself', () => {
  it('counts a listed year as covered and uses its entered holidays', () => {
    const beyond = WorkingCalendar.coveredYears.to + 1;
    const day = `${beyond}-01-05`;
    const plain = new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [day], extraWorkdays: [] });
    const added = new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [day], extraWorkdays: [], addedYears: [beyond] });
    expect(plain.isCovered(day)).toBe(false);
    expect(added.isCovered(day)).toBe(true);
    expect(added.isWorkday(day)).toBe(false);
    expect(added.addDuration(new Date(`${beyond}-01-02T02:00:00Z`), { amount: 1, unit: 'd', text: '1d' }).uncovered).toBe(false);
  });
});
