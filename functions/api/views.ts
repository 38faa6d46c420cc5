/**
 * What the API shows of a proposal: the stored state plus derived deadlines status (traffic light),
 * as the caller may see it. Only the office and the leaders see the similar proposals (other people's
 * proposals, for 并案). A proposer sees only the replies the office approved (not drafts under
 * review or returned ones with the office's reason) and only their own rating.
 */
import type { Proposal } from '#domain/proposal.ts';
import type { Identity } from '#domain/access.ts';
import { trafficLight } from '#domain/obligations.ts';
import type { AppState } from '#app/state.ts';
import type { ProposalView } from './schemas.ts';

export function toView(p: Proposal, s: Pick<AppState, 'clock' | 'schedule'>, who: Identity): ProposalView {
  const staff = who.role === 'office' || who.role === 'leader';
  const member = who.role === 'member';
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
    similar: staff ? p.similar : [],
    deadlines: p.deadlines,
    trafficLight: trafficLight(p, s.clock.now(), s.schedule),
    calendarWarnings: p.calendarWarnings,
    contacts: p.contacts,
    replies: member ? p.replies.filter((r) => r.status === 'approved') : p.replies,
    feedback: member ? p.feedback.filter((f) => f.memberId === who.memberId) : p.feedback,
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
