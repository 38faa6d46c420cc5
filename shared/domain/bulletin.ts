/**
 * 通报 (bulletin): on the first working morning of each period (weekly / monthly / quarterly) the
 * office and the leaders get one email on the period just ended: per unit its open and overdue
 * items and its on-time rate (按时办结率, defined as in the statistics), and the best units named. Pure.
 */
import type { WorkingCalendar } from '#domain/calendar.ts';
import type { CityConfig } from '#domain/city-config.ts';
import type { Proposal } from '#domain/proposal.ts';
import { openObligations } from '#domain/obligations.ts';
import { isRegistered, replyTimeliness } from '#domain/statistics.ts';
import type { BulletinVars } from '#events/notices.ts';

export type BulletinPeriod = Exclude<CityConfig['policy']['bulletin'], 'off'>;

const DAY_MS = 86_400_000;
const BEST_MAX = 3;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const ymd = (y: number, m: number) => `${y}-${String(m).padStart(2, '0')}-01`;

/** First day (YYYY-MM-DD) of the period that contains `date`. */
export function periodStart(period: BulletinPeriod, date: string): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  if (period === 'monthly') return ymd(y, m);
  if (period === 'quarterly') return ymd(y, m - ((m - 1) % 3));
  const n = dayNumber(date);
  return fromDayNumber(n - ((new Date(n * DAY_MS).getUTCDay() + 6) % 7)); // Monday
}

/** First day of the period after the one starting at `start`. */
export function nextPeriodStart(period: BulletinPeriod, start: string): string {
  if (period === 'weekly') return fromDayNumber(dayNumber(start) + 7);
  const months = period === 'monthly' ? 1 : 3;
  const [y, m] = [Number(start.slice(0, 4)), Number(start.slice(5, 7)) - 1 + months];
  return ymd(y + Math.floor(m / 12), (m % 12) + 1);
}

function previousPeriodStart(period: BulletinPeriod, start: string): string {
  return periodStart(period, fromDayNumber(dayNumber(start) - 1));
}

/** The instant of a local wall time on a local date in `timeZone`. */
function zoned(date: string, hhmm: string, timeZone: string): Date {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const offset = (t: number) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) - t;
  };
  const wall = Date.parse(`${date}T${hhmm}:00Z`);
  return new Date(wall - offset(wall - offset(wall)));
}

/** When the bulletin of the period starting at `start` goes out: its first working morning. */
export function bulletinTime(start: string, calendar: WorkingCalendar, config: Pick<CityConfig, 'timeZone' | 'calendar'>): Date {
  const day = calendar.isWorkday(start) ? start : calendar.addWorkdays(start, 1);
  return calendar.nextSendTime(zoned(day, config.calendar.quietHours?.to ?? '08:00', config.timeZone));
}

/** The next bulletin time after `now`. */
export function nextBulletinTime(
  period: BulletinPeriod,
  now: Date,
  calendar: WorkingCalendar,
  config: Pick<CityConfig, 'timeZone' | 'calendar'>,
): Date {
  let start = periodStart(period, calendar.localDate(now));
  while (bulletinTime(start, calendar, config).getTime() <= now.getTime()) start = nextPeriodStart(period, start);
  return bulletinTime(start, calendar, config);
}

/** The period a bulletin sent at `sentAt` reports on (the one just ended): id part, label and year. */
export function reportedPeriod(
  period: BulletinPeriod,
  sentAt: Date,
  calendar: WorkingCalendar,
): { id: string; label: string; year: number; from: string } {
  const from = previousPeriodStart(period, periodStart(period, calendar.localDate(sentAt)));
  const [y, m, d] = [Number(from.slice(0, 4)), Number(from.slice(5, 7)), Number(from.slice(8, 10))];
  if (period === 'monthly') return { id: from.slice(0, 7), label: `${y}年${m}月`, year: y, from };
  if (period === 'quarterly') {
    const q = Math.floor((m - 1) / 3) + 1;
    return { id: `${y}-Q${q}`, label: `${y}年第${q}季度`, year: y, from };
  }
  const to = fromDayNumber(dayNumber(from) + 6);
  return { id: `week-${from}`, label: `${y}年${m}月${d}日至${Number(to.slice(5, 7))}月${Number(to.slice(8, 10))}日`, year: y, from };
}

interface UnitTally {
  open: number;
  overdue: number;
  due: number;
  onTime: number;
}

/**
 * Per unit, over the cases the statistics count (isRegistered): open = proposals where it still
 * owes something; overdue = of those, past a deadline (whatever their year: the sweep passes earlier
 * years' open proposals too); on-time rate = of its lead proposals of the reported year, the
 * statistics' 按时 (replyTimeliness: approved by the reply deadline) over those due (null: none yet).
 * Best: no overdue item and the highest on-time rate.
 */
export function bulletinVars(
  period: { label: string; year: number },
  proposals: readonly Proposal[],
  now: Date,
  units: readonly Pick<CityConfig['units'][number], 'id' | 'name'>[],
): BulletinVars {
  const tally = new Map<string, UnitTally>();
  const of = (unit: string) => {
    let t = tally.get(unit);
    if (!t) tally.set(unit, (t = { open: 0, overdue: 0, due: 0, onTime: 0 }));
    return t;
  };
  for (const p of proposals.filter(isRegistered)) {
    const owed = new Map<string, boolean>();
    for (const o of openObligations(p)) {
      if (!o.unit) continue;
      owed.set(o.unit, (owed.get(o.unit) ?? false) || Date.parse(o.deadline) < now.getTime());
    }
    for (const [unit, late] of owed) {
      of(unit).open++;
      if (late) of(unit).overdue++;
    }
    const timely = p.year === period.year ? replyTimeliness(p, now) : undefined;
    if (!p.lead || !timely) continue;
    of(p.lead).due++;
    if (timely === 'on_time') of(p.lead).onTime++;
  }
  const name = new Map(units.map((u) => [u.id, u.name]));
  const rows = [...tally]
    .map(([unit, t]) => ({
      unit,
      unitName: name.get(unit) ?? unit,
      overdue: t.overdue,
      open: t.open,
      onTimeRate: t.due ? t.onTime / t.due : null,
    }))
    .sort((a, b) => b.overdue - a.overdue || (a.onTimeRate ?? 2) - (b.onTimeRate ?? 2) || a.unit.localeCompare(b.unit));
  const rated = rows.filter((r) => r.overdue === 0 && r.onTimeRate !== null);
  const top = Math.max(...rated.map((r) => r.onTimeRate ?? 0));
  const best = rated
    .filter((r) => r.onTimeRate === top)
    .slice(0, BEST_MAX)
    .map((r) => r.unit);
  return { period: period.label, rows, best };
}
