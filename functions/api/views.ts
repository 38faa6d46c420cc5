/**
 * What the API shows of a proposal: the stored state plus derived deadlines status (traffic light),
 * as the caller may see it: the full view, projected for the caller's role (projections.ts, one
 * projection per role; docs/access.md). Each view lists the open obligations with their lights, and
 * the actions the caller may take now (shared/domain/actions.ts).
 */
import type { Proposal } from '#domain/proposal.ts';
import type { Identity } from '#domain/access.ts';
import { obligationLight, openObligations, trafficLight } from '#domain/obligations.ts';
import { availableActions } from '#domain/actions.ts';
import { reviewerOf } from '#domain/key-proposals.ts';
import type { Ctx } from '#domain/workflow.ts';
import type { AppState } from '#app/state.ts';
import type { ProposalView } from './schemas.ts';
import { project } from './projections.ts';

export type ViewState = Pick<AppState, 'clock' | 'schedule' | 'config'>;

/** The context in which the offered actions are tried (a dry run: deadlines are not computed). */
function dryRun(s: ViewState, who: Identity): Ctx {
  const at = s.clock.now().toISOString();
  return {
    at,
    actor: { role: who.role, sub: who.sub },
    due: () => at,
    replyWaitsForCoOpinions: s.config.replyWaitsForCoOpinions,
    maxRehandles: s.config.policy.maxRehandles,
  };
}

export function toView(p: Proposal, s: ViewState, who: Identity): ProposalView {
  const now = s.clock.now();
  const full: ProposalView = {
    id: p.id,
    number: p.number,
    year: p.year,
    status: p.status,
    title: p.title,
    body: p.body,
    ...(p.category ? { category: p.category } : {}),
    key: p.key,
    ...(p.leader ? { leader: p.leader } : {}),
    instructions: p.instructions,
    ...(p.committeeReturn ? { committeeReturn: p.committeeReturn } : {}),
    proposers: p.proposers,
    lead: p.lead ?? null,
    leads: p.leads,
    co: p.co,
    units: p.units,
    matchedKeywords: p.matches,
    similar: p.similar,
    deadlines: p.deadlines,
    trafficLight: trafficLight(p, now, s.schedule),
    obligations: openObligations(p).map((o) => ({ ...o, trafficLight: obligationLight(o, p.key, now, s.schedule) })),
    actions: availableActions(p, who, dryRun(s, who), { reviewer: reviewerOf(s.config) }),
    calendarWarnings: p.calendarWarnings,
    contacts: p.contacts,
    replies: p.replies,
    feedback: p.feedback,
    ...(p.followUp ? { followUp: p.followUp } : {}),
    partFollowUps: p.partFollowUps,
    ...(p.mergedInto ? { mergedInto: p.mergedInto } : {}),
    mergedFrom: p.mergedFrom,
    ...(p.rejectReason ? { rejectReason: p.rejectReason } : {}),
    supervisions: p.supervisions,
    extensionRequests: p.extensionRequests,
    ...(p.withdrawal ? { withdrawal: p.withdrawal } : {}),
    escalationLevel: p.escalationLevel,
    version: p.version,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    ...(p.closedAt ? { closedAt: p.closedAt } : {}),
  };
  return project(full, who);
}
