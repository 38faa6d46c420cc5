/**
 * GET /v1/reports/bulletin?year=&month= (office, leader): the 通报 of a month as the console shows it,
 * built by the same pure function as the monthly email (shared/domain/bulletin.ts, bulletinVars) over
 * the same proposals (the reported year's, and earlier years' that a unit still owes something on).
 * The figures are as of now (`asOf`): open and overdue items are the current state, the on-time rate is
 * the reported year's (as in the email, which carries the figures of its sending morning).
 * Without a month: the month just ended (the one the email reports on), or December of a past year.
 */
import * as z from '#shared/zod.ts';
import { bulletinVars } from '#domain/bulletin.ts';
import { openObligations } from '#domain/obligations.ts';
import type { Proposal } from '#domain/proposal.ts';
import { allOfYear } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';

export const bulletinQuery = z.lazy(() =>
  z.strictObject({
    year: z.optional(
      z.pipe(z.coerce.number({ message: 'not a year' }), z.int('not a year')).check(z.gte(2000, 'not a year'), z.lte(2100, 'not a year')),
    ),
    month: z.optional(
      z
        .pipe(z.coerce.number({ message: 'not a month (1-12)' }), z.int('not a month (1-12)'))
        .check(z.gte(1, 'not a month (1-12)'), z.lte(12, 'not a month (1-12)')),
    ),
  }),
);

export const bulletinView = z.lazy(() =>
  z.strictObject({
    year: z.int(),
    month: z.int(),
    /** The period's label, e.g. 2026年11月. */
    period: z.string(),
    /** When the figures were taken (ISO 8601). */
    asOf: z.string(),
    /** Per unit, most overdue first, then the lowest on-time rate. */
    rows: z.array(
      z.strictObject({
        unit: z.string(),
        unitName: z.string(),
        /** Proposals on which the unit still owes something. */
        open: z.int(),
        /** Of those, past a deadline. */
        overdue: z.int(),
        /** 按时办结率 of its lead proposals of the year (fraction 0..1; null: none due yet). */
        onTimeRate: z.nullable(z.number()),
      }),
    ),
    /** The best units (no overdue item, the highest on-time rate), at most three. */
    best: z.array(z.string()),
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
  const vars = bulletinVars({ label: period, year }, await bulletinProposals(s, year), now, s.config.units);
  return { year, month, period, asOf: now.toISOString(), rows: vars.rows, best: vars.best };
}
