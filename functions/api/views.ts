/**
 * What the API shows of a proposal: the stored state plus derived deadlines status (traffic light),
 * as the caller may see it. Only the office and the leaders see the similar proposals (other people's
 * proposals, for 并案). A proposer sees only the replies the office approved (not drafts under
 * review or returned ones with the office's reason) and only their own rating. Each view lists the
 * open obligations with their lights, and the actions the caller may take now (shared/domain/actions.ts).
 */
import type { Proposal } from '#domain/proposal.ts';
import type { Identity } from '#domain/access.ts';
import { obligationLight, openObligations, trafficLight } from '#domain/obligations.ts';
import { availableActions } from '#domain/actions.ts';
import type { Ctx } from '#domain/workflow.ts';
import { MAX_REHANDLES } from '#domain/workflow.ts';
import type { AppState } from '#app/state.ts';
import type { ProposalView } from './schemas.ts';

export type ViewState = Pick<AppState, 'clock' | 'schedule' | 'config'>;

/** The context in which the offered actions are tried (a dry run: deadlines are not computed). */
function dryRun(s: ViewState, who: Identity): Ctx {
  const at = s.clock.now().toISOString();
  return {
    at,
    actor: { role: who.role, sub: who.sub },
    due: () => at,
    replyWaitsForCoOpinions: s.config.replyWaitsForCoOpinions,
    maxRehandles: MAX_REHANDLES,
  };
}

export function toView(p: Proposal, s: ViewState, who: Identity): ProposalView {
  const staff = who.role === 'office' || who.role === 'leader';
  const member = who.role === 'member';
  const now = s.clock.now();
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
    trafficLight: trafficLight(p, now, s.schedule),
    obligations: openObligations(p).map((o) => ({ ...o, trafficLight: obligationLight(o, p.key, now, s.schedule) })),
    actions: availableActions(p, who, dryRun(s, who)),
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
