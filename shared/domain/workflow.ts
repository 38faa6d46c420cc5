/**
 * The handling workflow (办理流程) as pure decisions: (proposal, command, context) -> the next state
 * and the events that record it. No I/O. An empty event list means "already so": nothing to write
 * (a repeated request changes nothing). Illegal steps throw IllegalTransition or WorkflowConflict; a
 * unit taking a step of the other role (a lead's opinion, a co-unit's reply) throws NotThisUnitsPart.
 */
import type { Actor, ContactMode, NewEvent, Satisfaction } from '#events/domain-events.ts';
import type { AssignmentResult } from '#domain/matcher.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { transition, type Proposal, type Reply, type ReplyLetter, type Status, type UnitState } from '#domain/proposal.ts';
import { statusNames } from '#domain/glossary.ts';
import { roomFor } from '#domain/limits.ts';
import {
  followUpOf,
  followUpOpen,
  isSplit,
  leadUnits,
  partAnswer,
  partDeadline,
  partKey,
  partRehandles,
  partRound,
  partState,
  settledStatus,
  withFollowUp,
} from '#domain/parts.ts';

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
  | 'instruction'
  /** The office reviews (审核) a reply that reached it. */
  | 'replyReview'
  /** A co-unit countersigns (会签) the lead's signed reply. */
  | 'countersign';

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
  /** The city's reply steps and classes (city config `replies`); absent: defaultReplyPolicy. */
  replies?: ReplyPolicy;
}

export interface ReplyPolicy {
  /** 签发 by the unit head before the reply leaves the unit. */
  signOff: boolean;
  /** 会签 by the co-units after 签发. */
  countersign: boolean;
  classes: readonly { code: string; followUp: boolean }[];
  /** 跟踪落实 ends after this many progress reports without a final one. */
  followUpMax: number;
}

/** The national default: no 签发 or 会签 step, classes A-D with B followed up. */
export const defaultReplyPolicy: ReplyPolicy = {
  signOff: false,
  countersign: false,
  classes: [
    { code: 'A', followUp: false },
    { code: 'B', followUp: true },
    { code: 'C', followUp: false },
    { code: 'D', followUp: false },
  ],
  followUpMax: 4,
};

export interface Decision {
  next: Proposal;
  events: NewEvent[];
  /** The decision used the counter's next value the command offered (a 文号): the save moves the counter. */
  counted?: boolean;
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
  if (!allowed.includes(p.status)) throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能${what}`);
}

function unitOf(p: Proposal, unit: string): UnitState {
  const u = p.units[unit];
  if (!u) throw conflict(p, `承办单位 ${unit} 未参与办理本提案`);
  return u;
}

/** The unit's state, when it has this role here; otherwise the step is not this unit's part. */
function unitAs(p: Proposal, unit: string, role: 'lead' | 'co', message: string): UnitState {
  const u = unitOf(p, unit);
  if (u.role !== role) throw new NotThisUnitsPart(message, unit, u.role);
  return u;
}

function unitsFor(leads: readonly string[], co: readonly string[], at: string, before: Proposal['units'] = {}): Proposal['units'] {
  const out: Proposal['units'] = {};
  const roles: [string, 'lead' | 'co'][] = [
    ...leads.map((l): [string, 'lead'] => [l, 'lead']),
    ...co.map((c): [string, 'co'] => [c, 'co']),
  ];
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
    units: unitsFor([match.lead], match.co, ctx.at),
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
  requireStatus(p, ['submitted', 'triage'], '不予立案');
  return {
    next: { ...transition(p, 'rejected', ctx.at), rejectReason: reason },
    events: [{ type: 'ProposalRejected', at: ctx.at, actor: ctx.actor, data: { reason } }],
  };
}

/** 并案: `p` is merged into `main` (which must still be live). */
export function merge(p: Proposal, main: Proposal, ctx: Ctx, reason?: string): Decision {
  // With review auto a duplicate is usually assigned already; units that lose it are told.
  requireStatus(p, ['submitted', 'triage', 'registered', 'assigned', 'in_progress'], '并案');
  if (p.id === main.id) throw conflict(p, '提案不能并入自身');
  if (p.replies.some((r) => r.status === 'approved')) throw conflict(p, '已有分办单位的答复发送给提案人，不能并案');
  // A main proposal that replied already will send no reply to the proposers it takes.
  if (['rejected', 'merged', 'replied', 'closed'].includes(main.status))
    throw conflict(p, `主提案 ${main.number} 当前状态为「${statusNames[main.status]}」，不能并入`);
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
 * `leads` (分办): several lead units, each answering its own part; `lead` is the first of them.
 */
export function assign(
  p: Proposal,
  ctx: Ctx,
  lead: string,
  co: readonly string[],
  reason?: string,
  leads: readonly string[] = [],
): Decision {
  requireStatus(p, ['registered', 'triage', 'assigned', 'in_progress'], '交办');
  const all = [...new Set([lead, ...leads])];
  const coUnits = [...new Set(co)].filter((c) => !all.includes(c));
  if (p.status === 'registered' || p.status === 'triage') return firstAssignment(p, ctx, all, coUnits, reason);
  const before = leadUnits(p);
  const changed = p.lead !== lead || !sameSet(p.co, coUnits) || !sameSet(before, all);
  if (changed && before.some((u) => !all.includes(u) && partState(p, u) !== 'open')) throw conflict(p, '已有答复的分办单位不能调出');
  return declineObjections(changed ? changeUnits(p, ctx, all, coUnits, reason) : unchanged(p), ctx, reason);
}

/** 分办 fields of the assignment events: every lead unit, when there are several. */
const splitData = (leads: readonly string[]) => (leads.length > 1 ? { leads: [...leads] } : {});

function firstAssignment(p: Proposal, ctx: Ctx, leads: string[], co: string[], reason?: string): Decision {
  const lead = leads[0] ?? '';
  const deadlines: Proposal['deadlines'] = { ...startDeadlines(ctx) };
  // Each further lead unit (分办) has its own 面商 and 答复 clocks.
  for (const u of leads.slice(1)) Object.assign(deadlines, { [`contact#${u}`]: ctx.due('contact'), [`reply#${u}`]: ctx.due('reply') });
  const next: Proposal = {
    ...transition(p, 'assigned', ctx.at),
    lead,
    leads: leads.length > 1 ? leads : [],
    co,
    units: unitsFor(leads, co, ctx.at),
    deadlines,
  };
  return {
    next,
    events: [
      {
        type: 'ProposalAssigned',
        at: ctx.at,
        actor: ctx.actor,
        data: { lead, co, ...splitData(leads), matches: p.matches, by: 'office', deadlines, ...(reason ? { reason } : {}) },
      },
    ],
  };
}

function changeUnits(p: Proposal, ctx: Ctx, leads: string[], co: string[], reason?: string): Decision {
  const lead = leads[0] ?? '';
  const units = unitsFor(leads, co, ctx.at, p.units);
  const deadlines: Proposal['deadlines'] = {
    ...p.deadlines,
    acknowledge: ctx.due('acknowledge'),
    objection: ctx.due('objection'),
    coOpinion: ctx.due('coOpinion'),
  };
  // Each lead part keeps its 面商 and 答复 clocks (under the key its place now gives it); a new lead
  // starts its own: it is not late for what the previous lead let lapse.
  const wasLead = new Set(leadUnits(p));
  for (const name of ['contact', 'reply']) {
    for (const u of wasLead) delete deadlines[partKey(p, name, u)];
    for (const u of leads)
      deadlines[partKey({ lead }, name, u)] = (wasLead.has(u) && partDeadline(p, name, u)) || ctx.due(name as Obligation);
  }
  // No lead unit stays (a new lead, or all new 分办 units): handling starts again with the 签收.
  const status: Status = [...wasLead].some((u) => leads.includes(u)) ? p.status : 'assigned';
  const next: Proposal = {
    ...p,
    status,
    lead,
    leads: leads.length > 1 ? leads : [],
    co,
    units,
    deadlines,
    reassignments: p.reassignments + 1,
    updatedAt: ctx.at,
  };
  const previous = { ...(p.lead ? { lead: p.lead } : {}), co: p.co, ...splitData(p.leads) };
  return {
    next,
    events: [
      {
        type: 'AssignmentChanged',
        at: ctx.at,
        actor: ctx.actor,
        data: { lead, co, ...splitData(leads), previous, deadlines, ...(reason ? { reason } : {}) },
      },
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
  requireStatus(p, ['assigned', 'in_progress', 'rehandling'], '签收');
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
  requireStatus(p, ['assigned', 'in_progress'], '申请调整');
  const u = unitOf(p, unit);
  const window = p.deadlines.objection;
  if (window && ctx.at > window) throw conflict(p, `申请调整期限已于 ${window} 截止`);
  if (u.objection && !u.objection.decidedAt && u.objection.reason === reason) return unchanged(p);
  const units = { ...p.units, [unit]: { ...u, objection: { reason, at: ctx.at, decideBy: ctx.due('objectionDecision') } } };
  return {
    next: { ...p, units, updatedAt: ctx.at },
    events: [{ type: 'UnitObjected', at: ctx.at, actor: ctx.actor, data: { unit, reason } }],
  };
}

/** 会签: a co-unit's opinion for the lead. */
export function giveOpinion(p: Proposal, ctx: Ctx, unit: string, text: string): Decision {
  requireStatus(p, ['assigned', 'in_progress', 'rehandling'], '提出会签意见');
  const u = unitAs(p, unit, 'co', `${unit} 是主办单位，会签意见由协办单位提出`);
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
  requireStatus(p, ['assigned', 'in_progress', 'reply_review', 'replied', 'rehandling', 'closed'], '记录面商联系');
  if (p.status === 'closed' && !followUpOpen(p)) throw conflict(p, '提案已办结，且没有进行中的跟踪落实');
  unitOf(p, c.unit);
  if (p.contacts.some((x) => x.unit === c.unit && x.mode === c.mode && x.at === c.at && x.note === c.note)) return unchanged(p);
  roomFor(p, 'contacts', c.note);
  const contacts = [...p.contacts, { ...c, recordedAt: ctx.at }];
  return {
    next: { ...p, contacts, updatedAt: ctx.at },
    events: [
      { type: 'ContactRecorded', at: ctx.at, actor: ctx.actor, data: { unit: c.unit, mode: c.mode, contactAt: c.at, note: c.note } },
    ],
  };
}

/** The 答复函's parts the unit writes (联系人, 联系电话, 公开属性); 文号 and 签发人 come at 签发. */
export type LetterInput = Pick<ReplyLetter, 'contactName' | 'contactPhone' | 'disclosure' | 'disclosureReason'>;

export interface ReplyOptions {
  letter?: LetterInput;
  /** Save as a draft (起草: editable, not sent on). */
  draft?: boolean;
  /** 文号 for a reply that leaves the unit now (no 签发 step): allocated by the caller. */
  docNumber?: string;
}

/** The lead unit's reply that has not left it yet (a draft, or waiting for 签发). */
export const replyInUnit = (p: Proposal, unit: string): Reply | undefined =>
  p.replies.find((r) => r.unit === unit && (r.status === 'draft' || r.status === 'signing'));

const replyPolicy = (ctx: Ctx): ReplyPolicy => ctx.replies ?? defaultReplyPolicy;

function checkClass(p: Proposal, ctx: Ctx, code: string): void {
  const { classes } = replyPolicy(ctx);
  if (!classes.some((c) => c.code === code))
    throw conflict(p, `答复分类 ${code} 不是本市的分类（${classes.map((c) => c.code).join('、')}）`);
}

/**
 * 答复 by the lead unit: saved as a draft (起草, editable), or submitted on: to its head for 签发 when
 * the city asks for it, else it leaves the unit now (signed: 会签 or the office's review next).
 * Submitting a reply that waits for 签发 again as a draft takes it back for editing.
 */
export function submitReply(p: Proposal, ctx: Ctx, unit: string, replyClass: string, text: string, opts: ReplyOptions = {}): Decision {
  const input = { ...opts, replyClass, text };
  const policy = replyPolicy(ctx);
  requireStatus(p, ['in_progress', 'rehandling'], '答复');
  const u = unitAs(p, unit, 'lead', `只有主办单位可以答复；${unit} 是协办单位`);
  if (!u.acknowledgedAt) throw conflict(p, `${unit} 尚未签收本提案`);
  const state = partState(p, unit);
  if (state !== 'open') throw conflict(p, state === 'answered' ? `${unit} 的答复已发送给提案人` : `${unit} 的答复已报出，正在会签或审核`);
  checkClass(p, ctx, input.replyClass);
  const round = partRound(p, unit);
  const pending = replyInUnit(p, unit);
  if (pending?.status === 'signing' && !input.draft) throw conflict(p, `第 ${pending.n} 次答复正在等待单位负责人签发`);
  if (round === 1 && !input.draft && ctx.replyWaitsForCoOpinions) {
    const waiting = p.co.filter((c) => !p.units[c]?.opinion);
    const until = p.deadlines.coOpinion;
    if (waiting.length && (!until || ctx.at <= until))
      throw conflict(p, `正在等待协办单位 ${waiting.join('、')} 的协办意见，截至 ${until ?? '其办理期限'}`);
  }
  roomFor(p, 'replies', input.text);
  const n = pending?.n ?? p.replies.length + 1;
  const letter = input.letter ?? pending?.letter;
  const base: Reply = {
    n,
    round,
    unit,
    replyClass: input.replyClass,
    text: input.text,
    status: 'draft',
    submittedAt: pending?.submittedAt ?? ctx.at,
    countersigns: [],
    ...(letter ? { letter } : {}),
  };
  const data = { n, unit, replyClass: input.replyClass, text: input.text, round };
  if (input.draft) {
    if (pending && pending.status === 'draft' && pending.text === input.text && pending.replyClass === input.replyClass && !input.letter)
      return unchanged(p);
    return {
      next: { ...p, replies: withReply(p, base), updatedAt: ctx.at },
      events: [{ type: 'ReplyDrafted', at: ctx.at, actor: ctx.actor, data }],
    };
  }
  if (policy.signOff) {
    return {
      next: { ...p, replies: withReply(p, { ...base, status: 'signing' }), updatedAt: ctx.at },
      events: [{ type: 'ReplySubmitted', at: ctx.at, actor: ctx.actor, data: { ...data, next: 'signing' } }],
    };
  }
  const signed = sign(base, ctx, input.docNumber);
  const onward = leaveUnit(p, ctx, signed);
  return {
    counted: input.docNumber !== undefined,
    next: onward.next,
    events: [{ type: 'ReplySubmitted', at: ctx.at, actor: ctx.actor, data: { ...data, next: onward.to } }],
  };
}

/** 签发 by the unit's head: the reply leaves the unit with its 文号 (allocated by the caller). */
export function signReply(p: Proposal, ctx: Ctx, unit: string, n: number, signer: string, docNumber?: string): Decision {
  requireStatus(p, ['in_progress', 'rehandling'], '签发答复');
  const r = p.replies.find((x) => x.n === n);
  if (!r || r.unit !== unit) throw conflict(p, `第 ${n} 次答复不是 ${unit} 的答复`);
  if (r.status !== 'signing') throw conflict(p, `第 ${n} 次答复不在待签发状态`);
  const onward = leaveUnit(p, ctx, sign(r, ctx, docNumber, signer));
  return {
    counted: docNumber !== undefined,
    next: onward.next,
    events: [
      {
        type: 'ReplySigned',
        at: ctx.at,
        actor: ctx.actor,
        data: { n, unit, signer, ...(docNumber ? { docNumber } : {}), next: onward.to },
      },
    ],
  };
}

function sign(r: Reply, ctx: Ctx, docNumber?: string, signer?: string): Reply {
  const letter = r.letter && { ...r.letter, ...(docNumber ? { docNumber } : {}), ...(signer ? { signer } : {}) };
  return { ...r, signedAt: ctx.at, ...(letter ? { letter } : {}) };
}

/** The signed reply goes to the co-units for 会签 (when the city asks and there are any), else to the office. */
function leaveUnit(p: Proposal, ctx: Ctx, r: Reply): { next: Proposal; to: 'countersign' | 'review' } {
  const countersign = replyPolicy(ctx).countersign && p.co.length > 0;
  const reply: Reply = countersign ? { ...r, status: 'countersign', countersigns: [] } : toReview(r, ctx);
  const deadlines = countersign
    ? { ...p.deadlines, [partKey(p, 'countersign', r.unit)]: ctx.due('countersign') }
    : { ...p.deadlines, [partKey(p, 'replyReview', r.unit)]: reply.reviewBy ?? '' };
  return { next: settle({ ...p, replies: withReply(p, reply), deadlines }, ctx), to: countersign ? 'countersign' : 'review' };
}

/**
 * The status the parts now give (parts.ts settledStatus), checked against the transitions; when the
 * last part is answered the proposers' feedback deadline starts.
 */
function settle(p: Proposal, ctx: Ctx): Proposal {
  const to = settledStatus(p);
  if (to === p.status) return { ...p, updatedAt: ctx.at };
  const next = transition(p, to, ctx.at);
  return to === 'replied' ? { ...next, deadlines: { ...next.deadlines, feedback: ctx.due('feedback') } } : next;
}

const toReview = (r: Reply, ctx: Ctx): Reply => ({ ...r, status: 'review', reviewFrom: ctx.at, reviewBy: ctx.due('replyReview') });

function withReply(p: Proposal, r: Reply): Reply[] {
  return p.replies.some((x) => x.n === r.n) ? p.replies.map((x) => (x.n === r.n ? r : x)) : [...p.replies, r];
}

/** 会签 by a co-unit of the signed reply; the last one sends it to the office. */
export function countersignReply(p: Proposal, ctx: Ctx, unit: string, n: number, note?: string): Decision {
  requireStatus(p, afterUnit, '会签答复');
  unitAs(p, unit, 'co', `${unit} 是主办单位；会签由协办单位进行`);
  const r = p.replies.find((x) => x.n === n);
  if (r?.countersigns.some((c) => c.unit === unit)) return unchanged(p); // a repeat
  if (!r || r.status !== 'countersign') throw conflict(p, `第 ${n} 次答复不在待会签状态`);
  const countersigns = [...r.countersigns, { unit, at: ctx.at, ...(note ? { note } : {}) }];
  const complete = p.co.every((c) => countersigns.some((x) => x.unit === c));
  const reply: Reply = complete ? toReview({ ...r, countersigns }, ctx) : { ...r, countersigns };
  const deadlines = complete ? { ...p.deadlines, [partKey(p, 'replyReview', r.unit)]: reply.reviewBy ?? '' } : p.deadlines;
  return {
    next: { ...p, replies: withReply(p, reply), deadlines, updatedAt: ctx.at },
    events: [{ type: 'ReplyCountersigned', at: ctx.at, actor: ctx.actor, data: { n, unit, ...(note ? { note } : {}), complete } }],
  };
}

/** Statuses in which a reply may be past its unit (分办: one part's while another's is still handled). */
const afterUnit: readonly Status[] = ['in_progress', 'reply_review', 'rehandling'];

function replyAt(p: Proposal, n: number, statuses: readonly Reply['status'][]) {
  requireStatus(p, afterUnit, '审核答复');
  const r = p.replies.find((x) => x.n === n);
  if (!r || !statuses.includes(r.status)) throw conflict(p, `第 ${n} 次答复不在待审核状态`);
  return r;
}

/**
 * 审核通过: the reply goes to the proposers, who rate it by the feedback deadline. The office may
 * correct the class (with a reason).
 */
export function approveReply(p: Proposal, ctx: Ctx, n: number, correction?: { replyClass: string; reason: string }): Decision {
  const r = replyAt(p, n, ['review']);
  const corrected = correction && correction.replyClass !== r.replyClass ? correction : undefined;
  if (corrected) checkClass(p, ctx, corrected.replyClass);
  const approved: Reply = {
    ...r,
    status: 'approved',
    decidedAt: ctx.at,
    ...(corrected ? { replyClass: corrected.replyClass, classCorrection: { from: r.replyClass, reason: corrected.reason } } : {}),
  };
  // 分办: the part's reply goes to the proposers now; the feedback deadline starts with the last part.
  const next = settle({ ...p, replies: withReply(p, approved) }, ctx);
  const feedbackDeadline = next.status === 'replied' ? next.deadlines.feedback : undefined;
  return {
    next,
    events: [
      {
        type: 'ReplyApproved',
        at: ctx.at,
        actor: ctx.actor,
        data: {
          n,
          ...(feedbackDeadline ? { feedbackDeadline } : {}),
          ...(isSplit(p) ? { unit: r.unit } : {}),
          ...(corrected ? { classCorrection: { from: r.replyClass, to: corrected.replyClass, reason: corrected.reason } } : {}),
        },
      },
    ],
  };
}

/** 退回: back to the unit with the reason (from the office's review, or while the co-units countersign). */
export function returnReply(p: Proposal, ctx: Ctx, n: number, reason: string): Decision {
  const r = replyAt(p, n, ['review', 'countersign']);
  const replies = withReply(p, { ...r, status: 'returned', decidedAt: ctx.at, returnReason: reason });
  return {
    next: settle({ ...p, replies }, ctx),
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
  requireStatus(p, ['replied', ...movedOn, ...(isSplit(p) ? (['in_progress'] as const) : [])], '评价');
  const unit = checkRating(p, f);
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
  // A rating of the part's answer while it stands (分办: also before the other parts are answered).
  const live = p.status !== 'closed' && partState(p, unit) === 'answered';
  if (!live) return { next: rated, events };
  if (f.satisfaction === 'dissatisfied' && partRehandles(p, unit) < ctx.maxRehandles) {
    const started = startRehandling(rated, ctx, f.n, f.comment ? { comment: f.comment } : {});
    return { next: started.next, events: [...events, ...started.events] };
  }
  if (p.status !== 'replied') return { next: rated, events };
  // Everyone who counts (a co-proposer who has not confirmed the 联名 is not asked to rate) rated every part's answer.
  const answers = leadUnits(p).map((u) => partAnswer(p, u)?.n);
  const everyone = confirmedProposers(p).every((x) => answers.every((n) => feedback.some((y) => y.n === n && y.memberId === x.memberId)));
  if (!everyone) return { next: rated, events };
  const closed = close(rated, ctx, 'all_rated');
  return { next: closed.next, events: [...events, ...closed.events] };
}

/**
 * 重新办理 of reply `n` (its part, 分办), after a proposer's 不满意 or by the office's order (workflow of
 * office-powers.ts): the lead unit owes a new reply by the `rehandle` deadline. The caller checks the
 * cap (ctx.maxRehandles).
 */
export function startRehandling(
  p: Proposal,
  ctx: Ctx,
  n: number,
  why: { comment?: string } | { orderedBy: 'office'; reason: string },
): Decision {
  const deadline = ctx.due('rehandle');
  const unit = p.replies.find((r) => r.n === n)?.unit ?? p.lead ?? '';
  const u = unitOf(p, unit);
  const units = { ...p.units, [unit]: { ...u, round: partRound(p, unit) + 1, rehandles: partRehandles(p, unit) + 1 } };
  const next = settle(
    { ...p, units, rehandles: p.rehandles + 1, deadlines: { ...p.deadlines, [partKey(p, 'rehandle', unit)]: deadline } },
    ctx,
  );
  return {
    next,
    events: [{ type: 'RehandlingStarted', at: ctx.at, actor: ctx.actor, data: { n, deadline, ...(isSplit(p) ? { unit } : {}), ...why } }],
  };
}

/** The reply is its part's answer, the member a proposer who has not rated it. Returns the part's unit. */
function checkRating(p: Proposal, f: Rating): string {
  const unit = p.replies.find((r) => r.n === f.n)?.unit;
  const reply = unit === undefined ? undefined : partAnswer(p, unit);
  if (unit === undefined || !reply || reply.n !== f.n) throw conflict(p, `第 ${f.n} 次答复不是当前待评价的答复`);
  if (!confirmedProposers(p).some((x) => x.memberId === f.memberId))
    throw conflict(p, `${f.memberId} 不是本提案的提案人（或尚未确认联名）`);
  if (p.feedback.some((x) => x.n === f.n && x.memberId === f.memberId && !x.second)) throw conflict(p, '该提案人已评价过这次答复');
  return unit;
}

/** The feedback deadline passed (fired by the sweep): close with what was rated. */
export function feedbackDeadlinePassed(p: Proposal, ctx: Ctx): Decision {
  if (p.status !== 'replied') return unchanged(p);
  return close(p, ctx, 'feedback_deadline');
}

function close(p: Proposal, ctx: Ctx, reason: 'all_rated' | 'feedback_deadline'): Decision {
  // 跟踪落实 for the classes the city follows up (default: B only), part by part (分办).
  const followed = new Set(
    replyPolicy(ctx)
      .classes.filter((c) => c.followUp)
      .map((c) => c.code),
  );
  const parts = leadUnits(p).filter((u) => followed.has(partAnswer(p, u)?.replyClass ?? ''));
  const followUp = parts.length > 0;
  const followUpDeadline = followUp ? ctx.due('followUp') : undefined;
  let next: Proposal = { ...transition(p, 'closed', ctx.at), closedAt: ctx.at };
  for (const u of parts)
    next = withFollowUp({ ...next, deadlines: { ...next.deadlines, [partKey(p, 'followUp', u)]: followUpDeadline ?? '' } }, u, {
      open: true,
      progress: [],
    });
  return {
    next,
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
 * 跟踪落实 of a followed-up reply. A final report (`resolved`) is the second reply (二次答复): it ends
 * the follow-up and goes to the proposers, who may rate it. A report that is not final starts the next
 * period, up to the city's cap (replies.followUpMax): the last one ends the follow-up (capped).
 */
export function reportProgress(p: Proposal, ctx: Ctx, unit: string, text: string, resolved: boolean): Decision {
  requireStatus(p, ['closed'], '报告落实进展');
  if (!followUpOpen(p)) throw conflict(p, '本提案没有进行中的跟踪落实');
  unitAs(p, unit, 'lead', `只有主办单位可以报告落实进展；${unit} 是协办单位`);
  const current = followUpOf(p, unit);
  if (!current?.open) throw conflict(p, `${unit} 所答复的部分没有进行中的跟踪落实`);
  roomFor(p, 'progress', text);
  const progress = [...current.progress, { text, resolved, at: ctx.at }];
  const capped = !resolved && progress.length >= replyPolicy(ctx).followUpMax;
  const n = partAnswer(p, unit)?.n ?? 0;
  const followUp = {
    open: !resolved && !capped,
    progress,
    ...(resolved ? { secondReply: { n, text, at: ctx.at } } : {}),
    ...(capped ? { capped: true } : {}),
  };
  // A report that is not final is accepted: the next period starts (its timer re-arms with the new deadline).
  const deadlines = followUp.open ? { ...p.deadlines, [partKey(p, 'followUp', unit)]: ctx.due('followUp') } : p.deadlines;
  return {
    next: withFollowUp({ ...p, deadlines, updatedAt: ctx.at }, unit, followUp),
    events: [
      {
        type: 'ProgressReported',
        at: ctx.at,
        actor: ctx.actor,
        data: { text, resolved, ...(resolved ? { n } : {}), ...(capped ? { capped } : {}), ...(isSplit(p) ? { unit } : {}) },
      },
    ],
  };
}

/** The 二次答复 of each part that has one. */
export const secondReplies = (p: Proposal) => leadUnits(p).flatMap((u) => followUpOf(p, u)?.secondReply ?? []);

/**
 * A proposer rates a second reply (二次答复), once each; nothing else changes. `n`: the reply it
 * followed (分办: which part's); without it, the first lead's.
 */
export function rateSecondReply(
  p: Proposal,
  ctx: Ctx,
  f: { memberId: string; satisfaction: Satisfaction; comment?: string; n?: number | undefined },
): Decision {
  const all = secondReplies(p);
  const second = f.n === undefined ? ((p.lead ? followUpOf(p, p.lead)?.secondReply : undefined) ?? all[0]) : all.find((s) => s.n === f.n);
  if (!second) throw conflict(p, f.n === undefined ? '本提案没有二次答复' : `第 ${f.n} 次答复没有二次答复`);
  if (!confirmedProposers(p).some((x) => x.memberId === f.memberId))
    throw conflict(p, `${f.memberId} 不是本提案的提案人（或尚未确认联名）`);
  if (p.feedback.some((x) => x.second && x.n === second.n && x.memberId === f.memberId)) throw conflict(p, '该提案人已评价过二次答复');
  const comment = f.comment ? { comment: f.comment } : {};
  return {
    next: {
      ...p,
      feedback: [
        ...p.feedback,
        { n: second.n, memberId: f.memberId, satisfaction: f.satisfaction, ...comment, at: ctx.at, second: true as const },
      ],
      updatedAt: ctx.at,
    },
    events: [
      {
        type: 'FeedbackGiven',
        at: ctx.at,
        actor: ctx.actor,
        data: { n: second.n, memberId: f.memberId, satisfaction: f.satisfaction, ...comment, second: true },
      },
    ],
  };
}

/**
 * 延期: the office extends the reply deadline to the end of `untilDay`'s working day, no later than
 * `limit` (the policy's replyMax from the assignment).
 */
export function extendReply(p: Proposal, ctx: Ctx, until: string, limit: string, reason?: string, unit = p.lead ?? ''): Decision {
  requireStatus(p, ['assigned', 'in_progress'], '延长答复期限');
  if (!leadUnits(p).includes(unit)) throw conflict(p, `${unit} 不是本提案的主办单位`);
  if (until > limit) throw conflict(p, `答复期限最晚只能延至 ${limit}`);
  const current = partDeadline(p, 'reply', unit);
  if (current && until <= current) throw conflict(p, `新的答复期限必须晚于当前期限（${current}）`);
  return {
    next: { ...p, deadlines: { ...p.deadlines, [partKey(p, 'reply', unit)]: until }, updatedAt: ctx.at },
    events: [
      {
        type: 'ReplyDeadlineExtended',
        at: ctx.at,
        actor: ctx.actor,
        data: { until, ...(reason ? { reason } : {}), ...(isSplit(p) ? { unit } : {}) },
      },
    ],
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
