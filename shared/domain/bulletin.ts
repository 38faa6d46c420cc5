/**
 * 通报 (bulletin): on the first working morning of each period (weekly / monthly / quarterly) the
 * office and the leaders get one email on the period just ended, and with config
 * replies.bulletinToUnits every unit its own copy (公开亮相: the best named for 表扬, those with overdue
 * items for 批评). Per unit, three kinds of figures, each labelled as what it is:
 * - now (截至发送时): 在办 (proposals not closed on which it owes something), 跟踪落实 (closed
 *   proposals whose follow-up it owes: answered, so not 未办结), 逾期 (of both, past a deadline);
 * - the period (本期): its replies (to the reported year's proposals) that left the unit (签发) in the
 *   period, and how many on time;
 * - the year to date (本年累计): its lead proposals of the reported year: assigned, answered, 办复率 and
 *   按时办复率 (measures.ts, as the statistics count them).
 * Pure.
 */
import type { WorkingCalendar } from '#domain/calendar.ts';
import type { CityConfig } from '#domain/city-config.ts';
import type { Proposal } from '#domain/proposal.ts';
import { openObligations } from '#domain/obligations.ts';
import { partsOf } from '#domain/parts.ts';
import { isAnswered, isRegistered, leftUnitAt, replyTimeliness, unitReply } from '#domain/measures.ts';
import type { BulletinVars, Notice } from '#events/notices.ts';

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
export function zoned(date: string, hhmm: string, timeZone: string): Date {
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

/** The instants a period starting on local date `from` spans: [start, end). */
export function periodRange(period: BulletinPeriod, from: string, timeZone: string): { start: string; end: string } {
  return {
    start: zoned(from, '00:00', timeZone).toISOString(),
    end: zoned(nextPeriodStart(period, from), '00:00', timeZone).toISOString(),
  };
}

/** A reported period: its label (2026年3月), the year whose cumulative figures it shows, its instants [start, end). */
export interface ReportedPeriod {
  label: string;
  year: number;
  start: string;
  end: string;
}

interface UnitTally {
  open: number;
  followUp: number;
  overdue: number;
  periodAnswered: number;
  periodOnTime: number;
  assigned: number;
  answered: number;
  due: number;
  onTime: number;
}

const rate = (n: number, d: number) => (d ? n / d : null);

/**
 * Per unit, over the cases the statistics count (isRegistered): what it owes now (whatever the
 * proposal's year: the sweep passes earlier years' open proposals too); of its lead proposals of the
 * reported year, the replies that left it in the period, and the year to date. Best: nothing overdue and the highest 按时办复率 (above 0; the
 * higher 办复率 first among equals), at most three; criticized: every unit with an overdue item.
 */
export function bulletinVars(
  period: ReportedPeriod,
  proposals: readonly Proposal[],
  now: Date,
  units: readonly Pick<CityConfig['units'][number], 'id' | 'name'>[],
): BulletinVars {
  const tally = new Map<string, UnitTally>();
  const of = (unit: string) => {
    let t = tally.get(unit);
    if (!t)
      tally.set(
        unit,
        (t = { open: 0, followUp: 0, overdue: 0, periodAnswered: 0, periodOnTime: 0, assigned: 0, answered: 0, due: 0, onTime: 0 }),
      );
    return t;
  };
  for (const p of proposals.filter(isRegistered)) {
    const owed = new Map<string, boolean>();
    for (const o of openObligations(p)) {
      if (!o.unit) continue;
      owed.set(o.unit, (owed.get(o.unit) ?? false) || Date.parse(o.deadline) < now.getTime());
    }
    for (const [unit, late] of owed) {
      of(unit)[p.status === 'closed' ? 'followUp' : 'open']++;
      if (late) of(unit).overdue++;
    }
    if (p.year !== period.year) continue;
    // Each lead unit's part (分办: several) counts for that unit.
    for (const part of partsOf(p)) {
      const reply = unitReply(part);
      const left = reply && leftUnitAt(reply);
      const timely = replyTimeliness(part, now);
      if (reply && left && Date.parse(left) >= Date.parse(period.start) && Date.parse(left) < Date.parse(period.end)) {
        of(reply.unit).periodAnswered++;
        if (timely === 'on_time') of(reply.unit).periodOnTime++;
      }
      const t = of(part.lead ?? '');
      t.assigned++;
      if (isAnswered(part)) t.answered++;
      if (timely) t.due++;
      if (timely === 'on_time') t.onTime++;
    }
  }
  const name = new Map(units.map((u) => [u.id, u.name]));
  const rows = [...tally]
    .map(([unit, t]) => ({
      unit,
      unitName: name.get(unit) ?? unit,
      open: t.open,
      followUp: t.followUp,
      overdue: t.overdue,
      periodAnswered: t.periodAnswered,
      periodOnTime: t.periodOnTime,
      assigned: t.assigned,
      answered: t.answered,
      replyRate: rate(t.answered, t.assigned),
      onTimeReplyRate: rate(t.onTime, t.due),
    }))
    .sort((a, b) => b.overdue - a.overdue || (a.onTimeReplyRate ?? 2) - (b.onTimeReplyRate ?? 2) || a.unit.localeCompare(b.unit));
  const rated = rows.filter((r) => r.overdue === 0 && r.onTimeReplyRate !== null);
  const top = Math.max(0, ...rated.map((r) => r.onTimeReplyRate ?? 0));
  const best = rated
    .filter((r) => top > 0 && r.onTimeReplyRate === top)
    .sort((a, b) => (b.replyRate ?? 0) - (a.replyRate ?? 0) || a.unit.localeCompare(b.unit))
    .slice(0, BEST_MAX)
    .map((r) => r.unit);
  const criticized = rows.filter((r) => r.overdue > 0).map((r) => r.unit);
  return { period: period.label, rows, best, criticized };
}

/**
 * The 通报's notices of one period: one to the office and the leaders, and with
 * replies.bulletinToUnits one to each unit of the city (its copy names it: `to`), each with a
 * deterministic id (`bulletin/<period id>`, `bulletin/<period id>/unit/<unit>`).
 */
export function bulletinNotices(
  periodId: string,
  vars: BulletinVars,
  config: { units: readonly Pick<CityConfig['units'][number], 'id'>[]; replies: Pick<CityConfig['replies'], 'bulletinToUnits'> },
  createdAt: string,
): Notice[] {
  const id = `bulletin/${periodId}`;
  const office: Notice = { id, kind: 'bulletin', recipients: [{ kind: 'office' }, { kind: 'leaders' }], vars, createdAt };
  if (!config.replies.bulletinToUnits) return [office];
  return [
    office,
    ...config.units.map((u): Notice => ({
      id: `${id}/unit/${u.id}`,
      kind: 'bulletin',
      recipients: [{ kind: 'unit', unit: u.id }],
      vars: { ...vars, to: u.id },
      createdAt,
    })),
  ];
}
