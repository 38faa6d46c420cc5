import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '#domain/calendar.ts';
import { parseDuration, type CityConfig, type Duration } from '#domain/city-config.ts';
import { TimerSchedule, type TimerSubject } from '#domain/timer-schedule.ts';

function dur(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new Error(`bad duration ${text}`);
  return d;
}
/** Beijing wall time -> ISO instant. */
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).toISOString();
const endOf = (date: string) => cst(`${date} 23:59:59.999`);

// 阿拉尔: 2026-03-20 (肉孜节) is a city extra holiday; quiet 20:00-08:00.
const calendar = new WorkingCalendar({
  timeZone: 'Asia/Shanghai',
  extraHolidays: ['2026-03-20'],
  extraWorkdays: [],
  quietHours: { from: '20:00', to: '08:00' },
});
const policy: Pick<CityConfig['policy'], 'reminders' | 'escalation' | 'key'> = {
  reminders: ['-10wd', '-3wd', '-1wd'].map(dur),
  escalation: [
    { after: dur('0wd'), level: 1, to: ['unit', 'unitHead'] },
    { after: dur('5wd'), level: 2, to: ['unit', 'unitHead', 'office'] },
    { after: dur('10wd'), level: 3, to: ['unitHead', 'office', 'leaders'], repeat: dur('5wd') },
  ],
  key: { reminders: ['-5wd'].map(dur), addLeaders: true },
};
const schedule = new TimerSchedule(policy, calendar);
const reply = (deadlineDay: string, key = false): TimerSubject => ({
  obligation: 'reply',
  unit: 'health',
  deadline: endOf(deadlineDay),
  key,
});
const steps = (s: TimerSubject, n: number) => Array.from({ length: n }, (_, i) => schedule.step(s, i));

describe('timer steps on the working-day calendar', () => {
  it('reminds and escalates around the Spring Festival 2026 (off Feb 15-23, Sat Feb 14 and Sat Feb 28 worked)', () => {
    const s = steps(reply('2026-02-27'), 8);
    expect(s.map((x) => x?.at)).toEqual([
      cst('2026-02-06 08:00'), // -10wd: counting back over the holiday, through the make-up Saturday Feb 14
      cst('2026-02-24 08:00'), // -3wd
      cst('2026-02-26 08:00'), // -1wd
      cst('2026-02-28 08:00'), // 催办: the morning after the deadline is the make-up Saturday
      cst('2026-03-06 08:00'), // 督办: 5wd after (Feb 28, Mar 2-5), next morning
      cst('2026-03-13 08:00'), // level 3: 10wd after
      cst('2026-03-23 08:00'), // repeat 5wd: due the morning of Mar 20, a city holiday -> Monday
      cst('2026-03-30 08:00'), // repeat again, counted from the raw time (Mar 20 is not a working day)
    ]);
    expect(s.map((x) => (x?.kind === 'escalation' ? x.level : x?.kind))).toEqual(['reminder', 'reminder', 'reminder', 1, 2, 3, 3, 3]);
    expect(s[3]).toMatchObject({ kind: 'escalation', to: ['unit', 'unitHead'] });
    expect(s[5]).toMatchObject({ to: ['unitHead', 'office', 'leaders'] });
  });

  it('reminds and escalates around National Day 2026 (off Oct 1-7, Sun Sep 20 and Sat Oct 10 worked)', () => {
    const s = steps(reply('2026-09-30'), 5);
    expect(s.map((x) => x?.at)).toEqual([
      cst('2026-09-16 08:00'), // -10wd, through the make-up Sunday Sep 20 and over Mid-Autumn (Sep 25-27)
      cst('2026-09-24 08:00'), // -3wd
      cst('2026-09-29 08:00'), // -1wd
      cst('2026-10-08 08:00'), // 催办 after the holiday week
      cst('2026-10-14 08:00'), // 督办: Oct 8, 9, 10 (make-up Saturday), 12, 13 -> next morning
    ]);
  });

  it('holds a step that falls in quiet hours to the next working morning; the deadline is not moved', () => {
    const s = reply('2026-03-06'); // a Friday
    expect(s.deadline).toBe(endOf('2026-03-06'));
    expect(schedule.step(s, 3)?.at).toBe(cst('2026-03-09 08:00')); // Fri 23:59:59 -> Monday 08:00
    for (const st of steps(s, 10)) expect(calendar.isQuiet(new Date(st?.at ?? 0))).toBe(false);
  });

  it('repeats at the last level for ever, and stops after the ladder without repeat', () => {
    const s = reply('2026-03-31');
    expect(schedule.step(s, 40)).toMatchObject({ kind: 'escalation', level: 3 });
    const once = new TimerSchedule({ ...policy, escalation: policy.escalation.slice(0, 2) }, calendar);
    expect(once.step(s, 4)).toMatchObject({ level: 2 });
    expect(once.step(s, 5)).toBeUndefined();
  });

  it('uses the key-proposal reminders and adds the leaders to every step of a key proposal', () => {
    const s = steps(reply('2026-02-27', true), 3);
    expect(s[0]).toMatchObject({ kind: 'reminder', at: cst('2026-02-13 08:00'), to: ['unit', 'leaders'] }); // -5wd: 26, 25, 24, 14, 13
    expect(s[1]).toMatchObject({ kind: 'escalation', level: 1, to: ['unit', 'unitHead', 'leaders'] });
    expect(schedule.step(reply('2026-02-27'), 0)).toMatchObject({ to: ['unit'] });
  });

  it('reminds the proposers to rate (to: none named, the notices find who has not rated), then closes at the deadline', () => {
    const s: TimerSubject = { obligation: 'feedback', deadline: endOf('2026-03-06'), key: false };
    expect(steps(s, 3).map((x) => x && [x.kind, x.at, 'to' in x ? x.to : undefined])).toEqual([
      ['reminder', cst('2026-02-14 08:00'), []], // -10wd: 03-05 … 02-24, then the 春节 make-up Saturday 02-14
      ['reminder', cst('2026-03-03 08:00'), []],
      ['reminder', cst('2026-03-05 08:00'), []],
    ]);
    expect(schedule.step(s, 3)).toEqual({ kind: 'close', index: 3, at: endOf('2026-03-06') });
    expect(schedule.step(s, 4)).toBeUndefined();
  });
});

describe('where a timer starts and how far it has got', () => {
  const s = reply('2026-02-27');
  it('skips the steps already past when it is created', () => {
    expect(schedule.firstStep(s, new Date(cst('2026-01-20 10:00')))).toBe(0);
    expect(schedule.firstStep(s, new Date(cst('2026-02-10 10:00')))).toBe(1);
    expect(schedule.firstStep(s, new Date(cst('2026-02-26 08:00')))).toBe(3); // at the very moment: past
  });

  it('starts an overdue obligation at the escalation it has reached, so it still escalates', () => {
    expect(schedule.firstStep(s, new Date(cst('2026-03-07 10:00')))).toBe(4);
    expect(schedule.levelAt(s, new Date(cst('2026-03-07 10:00')))).toBe(2);
    expect(schedule.levelAt(s, new Date(cst('2026-02-27 10:00')))).toBe(0);
  });

  it('finds the latest due step when a sweep is late, or none when nothing is due', () => {
    expect(schedule.latestDue(s, 0, new Date(cst('2026-03-07 10:00')))).toBe(4);
    expect(schedule.latestDue(s, 5, new Date(cst('2026-03-07 10:00')))).toBeUndefined();
    expect(schedule.latestDue(s, 1, new Date(cst('2026-02-24 08:00')))).toBe(1);
  });

  it('creates a feedback timer past its deadline at the close step, and one inside the reminders at the next', () => {
    const f: TimerSubject = { obligation: 'feedback', deadline: endOf('2026-03-06'), key: false };
    expect(schedule.firstStep(f, new Date(cst('2026-03-09 10:00')))).toBe(3);
    expect(schedule.firstStep(f, new Date(cst('2026-03-04 10:00')))).toBe(2);
    // A timer stored before feedback had reminders (at step 0, due at the deadline) closes when it fires.
    expect(schedule.latestDue(f, 0, new Date(endOf('2026-03-06')))).toBe(3);
  });
});
