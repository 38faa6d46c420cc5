/**
 * The one place for time. Everything that needs "now" receives a Clock; nothing calls Date.now()
 * directly. In AWS the system clock; locally a settable clock so a demo or test can move a year on.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The times a settable clock may show: years 2000 to 2199 (beyond them dates stop being useful, then valid). */
export const CLOCK_RANGE = { from: Date.UTC(2000, 0, 1), until: Date.UTC(2200, 0, 1) } as const;

/** A move that would leave the clock outside CLOCK_RANGE (or on no valid time); the clock is unchanged. */
export class ClockOutOfRange extends RangeError {
  constructor() {
    super(`the clock must stay between ${new Date(CLOCK_RANGE.from).toISOString()} and ${new Date(CLOCK_RANGE.until).toISOString()}`);
    this.name = 'ClockOutOfRange';
  }
}

/** The time zone of every sample city; a SettableClock's calendar moves and local times use it unless told. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/**
 * A clock that runs with real time but can be moved: `advance(ms | duration)` or `set(date)`, within
 * CLOCK_RANGE. Years and months of a duration are calendar moves in `timeZone`.
 */
export class SettableClock implements Clock {
  private offsetMs = 0;
  constructor(
    private readonly base: Clock = systemClock,
    readonly timeZone: string = DEFAULT_TIME_ZONE,
  ) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(by: number | IsoDuration): Date {
    if (typeof by === 'number') return this.moveTo(this.offsetMs + by);
    const base = this.base.now().getTime();
    return this.moveTo(addMonths(base + this.offsetMs, by.months, this.timeZone) + by.ms - base);
  }
  set(at: Date): Date {
    return this.moveTo(at.getTime() - this.base.now().getTime());
  }
  private moveTo(offsetMs: number): Date {
    const t = this.base.now().getTime() + offsetMs;
    if (!(t >= CLOCK_RANGE.from && t < CLOCK_RANGE.until)) throw new ClockOutOfRange();
    this.offsetMs = offsetMs;
    return this.now();
  }
}

/** A clock frozen at a time, for tests. */
export class FixedClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at.getTime());
  }
  set(at: Date): void {
    this.at = at;
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** An ISO 8601 duration: whole calendar months (years count 12) and an exact time in ms (weeks, days, hours…). */
export interface IsoDuration {
  months: number;
  ms: number;
}

/** Parses an ISO 8601 duration such as P1Y, P2M, P3D, PT12H, P1Y2M3DT4H (no negative or fractional Y/M/D). */
export function parseIsoDuration(text: string): IsoDuration | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, y, mo, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return { months: n(y) * 12 + n(mo), ms: ((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000 };
}

/**
 * Parses the time a clock is set to: a date-time with its offset (2026-03-01T09:00:00+08:00, …Z), a
 * date-time without one (2026-03-01T09:00, local time in `timeZone`), or a date alone (2026-12-10:
 * 09:00 that day in `timeZone`, the start of a working day). Undefined for anything else.
 */
export function parseClockTime(text: string, timeZone: string = DEFAULT_TIME_ZONE): Date | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d)(?::(\d\d)(\.\d{1,3})?)?(Z|([+-])(\d\d):(\d\d))?)?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h = 9, mi = 0, s = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v)));
  const wall = Date.UTC(y ?? 0, (mo ?? 0) - 1, d, h, mi, s, Math.round(Number(`0${m[7] ?? ''}`) * 1000));
  const w = new Date(wall);
  if (w.getUTCFullYear() !== y || w.getUTCMonth() + 1 !== mo || w.getUTCDate() !== d || w.getUTCHours() !== h || w.getUTCMinutes() !== mi)
    return undefined;
  if (!m[8]) return new Date(fromWall(wall, timeZone));
  const offsetMs = m[8] === 'Z' ? 0 : (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) * 60_000;
  return new Date(wall - offsetMs);
}

/** The UTC offset (ms) of `timeZone` at instant t; NaN when t is no valid time. */
function offsetAt(t: number, timeZone: string): number {
  const at = new Date(Math.floor(t / 1000) * 1000);
  if (Number.isNaN(at.getTime())) return Number.NaN;
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p = Object.fromEntries(fmt.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year ?? 0, (p.month ?? 0) - 1, p.day, p.hour, p.minute, p.second) - at.getTime();
}

/** The instant of a wall time (given as UTC fields) in `timeZone` (two passes settle DST changes). */
function fromWall(wall: number, timeZone: string): number {
  return wall - offsetAt(wall - offsetAt(wall, timeZone), timeZone);
}

/** Instant t moved by whole calendar months in `timeZone`, the day clamped to the month's end (Jan 31 + P1M = Feb 28/29). */
function addMonths(t: number, months: number, timeZone: string): number {
  if (months === 0) return t;
  const w = new Date(t + offsetAt(t, timeZone));
  const [y, m] = [w.getUTCFullYear(), w.getUTCMonth() + months];
  const day = Math.min(w.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return fromWall(Date.UTC(y, m, day, w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds(), w.getUTCMilliseconds()), timeZone);
}
