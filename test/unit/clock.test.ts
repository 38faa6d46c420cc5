import { describe, expect, it } from 'vitest';
import { ClockOutOfRange, FixedClock, parseIsoDuration, SettableClock } from '#shared/clock.ts';

describe('SettableClock', () => {
  const start = new Date('2026-03-02T01:00:00.000Z');
  const clock = () => new SettableClock(new FixedClock(start));

  it('moves by a duration or to a time', () => {
    const c = clock();
    expect(c.advance(parseIsoDuration('P3D')!).toISOString()).toBe('2026-03-05T01:00:00.000Z');
    expect(c.set(new Date('2030-01-01T00:00:00Z')).toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('refuses a move out of years 2000-2199 or to no valid time, and stays where it was', () => {
    const c = clock();
    const moves = [
      () => c.advance(parseIsoDuration('P100000000D')!), // past the largest Date: Invalid Date
      () => c.advance(parseIsoDuration('P100000D')!), // year 2300
      () => c.set(new Date('1999-12-31T23:59:59Z')),
      () => c.set(new Date('2200-01-01T00:00:00Z')),
      () => c.set(new Date('not a time')),
      () => c.advance(Number.NaN),
    ];
    for (const move of moves) {
      expect(move).toThrow(ClockOutOfRange);
      expect(c.now().toISOString()).toBe(start.toISOString());
    }
  });
});
