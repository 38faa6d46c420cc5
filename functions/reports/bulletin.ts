/**
 * GET /v1/reports/bulletin?year=&month= (office, leader): the 通报 of a month as the console shows it,
 * built by the same pure function as the monthly email (shared/domain/bulletin.ts, bulletinVars) over
 * the same proposals (the reported year's, and earlier years' that a unit still owes something on).
 * Each figure says what it counts: open, follow-up and overdue items are the current state (as of now,
 * `asOf`); the month's replies are those signed in the month; the year to date is the reported year's
 * lead proposals (as in the email, which carries the figures of its sending morning).
 * Without a month: the month just ended (the one the email reports on), or December of a past year.
 */
import * as z from '#shared/zod.ts';
import { bulletinVars, periodRange } from '#domain/bulletin.ts';
import { openObligations } from '#domain/obligations.ts';
import type { Proposal } from '#domain/proposal.ts';
import { allOfYear } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';

export const bulletinQuery = z.lazy(() =>
  z.strictObject({
    year: z.optional(
      z
        .pipe(z.coerce.number({ message: '不是有效的年份' }), z.int('不是有效的年份'))
        .check(z.gte(2000, '不是有效的年份'), z.lte(2100, '不是有效的年份')),
    ),
    month: z.optional(
      z
        .pipe(z.coerce.number({ message: '应为 1 到 12 之间的月份' }), z.int('应为 1 到 12 之间的月份'))
        .check(z.gte(1, '应为 1 到 12 之间的月份'), z.lte(12, '应为 1 到 12 之间的月份')),
    ),
  }),
);

const rate = () => z.nullable(z.number());
export const bulletinView = z.lazy(() =>
  z.strictObject({
    year: z.int(),
    month: z.int(),
    /** The period's label, e.g. 2026年11月. */
    period: z.string(),
    /** When the figures were taken (ISO 8601). */
    asOf: z.string(),
    /** Per unit, most overdue first, then the lowest 按时办复率. */
    rows: z.array(
      z.strictObject({
        unit: z.string(),
        unitName: z.string(),
        /** Now (asOf): proposals not closed on which the unit owes something (在办). */
        open: z.int(),
        /** Now: closed proposals whose follow-up (跟踪落实) the unit owes: answered, not 未办结. */
        followUp: z.int(),
        /** Now: of open and followUp, past a deadline. */
        overdue: z.int(),
        /** The month (本期): the unit's replies that left it (签发) in the month, and of those on time. */
        periodAnswered: z.int(),
        periodOnTime: z.int(),
        /** The year to date (本年累计): its lead proposals, answered, 办复率 and 按时办复率 (fractions 0..1; null: none yet). */
        assigned: z.int(),
        answered: z.int(),
        replyRate: rate(),
        onTimeReplyRate: rate(),
      }),
    ),
    /** 表扬: the best units (no overdue item, the highest 按时办复率), at most three. */
    best: z.array(z.string()),
    /** 批评: the units with an overdue item. */
    criticized: z.array(z.string()),
  }),
);
export type BulletinView = z.output<typeof bulletinView>;

type Deps = Pick<AppState, 'index' | 'clock' | 'calendar' | 'config'>;

/** The reported year's proposals, and those of earlier years a unit still owes something on (as the sweep's bulletin). */
async function bulletinProposals(s: Deps, year: number): Promise<Proposal[]> {
  const out = await allOfYear(s.index, year);
  for (let y = year - 1; y >= 2000; y--) {
    const all = await allOfYear(s.index, y);
    if (!all.length) break;
    out.push(...all.filter((p) => openObligations(p).some((o) => o.unit)));
  }
  return out;
}

export async function bulletinReport(s: Deps, q: { year?: number | undefined; month?: number | undefined }): Promise<BulletinView> {
  const now = s.clock.now();
  const today = s.calendar.localDate(now);
  const [thisYear, thisMonth] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  // The month just ended: the one the monthly email reports on.
  const ended = thisMonth === 1 ? { year: thisYear - 1, month: 12 } : { year: thisYear, month: thisMonth - 1 };
  const year = q.year ?? ended.year;
  const month = q.month ?? (year === ended.year ? ended.month : year < ended.year ? 12 : thisMonth);
  const period = `${year}年${month}月`;
  const range = periodRange('monthly', `${year}-${String(month).padStart(2, '0')}-01`, s.config.timeZone);
  const vars = bulletinVars({ label: period, year, ...range }, await bulletinProposals(s, year), now, s.config.units);
  return { year, month, period, asOf: now.toISOString(), rows: vars.rows, best: vars.best, criticized: vars.criticized };
}
