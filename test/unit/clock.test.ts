import { describe, expect, it } from 'vitest';
import { ClockOutOfRange, FixedClock, parseClockTime, parseIsoDuration, SettableClock } from '#shared/clock.ts';

describe('SettableClock', () => {
  const start = new Date('2026-03-02T01:00:00.000Z');
  const clock = (at = start, timeZone?: string) => new SettableClock(new FixedClock(at), timeZone);
  const advance = (c: SettableClock, text: string) => c.advance(parseIsoDuration(text)!).toISOString();

  it('moves by a duration or to a time', () => {
    const c = clock();
    expect(advance(c, 'P3D')).toBe('2026-03-05T01:00:00.000Z');
    expect(c.set(new Date('2030-01-01T00:00:00Z')).toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('moves years and months on the calendar of its time zone, the day clamped to the month end', () => {
    expect(advance(clock(), 'P1Y')).toBe('2027-03-02T01:00:00.000Z');
    expect(advance(clock(), 'P2M')).toBe('2026-05-02T01:00:00.000Z');
    expect(advance(clock(), 'P1Y2M3DT4H')).toBe('2027-05-05T05:00:00.000Z');
    // 2024-02-29 10:00 in Shanghai: a year on is 2025-02-28 (no 29th); 2026-01-31 + P1M is 2026-02-28.
    expect(advance(clock(new Date('2024-02-29T02:00:00Z')), 'P1Y')).toBe('2025-02-28T02:00:00.000Z');
    expect(advance(clock(new Date('2026-01-31T02:00:00Z')), 'P1M')).toBe('2026-02-28T02:00:00.000Z');
    // 2026-01-30 20:00 UTC is 31 January 04:00 in Shanghai: a month on is 28 February 04:00 there,
    // while in UTC it is 30 January, and a month on 28 February 20:00.
    expect(advance(clock(new Date('2026-01-30T20:00:00Z')), 'P1M')).toBe('2026-02-27T20:00:00.000Z');
    expect(advance(clock(new Date('2026-01-30T20:00:00Z'), 'UTC'), 'P1M')).toBe('2026-02-28T20:00:00.000Z');
    // Across a DST change the local wall time stays (New York: 09:00 EST -> 09:00 EDT).
    expect(advance(clock(new Date('2026-02-10T14:00:00Z'), 'America/New_York'), 'P1M')).toBe('2026-03-10T13:00:00.000Z');
  });

  it('refuses a move out of years 2000-2199 or to no valid time, and stays where it was', () => {
    const c = clock();
    const moves = [
      () => c.advance(parseIsoDuration('P100000000D')!), // past the largest Date: Invalid Date
      () => c.advance(parseIsoDuration('P100000D')!), // year 2300
      () => c.advance(parseIsoDuration('P174Y')!), // year 2200
      () => c.advance(parseIsoDuration('P1000000Y')!), // past the largest Date
      () => c.set(new Date('1999-12-31T23:59:59Z')),
      () => c.set(new Date('2200-01-01T00:00:00Z')),
      () => c.set(new Date('not a time')),
      () => c.advance(Number.NaN),
    ];
    for (const move of moves) {
      expect(move).toThrow(ClockOutOfRange);
      expect(c.now().toISOString()).toBe(start.toISOString());
    }
    expect(advance(c, 'P173Y')).toBe('2199-03-02T01:00:00.000Z');
  });
});

describe('parseIsoDuration', () => {
  it('reads years, months, weeks, days and a time part', () => {
    expect(parseIsoDuration('P1Y')).toEqual({ months: 12, ms: 0 });
    expect(parseIsoDuration('P2M')).toEqual({ months: 2, ms: 0 });
    expect(parseIsoDuration('P1Y2M3DT4H')).toEqual({ months: 14, ms: (3 * 24 + 4) * 3_600_000 });
    expect(parseIsoDuration('P2W')).toEqual({ months: 0, ms: 14 * 86_400_000 });
    expect(parseIsoDuration('PT1M')).toEqual({ months: 0, ms: 60_000 }); // minutes after T, months before
    expect(parseIsoDuration('PT1.5S')).toEqual({ months: 0, ms: 1500 });
  });

  it('refuses what is not one', () => {
    for (const text of ['P', 'PT', 'P1DT', '3 days', 'P-1D', 'P1.5Y', 'P1M1Y', 'p1y', '1Y', 'P1H'])
      expect(parseIsoDuration(text), text).toBeUndefined();
  });
});

describe('parseClockTime', () => {
  it('reads a time with its offset as given', () => {
    expect(parseClockTime('2026-03-01T09:00:00+08:00')?.toISOString()).toBe('2026-03-01T01:00:00.000Z');
    expect(parseClockTime('2026-03-01T09:00:00.250Z')?.toISOString()).toBe('2026-03-01T09:00:00.250Z');
    expect(parseClockTime('2026-03-01T09:00-05:00')?.toISOString()).toBe('2026-03-01T14:00:00.000Z');
  });

  it('reads a date alone as 09:00 that day, and a time without offset as local, in the time zone', () => {
    expect(parseClockTime('2026-12-10')?.toISOString()).toBe('2026-12-10T01:00:00.000Z');
    expect(parseClockTime('2026-12-10', 'UTC')?.toISOString()).toBe('2026-12-10T09:00:00.000Z');
    expect(parseClockTime('2026-12-10T18:30')?.toISOString()).toBe('2026-12-10T10:30:00.000Z');
  });

  it('refuses what is not a valid time', () => {
    for (const text of [
      '2026-02-30',
      '2026-13-01',
      '2026-03-01T24:00',
      '2026-03-01T09:60',
      '2026-3-1',
      '2026-03-01 09:00',
      'tomorrow',
      '2026-03-01T09:00+0800',
    ]) {
      expect(parseClockTime(text), text).toBeUndefined();
    }
  });
});
