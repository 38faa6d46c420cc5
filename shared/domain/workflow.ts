/**
 * The handling workflow (办理流程) as pure decisions: (proposal, command, context) -> the next state
 * and the events that record it. No I/O. An empty event list means "already so": nothing to write
 * (a repeated request changes nothing). Illegal steps throw IllegalTransition or WorkflowConflict; a
 * unit taking a step of the other role (a lead's opinion, a co-unit's reply) throws NotThisUnitsPart.
 */
import type { Actor, ContactMode, NewEvent, ReplyClass, Satisfaction } from '#events/domain-events.ts';
import type { AssignmentResult } from '#domain/matcher.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { transition, type Proposal, type Status, type UnitState } from '#domain/proposal.ts';

/** Deadline obligations named in the city policy. */
export type Obligation =
  | 'acknowledge'
  | 'objection'
  | 'objectionDecision'
  | 'contact'
  | 'coOpinion'
  | 'reply'
  | 'feedback'
  | 'rehandle'
  | 'followUp'
  | 'extensionDecision'
  /** A unit acknowledges a leader's 批示 on a key proposal. */
  | 'instruction';

/**
 * How many times a proposal is re-handled (重新办理) by default (a 不满意, or the office's order); a
 * 不满意 on the last reply closes it. A city sets its own in `policy.maxRehandles`.
 */
export const MAX_REHANDLES = 1;

export interface Ctx {
  /** Now, ISO. */
  at: string;
  actor: Actor;
  /** The deadline (ISO instant) of an obligation that starts now. */
  due(obligation: Obligation): string;
  replyWaitsForCoOpinions: boolean;
  /** 重新办理 at most this many times; after that a 不满意 is recorded and the proposal still closes. */
  maxRehandles: number;
}

export interface Decision {
  next: Proposal;
  events: NewEvent[];
}

export class WorkflowConflict extends Error {
  constructor(
    message: string,
    readonly status: Status,
  ) {
    super(message);
    this.name = 'WorkflowConflict';
  }
}

/** The unit is assigned, but the step belongs to the other role (会签 to co-units, 答复 and 跟踪 to the lead): 403, not a conflict. */
export class NotThisUnitsPart extends Error {
  constructor(
    message: string,
    readonly unit: string,
    readonly role: 'lead' | 'co',
  ) {
    super(message);
    this.name = 'NotThisUnitsPart';
  }
}

const unchanged = (p: Proposal): Decision => ({ next: p, events: [] });
const conflict = (p: Proposal, message: string) => new WorkflowConflict(message, p.status);

function requireStatus(p: Proposal, allowed: readonly Status[], what: string): void {
  if (!allowed.includes(p.status)) throw conflict(p, `${what} is not possible while the proposal is ${p.status}`);
}

function unitOf(p: Proposal, unit: string): UnitState {
  const u = p.units[unit];
  if (!u) throw conflict(p, `unit ${unit} is not assigned to this proposal`);
  return u;
}

/** The unit's state, when it has this role here; otherwise the step is not this unit's part. */
function unitAs(p: Proposal, unit: string, role: 'lead' | 'co', message: string): UnitState {
  const u = unitOf(p, unit);
  if (u.role !== role) throw new NotThisUnitsPart(message, unit, u.role);
  return u;
}

function unitsFor(lead: string, co: readonly string[], at: string, before: Proposal['units'] = {}): Proposal['units'] {
  const out: Proposal['units'] = {};
  const roles: [string, 'lead' | 'co'][] = [[lead, 'lead'], ...co.map((c): [string, 'co'] => [c, 'co'])];
  for (const [id, role] of roles) {
    const prev = before[id];
    out[id] = prev && prev.role === role ? prev : { role, assignedAt: at };
  }
  return out;
}

const startDeadlines = (ctx: Ctx) => ({
  acknowledge: ctx.due('acknowledge'),
  objection: ctx.due('objection'),
  contact: ctx.due('contact'),
  coOpinion: ctx.due('coOpinion'),
  reply: ctx.due('reply'),
});

/** 立案 then 交办 by keyword (or triage when no unit scores enough). */
export function register(p: Proposal, ctx: Ctx, match: AssignmentResult, mode: 'auto' | 'manual' | 'committee'): Decision {
  if (p.status !== 'submitted') return unchanged(p);
  const matches = match.scores.map((m) => ({ unit: m.unit, score: m.score, keywords: m.keywords }));
  const registered = { ...transition(p, 'registered', ctx.at), matches };
  const events: NewEvent[] = [{ type: 'ProposalRegistered', at: ctx.at, actor: ctx.actor, data: { mode } }];
  if (!match.lead) {
    const reason = matches.length ? `最高得分 ${matches[0]?.score ?? 0} 低于自动交办阈值` : '未匹配到任何承办单位关键词';
    events.push({ type: 'ProposalTriaged', at: ctx.at, actor: ctx.actor, data: { matches, reason } });
    return { next: transition(registered, 'triage', ctx.at), events };
  }
  const deadlines = startDeadlines(ctx);
  const next = {
    ...transition(registered, 'assigned', ctx.at),
    lead: match.lead,
    co: match.co,
    units: unitsFor(match.lead, match.co, ctx.at),
    deadlines,
  };
  events.push({
    type: 'ProposalAssigned',
    at: ctx.at,
    actor: ctx.actor,
    data: { lead: match.lead, co: match.co, matches, by: 'keywords', deadlines },
  });
  return { next, events };
}

/** 不予立案 */
export function reject(p: Proposal, ctx: Ctx, reason: string): Decision {
  requireStatus(p, ['submitted', 'triage'], 'rejecting');
  return {
    next: { ...transition(p, 'rejected', ctx.at), rejectReason: reason },
    events: [{ type: 'ProposalRejected', at: ctx.at, actor: ctx.actor, data: { reason } }],
  };
}

/** 并案: `p` is merged into `main` (which must still be live). */
export function merge(p: Proposal, main: Proposal, ctx: Ctx, reason?: string): Decision {
  // With review auto a duplicate is usually assigned already; units that lose it are told.
  requireStatus(p, ['submitted', 'triage', 'registered', 'assigned', 'in_progress'], 'merging');
  if (p.id === main.id) throw conflict(p, 'a proposal cannot be merged into itself');
  // A main proposal that replied already will send no reply to the proposers it takes.
  if (['rejected', 'merged', 'replied', 'closed'].includes(main.status))
    throw conflict(p, `the main proposal ${main.number} is ${main.status}`);
  return {
    next: { ...transition(p, 'merged', ctx.at), mergedInto: main.id },
    events: [
      {
        type: 'ProposalMerged',
        at: ctx.at,
        actor: ctx.actor,
        data: { into: main.id, intoNumber: main.number, ...(reason ? { reason } : {}) },
      },
    ],
  };
}

/** The main proposal takes the proposers of one merged into it (once). */
export function absorb(main: Proposal, merged: Proposal, ctx: Ctx): Decision {
  if (main.mergedFrom.includes(merged.id)) return unchanged(main);
  const known = new Set(main.proposers.map((x) => x.memberId));
  const added = merged.proposers.filter((x) => !known.has(x.memberId));
  return {
    next: { ...main, proposers: [...main.proposers, ...added], mergedFrom: [...main.mergedFrom, merged.id], updatedAt: ctx.at },
    events: [
      { type: 'ProposalAbsorbed', at: ctx.at, actor: ctx.actor, data: { from: merged.id, fromNumber: merged.number, proposers: added } },
    ],
  };
}

/**
 * 交办 by the office, or 调整 (change of units) with a reason. Either way it decides the pending
 * objections of the units it keeps in their role (维持原交办); the same units with none pending change nothing.
 */
export function assign(p: Proposal, ctx: Ctx, lead: string, co: readonly string[], reason?: string): Decision {
  requireStatus(p, ['registered', 'triage', 'assigned', 'in_progress'], 'assigning');
  const coUnits = [...new Set(co)].filter((c) => c !== lead);
  if (p.status === 'registered' || p.status === 'triage') return firstAssignment(p, ctx, lead, coUnits, reason);
  const changed = p.lead !== lead || !sameSet(p.co, coUnits);
  return declineObjections(changed ? changeUnits(p, ctx, lead, coUnits, reason) : unchanged(p), ctx, reason);
}

function firstAssignment(p: Proposal, ctx: Ctx, lead: string, co: string[], reason?: string): Decision {
  const deadlines = startDeadlines(ctx);
  const next: Proposal = { ...transition(p, 'assigned', ctx.at), lead, co, units: unitsFor(lead, co, ctx.at), deadlines };
  return {
    next,
    events: [
      {
        type: 'ProposalAssigned',
        at: ctx.at,
        actor: ctx.actor,
        data: { lead, co, matches: p.matches, by: 'office', deadlines, ...(reason ? { reason } : {}) },
      },
    ],
  };
}

function changeUnits(p: Proposal, ctx: Ctx, lead: string, co: string[], reason?: string): Decision {
  const units = unitsFor(lead, co, ctx.at, p.units);
  // A new lead starts its own 面商 and 答复 clocks: it is not late for what the previous lead let lapse.
  const newLead: Proposal['deadlines'] = p.lead !== lead ? { contact: ctx.due('contact'), reply: ctx.due('reply') } : {};
  const deadlines = {
    ...p.deadlines,
    acknowledge: ctx.due('acknowledge'),
    objection: ctx.due('objection'),
    ...newLead,
    coOpinion: ctx.due('coOpinion'),
  };
  const status: Status = p.lead !== lead ? 'assigned' : p.status;
  const next: Proposal = { ...p, status, lead, co, units, deadlines, reassignments: p.reassignments + 1, updatedAt: ctx.at };
  const previous = { ...(p.lead ? { lead: p.lead } : {}), co: p.co };
  return {
    next,
    events: [
      { type: 'AssignmentChanged', at: ctx.at, actor: ctx.actor, data: { lead, co, previous, deadlines, ...(reason ? { reason } : {}) } },
    ],
  };
}

/** 维持原交办: each kept unit's pending objection is decided; a unit that has not signed gets a fresh 签收 deadline. */
function declineObjections(d: Decision, ctx: Ctx, reason?: string): Decision {
  const units = { ...d.next.units };
  const events: NewEvent[] = [];
  for (const [unit, u] of Object.entries(units)) {
    if (!u.objection || u.objection.decidedAt) continue; // no objection pending
    const deadline = u.acknowledgedAt ? undefined : ctx.due('acknowledge');
    units[unit] = { ...u, objection: { ...u.objection, decidedAt: ctx.at }, ...(deadline ? { acknowledgeBy: deadline } : {}) };
    events.push({
      type: 'ObjectionDeclined',
      at: ctx.at,
      actor: ctx.actor,
      data: { unit, ...(reason ? { reason } : {}), ...(deadline ? { deadline } : {}) },
    });
  }
  return events.length ? { next: { ...d.next, units, updatedAt: ctx.at }, events: [...d.events, ...events] } : d;
}

/** 签收 */
export function acknowledge(p: Proposal, ctx: Ctx, unit: string): Decision {
  requireStatus(p, ['assigned', 'in_progress', 'rehandling'], 'acknowledging');
  const u = unitOf(p, unit);
  if (u.acknowledgedAt) return unchanged(p);
  const units = { ...p.units, [unit]: { ...u, acknowledgedAt: ctx.at } };
  const status: Status = u.role === 'lead' && p.status === 'assigned' ? 'in_progress' : p.status;
  return {
    next: { ...p, units, status, updatedAt: ctx.at },
    events: [{ type: 'UnitAcknowledged', at: ctx.at, actor: ctx.actor, data: { unit } }],
  };
}

/** 申请调整: within the objection window, before the unit has replied; again after the office decided the last one. */
export function object(p: Proposal, ctx: Ctx, unit: string, reason: string): Decision {
  requireStatus(p, ['assigned', 'in_progress'], 'objecting');
  const u = unitOf(p, unit);
  const window = p.deadlines.objection;
  if (window && ctx.at > window) throw conflict(p, `the objection window closed at ${window}`);
  if (u.objection && !u.objection.decidedAt && u.objection.reason === reason) return unchanged(p);
  const units = { ...p.units, [unit]: { ...u, objection: { reason, at: ctx.at, decideBy: ctx.due('objectionDecision') } } };
  return {
    next: { ...p, units, updatedAt: ctx.at },
    events: [{ type: 'UnitObjected', at: ctx.at, actor: ctx.actor, data: { unit, reason } }],
  };
}

/** 会签: a co-unit's opinion for the lead. */
export function giveOpinion(p: Proposal, ctx: Ctx, unit: string, text: string): Decision {
  requireStatus(p, ['assigned', 'in_progress', 'rehandling'], 'giving an opinion');
  const u = unitAs(p, unit, 'co', `unit ${unit} is the lead unit; opinions come from co-units`);
  if (u.opinion?.text === text) return unchanged(p);
  const units = { ...p.units, [unit]: { ...u, opinion: { text, at: ctx.at }, acknowledgedAt: u.acknowledgedAt ?? ctx.at } };
  return {
    next: { ...p, units, updatedAt: ctx.at },
    events: [{ type: 'CoOpinionGiven', at: ctx.at, actor: ctx.actor, data: { unit, text } }],
  };
}

/** 面商 etc.: a contact with the proposers. */
export function recordContact(p: Proposal, ctx: Ctx, c: { unit: string; mode: ContactMode; at: string; note: string }): Decision {
  // Until the proposal is closed, and after that while its follow-up (跟踪落实) is open: 办后回访.
  requireStatus(p, ['assigned', 'in_progress', 'reply_review', 'replied', 'rehandling', 'closed'], 'recording a contact');
  if (p.status === 'closed' && !p.followUp?.open) throw conflict(p, 'the proposal is closed and has no open follow-up');
  unitOf(p, c.unit);
  if (p.contacts.some((x) => x.unit === c.unit && x.mode === c.mode && x.at === c.at && x.note === c.note)) return unchanged(p);
  const contacts = [...p.contacts, { ...c, recordedAt: ctx.at }];
  return {
    next: { ...p, contacts, updatedAt: ctx.at },
    events: [
      { type: 'ContactRecorded', at: ctx.at, actor: ctx.actor, data: { unit: c.unit, mode: c.mode, contactAt: c.at, note: c.note } },
    ],
  };
}

/** 答复 drafted by the lead unit; goes to the office for review. */
export function submitReply(p: Proposal, ctx: Ctx, unit: string, replyClass: ReplyClass, text: string): Decision {
  requireStatus(p, ['in_progress', 'rehandling'], 'replying');
  unitAs(p, unit, 'lead', `only the lead unit replies; ${unit} is a co-unit`);
  const round = p.status === 'rehandling' ? 2 : 1;
  if (round === 1 && ctx.replyWaitsForCoOpinions) {
    const waiting = p.co.filter((c) => !p.units[c]?.opinion);
    const until = p.deadlines.coOpinion;
    if (waiting.length && (!until || ctx.at <= until))
      throw conflict(p, `waiting for co-unit opinions (会签) from ${waiting.join(', ')} until ${until ?? 'their deadline'}`);
  }
  const n = p.replies.length + 1;
  const replies = [...p.replies, { n, round, unit, replyClass, text, status: 'review' as const, submittedAt: ctx.at }];
  return {
    next: { ...transition(p, 'reply_review', ctx.at), replies },
    events: [{ type: 'ReplySubmitted', at: ctx.at, actor: ctx.actor, data: { n, unit, replyClass, text, round } }],
  };
}

function replyUnderReview(p: Proposal, n: number) {
  requireStatus(p, ['reply_review'], 'reviewing a reply');
  const r = p.replies.find((x) => x.n === n);
  if (!r || r.status !== 'review') throw conflict(p, `reply ${n} is not waiting for review`);
  return r;
}

/** 审核通过: the reply goes to the proposers, who rate it by the feedback deadline. */
export function approveReply(p: Proposal, ctx: Ctx, n: number): Decision {
  replyUnderReview(p, n);
  const feedbackDeadline = ctx.due('feedback');
  const replies = p.replies.map((r) => (r.n === n ? { ...r, status: 'approved' as const, decidedAt: ctx.at } : r));
  return {
    next: { ...transition(p, 'replied', ctx.at), replies, deadlines: { ...p.deadlines, feedback: feedbackDeadline } },
    events: [{ type: 'ReplyApproved', at: ctx.at, actor: ctx.actor, data: { n, feedbackDeadline } }],
  };
}

/** 退回: back to the unit with the reason. */
export function returnReply(p: Proposal, ctx: Ctx, n: number, reason: string): Decision {
  const r = replyUnderReview(p, n);
  const replies = p.replies.map((x) => (x.n === n ? { ...x, status: 'returned' as const, decidedAt: ctx.at, returnReason: reason } : x));
  const status: Status = r.round === 2 ? 'rehandling' : 'in_progress';
  return {
    next: { ...p, status, replies, updatedAt: ctx.at },
    events: [{ type: 'ReplyReturned', at: ctx.at, actor: ctx.actor, data: { n, reason } }],
  };
}

export function latestApproved(p: Proposal) {
  return [...p.replies].reverse().find((r) => r.status === 'approved');
}

type Rating = { n: number; memberId: string; satisfaction: Satisfaction; comment?: string };

/** Statuses after `replied` in which the latest approved reply can still be rated (late). */
const movedOn: readonly Status[] = ['rehandling', 'reply_review', 'closed'];

/**
 * 满意度测评 by one proposer. A 不满意 starts 重新办理; everyone rated closes the proposal. Once the
 * proposal has moved on from that reply (re-handling, the next reply's review, closed), a proposer who
 * has not rated it yet still may (a late rating): recorded, and nothing else changes.
 */
export function giveFeedback(p: Proposal, ctx: Ctx, f: Rating): Decision {
  requireStatus(p, ['replied', ...movedOn], 'feedback');
  checkRating(p, f);
  const feedback = [...p.feedback, { ...f, at: ctx.at }];
  const events: NewEvent[] = [
    {
      type: 'FeedbackGiven',
      at: ctx.at,
      actor: ctx.actor,
      data: { n: f.n, memberId: f.memberId, satisfaction: f.satisfaction, ...(f.comment ? { comment: f.comment } : {}) },
    },
  ];
  const rated = { ...p, feedback, updatedAt: ctx.at };
  if (p.status !== 'replied') return { next: rated, events };
  if (f.satisfaction === 'dissatisfied' && p.rehandles < ctx.maxRehandles) {
    const started = startRehandling(rated, ctx, f.n, f.comment ? { comment: f.comment } : {});
    return { next: started.next, events: [...events, ...started.events] };
  }
  // Everyone who counts: a co-proposer who has not confirmed the 联名 is not asked to rate.
  const everyone = confirmedProposers(p).every((x) => feedback.some((y) => y.n === f.n && y.memberId === x.memberId));
  if (!everyone) return { next: rated, events };
  const closed = close(rated, ctx, 'all_rated');
  return { next: closed.next, events: [...events, ...closed.events] };
}

/**
 * 重新办理 of reply `n`, after a proposer's 不满意 or by the office's order (workflow of office-powers.ts):
 * the lead unit owes a new reply by the `rehandle` deadline. The caller checks the cap (ctx.maxRehandles).
 */
export function startRehandling(
  p: Proposal,
  ctx: Ctx,
  n: number,
  why: { comment?: string } | { orderedBy: 'office'; reason: string },
): Decision {
  const deadline = ctx.due('rehandle');
  return {
    next: { ...transition(p, 'rehandling', ctx.at), rehandles: p.rehandles + 1, deadlines: { ...p.deadlines, rehandle: deadline } },
    events: [{ type: 'RehandlingStarted', at: ctx.at, actor: ctx.actor, data: { n, deadline, ...why } }],
  };
}

/** The reply is the latest approved one, the member a proposer who has not rated it. */
function checkRating(p: Proposal, f: Rating): void {
  const reply = latestApproved(p);
  if (!reply || reply.n !== f.n) throw conflict(p, `reply ${f.n} is not the reply being rated`);
  if (!confirmedProposers(p).some((x) => x.memberId === f.memberId))
    throw conflict(p, `member ${f.memberId} is not a proposer (or has not confirmed the 联名 yet)`);
  if (p.feedback.some((x) => x.n === f.n && x.memberId === f.memberId)) throw conflict(p, 'this proposer has already rated this reply');
}

/** The feedback deadline passed (fired by the sweep): close with what was rated. */
export function feedbackDeadlinePassed(p: Proposal, ctx: Ctx): Decision {
  if (p.status !== 'replied') return unchanged(p);
  return close(p, ctx, 'feedback_deadline');
}

function close(p: Proposal, ctx: Ctx, reason: 'all_rated' | 'feedback_deadline'): Decision {
  const cls = latestApproved(p)?.replyClass;
  const followUp = cls === 'B' || cls === 'C';
  const followUpDeadline = followUp ? ctx.due('followUp') : undefined;
  return {
    next: {
      ...transition(p, 'closed', ctx.at),
      closedAt: ctx.at,
      ...(followUp ? { followUp: { open: true, progress: [] }, deadlines: { ...p.deadlines, followUp: followUpDeadline ?? '' } } : {}),
    },
    events: [
      {
        type: 'ProposalClosed',
        at: ctx.at,
        actor: ctx.actor,
        data: { reason, followUp, ...(followUpDeadline ? { followUpDeadline } : {}) },
      },
    ],
  };
}

/**
 * 跟踪落实 of a B/C reply; `resolved` records the second reply (二次答复) and ends the follow-up.
 * A report that is not final starts the next follow-up period.
 */
export function reportProgress(p: Proposal, ctx: Ctx, unit: string, text: string, resolved: boolean): Decision {
  requireStatus(p, ['closed'], 'reporting progress');
  if (!p.followUp?.open) throw conflict(p, 'this proposal has no open follow-up');
  unitAs(p, unit, 'lead', `only the lead unit reports progress; ${unit} is a co-unit`);
  const followUp = { open: !resolved, progress: [...p.followUp.progress, { text, resolved, at: ctx.at }] };
  // A report that is not final is accepted: the next period starts (its timer re-arms with the new deadline).
  const deadlines = resolved ? p.deadlines : { ...p.deadlines, followUp: ctx.due('followUp') };
  return {
    next: { ...p, followUp, deadlines, updatedAt: ctx.at },
    events: [{ type: 'ProgressReported', at: ctx.at, actor: ctx.actor, data: { text, resolved } }],
  };
}

/**
 * 延期: the office extends the reply deadline to the end of `untilDay`'s working day, no later than
 * `limit` (the policy's replyMax from the assignment).
 */
export function extendReply(p: Proposal, ctx: Ctx, until: string, limit: string, reason?: string): Decision {
  requireStatus(p, ['assigned', 'in_progress'], 'extending the reply deadline');
  if (until > limit) throw conflict(p, `the reply deadline can be extended to ${limit} at the latest (replyMax)`);
  if (p.deadlines.reply && until <= p.deadlines.reply)
    throw conflict(p, `the new deadline must be after the current one (${p.deadlines.reply})`);
  return {
    next: { ...p, deadlines: { ...p.deadlines, reply: until }, updatedAt: ctx.at },
    events: [{ type: 'ReplyDeadlineExtended', at: ctx.at, actor: ctx.actor, data: { until, ...(reason ? { reason } : {}) } }],
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
