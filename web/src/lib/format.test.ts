import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDeadline, localDate, nowWallTime, wallTimeToIso } from './format';

describe('formatDeadline', () => {
  it('shows the city-local date with its weekday', () => {
    // 2026-10-12 is a Monday.
    expect(formatDeadline('2026-10-12T15:59:59.999Z', 'Asia/Shanghai')).toBe('2026年10月12日 周一');
  });

  it('takes the date in the city, not in UTC or the browser (23:59:59 local is the previous UTC day)', () => {
    // 2026-10-12 23:59:59 in Shanghai is 15:59:59 UTC; 2026-10-12 20:00 UTC is already the 13th (周二) there.
    expect(formatDeadline('2026-10-12T20:00:00Z', 'Asia/Shanghai')).toBe('2026年10月13日 周二');
    expect(formatDeadline('2026-10-12T20:00:00Z', 'America/New_York')).toBe('2026年10月12日 周一');
  });

  it('takes a bare date as that calendar day, and shows — for nothing', () => {
    expect(formatDeadline('2026-02-17', 'Asia/Shanghai')).toBe('2026年2月17日 周二');
    expect(formatDeadline(undefined, 'Asia/Shanghai')).toBe('—');
    expect(formatDeadline('not a date', 'Asia/Shanghai')).toBe('—');
  });
});

describe('times', () => {
  it('formats a moment in the city', () => {
    expect(formatDateTime('2026-03-01T01:05:00Z', 'Asia/Shanghai')).toBe('2026年3月1日 09:05');
    expect(localDate('2026-12-31T16:30:00Z', 'Asia/Shanghai')).toBe('2027-01-01');
  });

  it('turns a wall-clock time in the city into ISO with its offset', () => {
    expect(wallTimeToIso('2026-10-12T14:05:00', 'Asia/Shanghai')).toBe('2026-10-12T14:05:00+08:00');
    // Daylight saving is honoured where a zone has it.
    expect(wallTimeToIso('2026-07-01T09:00:00', 'Europe/Berlin')).toBe('2026-07-01T09:00:00+02:00');
    expect(wallTimeToIso('2026-01-15T09:00:00', 'Europe/Berlin')).toBe('2026-01-15T09:00:00+01:00');
    expect(new Date(wallTimeToIso('2026-10-12T14:05:00', 'Asia/Shanghai')).toISOString()).toBe('2026-10-12T06:05:00.000Z');
  });

  it('gives the city-local now for a picker', () => {
    expect(nowWallTime('Asia/Shanghai', new Date('2026-10-12T17:30:45Z'))).toBe('2026-10-13T01:30:00');
  });
});
