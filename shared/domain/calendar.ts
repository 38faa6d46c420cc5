/**
 * Working-day calendar (工作日历) and deadline arithmetic. Pure: instants come in as parameters.
 *
 * Working day: the national schedule (国务院办公厅 holidays and make-up working days 调休上班) from the
 * `chinese-days` package, plus the city's `extraHolidays` / `extraWorkdays`. Outside the years that data
 * covers, Monday–Friday are working days and results say `uncovered: true` so callers can flag them.
 * We use the package's JSON data, not its functions (those parse dates in the process time zone and
 * shift every date by one day when it runs west of UTC), compacted into national-days.ts by
 * scripts/gen-national-days.ts so that the bundles stay small.
 *
 * Deadline semantics (non-negative durations) — a deadline is the END of a city-local day
 * (23:59:59.999 local, returned as an instant):
 * - `Nwd`: counting starts on the next working day: assigned on Friday with 1wd, due at the end of the
 *   next working day (Monday, or a make-up working day). `0wd` = today if working, else the next one.
 * - `Nd`: N calendar days, then moved forward to the next working day if that day is not one.
 * - `Nmo`: N calendar months with the day clamped to month end (Jan 31 + 1mo = Feb 28/29), then moved
 *   forward to the next working day if needed.
 * Reminder semantics (negative durations) count back from a deadline instant and return the START of
 * a working day: quietHours.to (else 09:00) local time on that day.
 * - `-Nwd`: the working day N working days before the deadline's day (`addWorkdays(day, -N)`).
 * - `-Nd` / `-Nmo`: N days / months earlier (clamped), moved BACK to the previous working day, so a
 *   reminder never comes later than asked.
 * `uncovered` is true when the start or result day lies outside the covered years; coverage is a
 * contiguous range of years, so that is the same as "any day crossed is uncovered".
 */
import { nationalDays } from './national-days.ts';
import type { Duration } from './city-config.ts';

export interface CalendarSettings {
  timeZone: string;
  extraHolidays: readonly string[];
  extraWorkdays: readonly string[];
  quietHours?: { from: string; to: string };
  /**
   * Years beyond the package's data whose national holidays and make-up working days the city has
   * entered itself in extraHolidays / extraWorkdays (e.g. as soon as the State Council publishes them).
   */
  addedYears?: readonly number[];
}

/** The days of a per-year table ("MMDD MMDD …") as YYYY-MM-DD. */
const days = (table: Readonly<Record<number, string>>) =>
  new Set(Object.entries(table).flatMap(([year, list]) => list.split(' ').map((d) => `${year}-${d.slice(0, 2)}-${d.slice(2)}`)));
let national: { holidays: ReadonlySet<string>; workdays: ReadonlySet<string> } | undefined;
/** The national table as sets, decoded on first use (not on every cold start's import). */
const nationalSets = () => (national ??= { holidays: days(nationalDays.holidays), workdays: days(nationalDays.workdays) });
const dataYears = Object.keys(nationalDays.holidays).map(Number);

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
/** Bound of the offset and day-string caches (a few years of quarter hours seen; cleared when full). */
const OFFSETS_KEPT = 50_000;
const END_OF_DAY_MS = DAY_MS - 1;
const DEFAULT_SEND_MORNING = '08:00';
const DEFAULT_REMINDER_MORNING = '09:00';

export class WorkingCalendar {
  /** Years the national data covers (chinese-days via national-days.ts; bump the package and run npm run gen:national-days). */
  static readonly coveredYears = { from: Math.min(...dataYears), to: Math.max(...dataYears) };

  private readonly extraHolidays: ReadonlySet<string>;
  private readonly extraWorkdays: ReadonlySet<string>;
  private readonly parts: Intl.DateTimeFormat;
  /** UTC offset (ms) per quarter hour of UTC, see offsetAt. */
  private readonly offsets = new Map<number, number>();

  constructor(private readonly s: CalendarSettings) {
    [...s.extraHolidays, ...s.extraWorkdays].forEach(parseDate);
    this.extraHolidays = new Set(s.extraHolidays);
    this.extraWorkdays = new Set(s.extraWorkdays);
    const both = s.extraHolidays.filter((d) => this.extraWorkdays.has(d));
    if (both.length) throw new Error(`calendar: ${both.join(', ')} is both an extra holiday and an extra workday`);
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone: s.timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  isCovered(date: string): boolean {
    const year = parseDate(date)[0];
    return (
      (year >= WorkingCalendar.coveredYears.from && year <= WorkingCalendar.coveredYears.to) || (this.s.addedYears ?? []).includes(year)
    );
  }

  isWorkday(date: string): boolean {
    if (this.extraWorkdays.has(date)) return true;
    if (this.extraHolidays.has(date)) return false;
    if (this.isCovered(date)) {
      const { holidays, workdays } = nationalSets();
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
    }
    const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay();
    return weekday >= 1 && weekday <= 5;
  }

  /** The city-local YYYY-MM-DD of an instant. */
  localDate(at: Date): string {
    return this.local(at).date;
  }

  /** n working days after (n > 0) or before (n < 0) a date, not counting the date itself; 0 = the date. */
  addWorkdays(date: string, n: number): string {
    let d = date;
    for (let left = Math.abs(n); left > 0;) {
      d = addDays(d, Math.sign(n));
      if (this.isWorkday(d)) left--;
    }
    return d;
  }

  addDuration(from: Date, d: Duration): { at: Date; uncovered: boolean } {
    const start = this.localDate(from);
    const back = d.amount < 0;
    let day: string;
    if (d.unit === 'wd') day = d.amount === 0 ? this.rollForward(start) : this.addWorkdays(start, d.amount);
    else {
      const moved = d.unit === 'd' ? addDays(start, d.amount) : addMonths(start, d.amount);
      day = back ? this.rollBack(moved) : this.rollForward(moved);
    }
    const at = back ? this.instant(day, clockMs(this.s.quietHours?.to ?? DEFAULT_REMINDER_MORNING)) : this.instant(day, END_OF_DAY_MS);
    return { at, uncovered: !this.isCovered(start) || !this.isCovered(day) };
  }

  /** A deadline on a given local date: the end of that day, or of the next working day if it is not one. */
  deadlineOn(date: string): Date {
    parseDate(date);
    return this.instant(this.rollForward(date), END_OF_DAY_MS);
  }

  /** In quiet hours (local time) or on a non-working day. */
  isQuiet(at: Date): boolean {
    const { date, ms } = this.local(at);
    if (!this.isWorkday(date)) return true;
    const q = this.s.quietHours;
    if (!q) return false;
    const from = clockMs(q.from),
      to = clockMs(q.to);
    return from <= to ? ms >= from && ms < to : ms >= from || ms < to;
  }

  /** `at` if not quiet, else the next working morning at quietHours.to (08:00 local without quiet hours). */
  nextSendTime(at: Date): Date {
    if (!this.isQuiet(at)) return at;
    const morning = clockMs(this.s.quietHours?.to ?? DEFAULT_SEND_MORNING);
    const { date, ms } = this.local(at);
    const day = this.isWorkday(date) && ms < morning ? date : this.addWorkdays(date, 1);
    return this.instant(day, morning);
  }

  private rollForward(date: string): string {
    return this.isWorkday(date) ? date : this.addWorkdays(date, 1);
  }

  private rollBack(date: string): string {
    return this.isWorkday(date) ? date : this.addWorkdays(date, -1);
  }

  /** Local date and milliseconds since local midnight of an instant. */
  private local(at: Date): { date: string; ms: number } {
    const t = at.getTime();
    const wall = t + this.offsetAt(t);
    const day = Math.floor(wall / DAY_MS);
    return { date: fromDayNumber(day), ms: wall - day * DAY_MS };
  }

  /**
   * The zone's UTC offset at instant t (ms), from Intl once per quarter hour of UTC and then kept:
   * zones change offset only on quarter-hour boundaries, and Intl's formatToParts was the
   * reactor's costliest step (every deadline walks day by day through the calendar).
   */
  private offsetAt(t: number): number {
    const bucket = Math.floor(t / QUARTER_HOUR_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const start = bucket * QUARTER_HOUR_MS;
      const p = Object.fromEntries(this.parts.formatToParts(new Date(start)).map((x) => [x.type, x.value]));
      offset = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - start;
      if (this.offsets.size >= OFFSETS_KEPT) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** The instant at `ms` after local midnight of a local date (two passes settle DST changes). */
  private instant(date: string, ms: number): Date {
    const wall = dayNumber(date) * DAY_MS + ms;
    const offset = (t: number) => {
      const l = this.local(new Date(t));
      return dayNumber(l.date) * DAY_MS + l.ms - t;
    };
    const guess = wall - offset(wall);
    return new Date(wall - offset(guess));
  }
}

function parseDate(date: string): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`calendar: not a date (YYYY-MM-DD): "${date}"`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
function dayNumber(date: string): number {
  const [y, m, d] = parseDate(date);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** YYYY-MM-DD of a day number; the strings of recent days are kept (deadline walks ask often). */
const dayStrings = new Map<number, string>();
function fromDayNumber(n: number): string {
  let s = dayStrings.get(n);
  if (s === undefined) {
    s = new Date(n * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size >= OFFSETS_KEPT) dayStrings.clear();
    dayStrings.set(n, s);
  }
  return s;
}

function addDays(date: string, n: number): string {
  return fromDayNumber(dayNumber(date) + n);
}

/** Calendar months, clamping the day to the end of the target month. */
function addMonths(date: string, n: number): string {
  const [y, m, d] = parseDate(date);
  const month = y * 12 + (m - 1) + n;
  const [ty, tm] = [Math.floor(month / 12), ((month % 12) + 12) % 12];
  const lastDay = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return fromDayNumber(Date.UTC(ty, tm, Math.min(d, lastDay)) / DAY_MS);
}

/** 'HH:MM' -> milliseconds since midnight. */
function clockMs(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return ((h ?? 0) * 60 + (m ?? 0)) * 60_000;
}
