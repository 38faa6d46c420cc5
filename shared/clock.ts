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

/** A clock that runs with real time but can be moved: `advance(ms)` or `set(date)`, within CLOCK_RANGE. */
export class SettableClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): Date {
    return this.moveTo(this.offsetMs + ms);
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

/** Parses an ISO 8601 duration of days/hours/minutes/seconds (e.g. P3D, PT12H, P1DT2H) to ms. */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return ((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000;
}
