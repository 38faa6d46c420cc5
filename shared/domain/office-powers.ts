/**
 * The office's powers over a proposal (and the proposers' withdrawal), as pure decisions in the manner
 * of workflow.ts: (proposal, input, ctx) -> the next state and the events that record it. No I/O.
 *
 * - orderRehandling: 重新办理 ordered by the office, the same path as after a 不满意, capped by the city's
 *   `policy.maxRehandles` (ctx.maxRehandles);
 * - recordSupervision: 督办记录 (实地督查 / 电话督办 / 座谈) of a unit;
 * - requestExtension / decideExtension: the lead unit asks for a later reply deadline (within replyMax),
 *   the office approves or refuses it by `policy.extensionDecision` (an obligation: extensionDecision);
 * - editProposal: the office corrects the title or category; the event keeps the old values;
 * - withdraw: 撤案 by a proposer before the reply was sent (status `withdrawn`; every timer goes).
 */
import type { Proposal, Status, SupervisionMode } from '#domain/proposal.ts';
import { transition } from '#domain/proposal.ts';
import { startRehandling, WorkflowConflict, type Ctx, type Decision } from '#domain/workflow.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { statusNames } from '#domain/glossary.ts';
import { roomFor } from '#domain/limits.ts';
import { followUpOpen, leadUnits, partAnswer, partDeadline, partKey, partRehandles } from '#domain/parts.ts';

const unchanged = (p: Proposal): Decision => ({ next: p, events: [] });
const conflict = (p: Proposal, message: string) => new WorkflowConflict(message, p.status);

function requireStatus(p: Proposal, allowed: readonly Status[], what: string): void {
  if (!allowed.includes(p.status)) throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能${what}`);
}

/** While the lead unit handles the proposal and its reply deadline may move (as 延期 by the office). */
const handling: readonly Status[] = ['assigned', 'in_progress'];

/** Statuses a proposer may withdraw in: before the reply was sent to the proposers (审核通过). */
export const withdrawable: readonly Status[] = ['submitted', 'registered', 'triage', 'assigned', 'in_progress', 'reply_review'];

/**
 * 重新办理 by the office's order: the reply sent is re-handled as after a 不满意, up to the city's cap.
 * 分办: `unit` names the part (default: the first lead's).
 */
export function orderRehandling(p: Proposal, ctx: Ctx, reason: string, unit = p.lead ?? ''): Decision {
  requireStatus(p, ['replied'], '责令重新办理');
  if (!leadUnits(p).includes(unit)) throw conflict(p, `${unit} 不是本提案的主办单位`);
  const reply = partAnswer(p, unit);
  if (!reply) throw conflict(p, '没有可重新办理的答复');
  const done = partRehandles(p, unit);
  if (done >= ctx.maxRehandles)
    throw conflict(p, `${leadUnits(p).length > 1 ? `${unit} 所答复的部分` : '本提案'}已重新办理 ${done} 次，已达本市规定的上限`);
  return startRehandling({ ...p, updatedAt: ctx.at }, ctx, reply.n, { orderedBy: 'office', reason });
}

export interface SupervisionInput {
  mode: SupervisionMode;
  note: string;
  /** When it took place (ISO). */
  at: string;
  /** The unit supervised; the lead unit when not given. */
  unit?: string | undefined;
}

/** 督办记录: while units handle the proposal, and after it closed while its follow-up is open. */
export function recordSupervision(p: Proposal, ctx: Ctx, s: SupervisionInput): Decision {
  requireStatus(p, ['assigned', 'in_progress', 'reply_review', 'replied', 'rehandling', 'closed'], '记录督办');
  if (p.status === 'closed' && !followUpOpen(p)) throw conflict(p, '提案已办结，且没有进行中的跟踪落实');
  const unit = s.unit ?? p.lead;
  if (!unit || !p.units[unit]) throw conflict(p, `承办单位 ${unit ?? '（未指定）'} 未参与办理本提案`);
  if (p.supervisions.some((x) => x.unit === unit && x.mode === s.mode && x.at === s.at && x.note === s.note)) return unchanged(p);
  roomFor(p, 'supervisions', s.note);
  return {
    next: {
      ...p,
      supervisions: [...p.supervisions, { unit, mode: s.mode, note: s.note, at: s.at, recordedAt: ctx.at }],
      updatedAt: ctx.at,
    },
    events: [{ type: 'SupervisionRecorded', at: ctx.at, actor: ctx.actor, data: { unit, mode: s.mode, supervisedAt: s.at, note: s.note } }],
  };
}

/** The request waiting for the office's decision, if any. */
export const pendingExtension = (p: Proposal) => p.extensionRequests.find((r) => !r.decision);

/**
 * 申请延期 by the lead unit: a reply deadline `until` (end of a working day) after the current one and
 * no later than `limit` (replyMax from the lead's assignment). One request waits at a time; the same
 * request again changes nothing.
 */
export function requestExtension(p: Proposal, ctx: Ctx, unit: string, until: string, limit: string, reason: string): Decision {
  requireStatus(p, handling, '申请延期');
  if (!leadUnits(p).includes(unit)) throw conflict(p, `只有主办单位可以申请延期；${unit} 不是主办单位`);
  const pending = pendingExtension(p);
  if (pending?.unit === unit && pending.until === until && pending.reason === reason) return unchanged(p);
  if (pending) throw conflict(p, `第 ${pending.n} 次延期申请仍在等待政府办公室审批`);
  if (until > limit) throw conflict(p, `答复期限最晚只能延至 ${limit}`);
  const current = partDeadline(p, 'reply', unit);
  if (current && until <= current) throw conflict(p, `新的答复期限必须晚于当前期限（${current}）`);
  roomFor(p, 'extensionRequests', reason);
  const n = p.extensionRequests.length + 1;
  const decideBy = ctx.due('extensionDecision');
  return {
    next: { ...p, extensionRequests: [...p.extensionRequests, { n, unit, until, reason, at: ctx.at, decideBy }], updatedAt: ctx.at },
    events: [{ type: 'ExtensionRequested', at: ctx.at, actor: ctx.actor, data: { n, unit, until, reason, decideBy } }],
  };
}

/**
 * The office decides request `n`: approved, the reply deadline becomes its `until` (still within
 * `limit`; a deadline the office extended further meanwhile stays); refused, nothing else changes.
 */
export function decideExtension(p: Proposal, ctx: Ctx, n: number, approve: boolean, limit: string, reason?: string): Decision {
  requireStatus(p, handling, '审批延期申请');
  const r = p.extensionRequests.find((x) => x.n === n);
  if (!r) throw conflict(p, `没有第 ${n} 次延期申请`);
  if (r.decision) {
    if (r.decision.approve === approve) return unchanged(p);
    throw conflict(p, `第 ${n} 次延期申请已经${r.decision.approve ? '批准' : '驳回'}`);
  }
  if (approve && r.until > limit) throw conflict(p, `答复期限最晚只能延至 ${limit}`);
  const decision = { approve, at: ctx.at, ...(reason ? { reason } : {}) };
  const extensionRequests = p.extensionRequests.map((x) => (x.n === n ? { ...x, decision } : x));
  const current = partDeadline(p, 'reply', r.unit);
  const deadlines = approve && (!current || r.until > current) ? { ...p.deadlines, [partKey(p, 'reply', r.unit)]: r.until } : p.deadlines;
  return {
    next: { ...p, extensionRequests, deadlines, updatedAt: ctx.at },
    events: [
      {
        type: 'ExtensionDecided',
        at: ctx.at,
        actor: ctx.actor,
        data: { n, unit: r.unit, approve, until: r.until, ...(reason ? { reason } : {}) },
      },
    ],
  };
}

export interface EditInput {
  title?: string | undefined;
  /** An empty category clears it. */
  category?: string | undefined;
  reason: string;
}

/** The office corrects the title or the category (not of a proposal merged into another or withdrawn). */
export function editProposal(p: Proposal, ctx: Ctx, e: EditInput): Decision {
  if (p.status === 'merged' || p.status === 'withdrawn') throw conflict(p, `提案当前状态为「${statusNames[p.status]}」，不能修改`);
  const changes: { title?: string; category?: string } = {};
  const previous: { title?: string; category?: string } = {};
  if (e.title !== undefined && e.title !== p.title) {
    changes.title = e.title;
    previous.title = p.title;
  }
  if (e.category !== undefined && e.category !== (p.category ?? '')) {
    changes.category = e.category;
    if (p.category) previous.category = p.category;
  }
  if (changes.title === undefined && changes.category === undefined) return unchanged(p);
  const next: Proposal = { ...p, ...(changes.title ? { title: changes.title } : {}), updatedAt: ctx.at };
  if (changes.category) next.category = changes.category;
  else if (changes.category === '') delete next.category;
  return {
    next,
    events: [{ type: 'ProposalEdited', at: ctx.at, actor: ctx.actor, data: { changes, previous, reason: e.reason } }],
  };
}

/**
 * 撤案 by one of the proposers who count (a co-proposer who has not confirmed the 联名 may not), before
 * the reply was sent; the units that had it are told.
 */
export function withdraw(p: Proposal, ctx: Ctx, memberId: string, reason: string): Decision {
  if (p.status === 'withdrawn') return unchanged(p);
  if (!confirmedProposers(p).some((x) => x.memberId === memberId)) throw conflict(p, `${memberId} 不是本提案（已确认联名）的提案人`);
  requireStatus(p, withdrawable, '撤回');
  // 分办: once one part's reply reached the proposers, the proposal is answered in part.
  if (p.replies.some((r) => r.status === 'approved')) throw conflict(p, '已有分办单位的答复发送给提案人，不能撤回');
  const units = Object.keys(p.units);
  return {
    next: { ...transition(p, 'withdrawn', ctx.at), withdrawal: { memberId, reason, at: ctx.at } },
    events: [{ type: 'ProposalWithdrawn', at: ctx.at, actor: ctx.actor, data: { memberId, reason, units } }],
  };
}
