/** What the API shows of a proposal: the stored state plus derived deadlines status (traffic light). */
import type { Proposal } from '#domain/proposal.ts';
import { trafficLight } from '#domain/obligations.ts';
import type { AppState } from '#app/state.ts';
import type { ProposalView } from './schemas.ts';

export function toView(p: Proposal, s: Pick<AppState, 'clock' | 'schedule'>): ProposalView {
  return {
    id: p.id,
    number: p.number,
    year: p.year,
    status: p.status,
    title: p.title,
    body: p.body,
    ...(p.category ? { category: p.category } : {}),
    key: p.key,
    proposers: p.proposers,
    lead: p.lead ?? null,
    co: p.co,
    units: p.units,
    matchedKeywords: p.matches,
    similar: p.similar,
    deadlines: p.deadlines,
    trafficLight: trafficLight(p, s.clock.now(), s.schedule),
    calendarWarnings: p.calendarWarnings,
    contacts: p.contacts,
    replies: p.replies,
    feedback: p.feedback,
    ...(p.followUp ? { followUp: p.followUp } : {}),
    ...(p.mergedInto ? { mergedInto: p.mergedInto } : {}),
    mergedFrom: p.mergedFrom,
    ...(p.rejectReason ? { rejectReason: p.rejectReason } : {}),
    escalationLevel: p.escalationLevel,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ...(p.closedAt ? { closedAt: p.closedAt } : {}),
  };
}
