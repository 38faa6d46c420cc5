/**
 * Reports (统计报表) for the office and the leaders.
 * - reportSummary: the year's proposals (byYear index, all pages) -> statistics (shared/domain/statistics.ts)
 *   with the city's reply classes, assessment weights and calendar, and the 界别 of first proposers
 *   recorded before proposals kept one (from the directory); unit names beside the unit ids.
 * - annualReport: the same plus every registered proposal's events (for reminder and escalation
 *   counts) -> the annual report as Markdown or HTML (shared/render/annual-report.ts).
 * The year defaults to the current year in the city's time zone.
 */
import { unitNames } from '#domain/city-config.ts';
import { canSee, type Identity } from '#domain/access.ts';
import * as z from '#shared/zod.ts';
import type { DomainEvent } from '#events/domain-events.ts';
import { computeStatistics, isRegistered, type Statistics, type StatisticsOptions } from '#domain/statistics.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { ReportCity } from '#domain/annual-report.ts';
import { renderAnnualReport } from '#render/annual-report.ts';
import { allOfYear } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';

const year = () =>
  z.optional(
    z
      .pipe(z.coerce.number({ message: '不是有效的年份' }), z.int('不是有效的年份'))
      .check(z.gte(2000, '不是有效的年份'), z.lte(2100, '不是有效的年份')),
  );
export const summaryQuery = z.lazy(() => z.strictObject({ year: year() }));
export const annualQuery = z.lazy(() => z.strictObject({ year: year(), format: z._default(z.enum(['md', 'html']), 'html') }));

const EVENT_READS_IN_PARALLEL = 8;

type Deps = Pick<AppState, 'index' | 'clock' | 'calendar' | 'config' | 'members'>;

export type Summary = Statistics & {
  byUnit: (Statistics['byUnit'][number] & { unitName: string })[];
  assessment: (Statistics['assessment'][number] & { unitName: string })[];
};

function reportCity(s: Pick<AppState, 'config'>): ReportCity {
  return {
    name: s.config.name,
    timeZone: s.config.timeZone,
    unitName: unitNames(s.config),
    classes: s.config.replies.classes,
    weights: s.config.assessment.weights,
  };
}

/** The city's settings of the measures, and the 界别 of first proposers who have none recorded on the proposal. */
async function statisticsOptions(s: Deps, proposals: readonly Proposal[]): Promise<StatisticsOptions> {
  const missing = [...new Set(proposals.flatMap((p) => (p.proposers[0] && !p.proposers[0].sector ? [p.proposers[0].memberId] : [])))];
  const members = await s.members.getMany(missing);
  return {
    classes: s.config.replies.classes,
    weights: s.config.assessment.weights,
    calendar: s.calendar,
    sectors: new Map([...members].map(([id, m]) => [id, m.sector])),
  };
}

const yearOr = (s: Deps, y: number | undefined) => y ?? Number(s.calendar.localDate(s.clock.now()).slice(0, 4));

/** `who`: the caller; a leader in charge of some units gets the figures of the proposals they see. */
export async function reportSummary(s: Deps, q: { year?: number | undefined }, who?: Identity): Promise<Summary> {
  const y = yearOr(s, q.year);
  const all = await allOfYear(s.index, y);
  const seen = who ? all.filter((p) => canSee(who, p)) : all;
  const stats = computeStatistics(y, seen, s.clock.now(), await statisticsOptions(s, seen));
  const name = unitNames(s.config);
  return {
    ...stats,
    byUnit: stats.byUnit.map((r) => ({ ...r, unitName: name(r.unit) })),
    assessment: stats.assessment.map((r) => ({ ...r, unitName: name(r.unit) })),
  };
}

export async function annualReport(
  s: Deps & Pick<AppState, 'proposals'>,
  q: { year?: number | undefined; format: 'md' | 'html' },
): Promise<string> {
  const y = yearOr(s, q.year);
  const proposals = await allOfYear(s.index, y);
  const events = new Map<string, DomainEvent[]>();
  const queue = proposals.filter(isRegistered).map((p) => p.id);
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) events.set(id, await s.proposals.events(id));
  };
  await Promise.all(Array.from({ length: EVENT_READS_IN_PARALLEL }, worker));
  const stats = computeStatistics(y, proposals, s.clock.now(), { ...(await statisticsOptions(s, proposals)), events });
  return renderAnnualReport(stats, proposals, reportCity(s), q.format);
}
