/**
 * Reports (统计报表) for the office and the leaders.
 * - reportSummary: the year's proposals (byYear index, all pages) -> statistics (shared/domain/statistics.ts),
 *   with unit names beside the unit ids.
 * - annualReport: the same plus every registered proposal's events (for reminder and escalation
 *   counts) -> the annual report as Markdown or HTML (shared/render/annual-report.ts).
 * The year defaults to the current year in the city's time zone.
 */
import { unitNames } from '#domain/city-config.ts';
import { canSee, type Identity } from '#domain/access.ts';
import * as z from '#shared/zod.ts';
import type { DomainEvent } from '#events/domain-events.ts';
import { computeStatistics, isRegistered, type Statistics } from '#domain/statistics.ts';
import type { ReportCity } from '#domain/annual-report.ts';
import { renderAnnualReport } from '#render/annual-report.ts';
import { allOfYear } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';

const year = () =>
  z.optional(
    z.pipe(z.coerce.number({ message: 'not a year' }), z.int('not a year')).check(z.gte(2000, 'not a year'), z.lte(2100, 'not a year')),
  );
export const summaryQuery = z.lazy(() => z.strictObject({ year: year() }));
export const annualQuery = z.lazy(() => z.strictObject({ year: year(), format: z._default(z.enum(['md', 'html']), 'html') }));

const EVENT_READS_IN_PARALLEL = 8;

type Deps = Pick<AppState, 'index' | 'clock' | 'calendar' | 'config'>;

export type Summary = Statistics & { byUnit: (Statistics['byUnit'][number] & { unitName: string })[] };

function reportCity(s: Pick<AppState, 'config'>): ReportCity {
  return { name: s.config.name, timeZone: s.config.timeZone, unitName: unitNames(s.config) };
}

const yearOr = (s: Deps, y: number | undefined) => y ?? Number(s.calendar.localDate(s.clock.now()).slice(0, 4));

/** `who`: the caller; a leader in charge of some units gets the figures of the proposals they see. */
export async function reportSummary(s: Deps, q: { year?: number | undefined }, who?: Identity): Promise<Summary> {
  const y = yearOr(s, q.year);
  const all = await allOfYear(s.index, y);
  const stats = computeStatistics(y, who ? all.filter((p) => canSee(who, p)) : all, s.clock.now());
  const city = reportCity(s);
  return { ...stats, byUnit: stats.byUnit.map((r) => ({ ...r, unitName: city.unitName(r.unit) })) };
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
  return renderAnnualReport(computeStatistics(y, proposals, s.clock.now(), events), proposals, reportCity(s), q.format);
}
