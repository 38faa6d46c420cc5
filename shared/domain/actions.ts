/**
 * What the signed-in person may do now (可办理的操作) and what they owe (我的待办). Pure. The actions are
 * found by running the workflow's own decisions on the current proposal (nothing is written): an
 * action is offered exactly when the API would accept it, so the console computes no rule itself.
 */
import { cosignPending } from '#domain/cosign.ts';
import type { Identity } from '#domain/access.ts';
import { canSee } from '#domain/access.ts';
import { compareLights, isOverdue, obligationLight, openObligations, type OpenObligation, type TrafficLight } from '#domain/obligations.ts';
import { objectionPending, type Proposal } from '#domain/proposal.ts';
import type { TimerSchedule } from '#domain/timer-schedule.ts';
import * as wf from '#domain/workflow.ts';
import * as kp from '#domain/key-proposals.ts';
import * as op from '#domain/office-powers.ts';
import { leadUnits, partAnswer, partDeadline, partState } from '#domain/parts.ts';

/** The answers (one per part; 分办: several) the member has not rated yet. */
const unratedAnswers = (p: Proposal, memberId: string) =>
  leadUnits(p)
    .map((u) => partAnswer(p, u))
    .filter((r) => r !== undefined && !p.feedback.some((f) => f.n === r.n && f.memberId === memberId && !f.second));

export const actions = [
  'review',
  'assign',
  'acknowledge',
  'object',
  'opinion',
  'contact',
  'reply',
  // 起草: save the reply as a draft (also while the co-units' opinions are awaited).
  'draftReply',
  // 签发 by the unit head, 会签 by a co-unit (city config replies.signOff / countersign).
  'signReply',
  'countersignReply',
  'approveReply',
  'returnReply',
  'extend',
  'progress',
  'rate',
  // 重点提案 (committee, office), 批示 (the leading leader), its 签收 (units), 退回提案委员会 (office).
  'setKey',
  'instruct',
  'acknowledgeInstruction',
  'returnToCommittee',
  // The office's powers (office-powers.ts): 重新办理, 督办记录, 审批延期, 修改标题; the lead's 申请延期; a proposer's 撤回提案.
  'rehandle',
  'supervision',
  'decideExtension',
  'edit',
  'requestExtension',
  'withdraw',
  // 联名确认 by a co-proposer (cosign.ts).
  'cosign',
] as const;
export type Action = (typeof actions)[number];

/** Whether the decision would change the proposal (a no-op or a refusal is not an action). */
function accepted(decide: () => wf.Decision): boolean {
  try {
    return decide().events.length > 0;
  } catch {
    return false;
  }
}

/** The city's choices that decide who acts: who reviews (city config `review`: kp.reviewerOf). */
export interface ActionPolicy {
  reviewer?: 'office' | 'committee';
}

/** The actions `who` may take on `p` now. `ctx` is the command context (its deadlines are not used). */
export function availableActions(p: Proposal, who: Identity, ctx: wf.Ctx, policy: ActionPolicy = {}): Action[] {
  const reviewer = policy.reviewer ?? 'office';
  if (!canSee(who, p)) return [];
  const out: Action[] = [];
  const offer = (a: Action, ok: boolean) => {
    if (ok) out.push(a);
  };
  switch (who.role) {
    case 'office': {
      const underReview = p.replies.find((r) => r.status === 'review');
      const countersigning = p.replies.find((r) => r.status === 'countersign');
      offer('review', reviewer === 'office' && p.status === 'submitted');
      offer('assign', ['registered', 'triage', 'assigned', 'in_progress'].includes(p.status));
      offer('approveReply', underReview !== undefined && accepted(() => wf.approveReply(p, ctx, underReview.n)));
      const returnable = underReview ?? countersigning;
      offer('returnReply', returnable !== undefined && accepted(() => wf.returnReply(p, ctx, returnable.n, '-')));
      // 分办: any part that may still be re-handled.
      offer(
        'rehandle',
        leadUnits(p).some((u) => accepted(() => op.orderRehandling(p, ctx, '-', u))),
      );
      offer(
        'supervision',
        accepted(() => op.recordSupervision(p, ctx, { mode: 'phone', note: '-', at: ctx.at })),
      );
      offer('decideExtension', op.pendingExtension(p) !== undefined && ['assigned', 'in_progress'].includes(p.status));
      offer('edit', p.status !== 'merged' && p.status !== 'withdrawn');
      // 分办: any part still owing its first reply, by a deadline of its own.
      offer(
        'extend',
        ['assigned', 'in_progress'].includes(p.status) &&
          leadUnits(p).some((u) => partDeadline(p, 'reply', u) !== undefined && partState(p, u) === 'open'),
      );
      offer('returnToCommittee', reviewer === 'committee' && accepted(() => kp.returnToCommittee(p, ctx, '-')));
      offer(
        'setKey',
        accepted(() => kp.setKey(p, ctx, !p.key)),
      );
      break;
    }
    case 'unit': {
      const unit = who.unit;
      const u = p.units[unit];
      if (!u) break;
      offer(
        'acknowledge',
        accepted(() => wf.acknowledge(p, ctx, unit)),
      );
      offer('object', !u.acknowledgedAt && !objectionPending(u) && accepted(() => wf.object(p, ctx, unit, '-')));
      offer('opinion', u.role === 'co' && !u.opinion && accepted(() => wf.giveOpinion(p, ctx, unit, '-')));
      offer(
        'contact',
        accepted(() => wf.recordContact(p, ctx, { unit, mode: 'phone', at: ctx.at, note: '-' })),
      );
      const code = (ctx.replies ?? wf.defaultReplyPolicy).classes[0]?.code ?? 'A';
      offer(
        'reply',
        accepted(() => wf.submitReply(p, ctx, unit, code, '-')),
      );
      offer(
        'draftReply',
        accepted(() => wf.submitReply(p, ctx, unit, code, '-', { draft: true })),
      );
      const signing = p.replies.find((r) => r.status === 'signing' && r.unit === unit);
      offer('signReply', who.unitHead === true && signing !== undefined && accepted(() => wf.signReply(p, ctx, unit, signing.n, '-')));
      const countersign = p.replies.find((r) => r.status === 'countersign' && !r.countersigns.some((c) => c.unit === unit));
      offer('countersignReply', countersign !== undefined && accepted(() => wf.countersignReply(p, ctx, unit, countersign.n)));
      offer(
        'progress',
        accepted(() => wf.reportProgress(p, ctx, unit, '-', false)),
      );
      offer('acknowledgeInstruction', kp.pendingInstructions(p, unit).length > 0);
      // Whether the date asked for fits replyMax is the API's answer; offered to the lead while it handles, none pending.
      offer('requestExtension', u.role === 'lead' && ['assigned', 'in_progress'].includes(p.status) && !op.pendingExtension(p));
      break;
    }
    case 'member': {
      const rateable = unratedAnswers(p, who.memberId);
      offer(
        'rate',
        rateable.some((r) => r && accepted(() => wf.giveFeedback(p, ctx, { n: r.n, memberId: who.memberId, satisfaction: 'satisfied' }))),
      );
      offer(
        'withdraw',
        accepted(() => op.withdraw(p, ctx, who.memberId, '-')),
      );
      offer('cosign', cosignPending(p, who.memberId));
      break;
    }
    case 'committee':
      offer('review', reviewer === 'committee' && p.status === 'submitted');
      offer(
        'setKey',
        accepted(() => kp.setKey(p, ctx, !p.key)),
      );
      break;
    case 'leader': {
      const name = who.leader;
      offer('instruct', name !== undefined && accepted(() => kp.instruct(p, ctx, name, '-')));
      break;
    }
  }
  return out;
}

/** Things owed that are not timed obligations: the office's review, assignment and reply review. */
export type OfficeStep = 'review' | 'assign' | 'approveReply' | 'signReply';
/** An obligation that is past its deadline, shown to the office and the leaders: 督办. */
export type TaskKind = OpenObligation['obligation'] | OfficeStep | 'supervise' | 'cosign';

export interface Task {
  proposalId: string;
  number: string;
  title: string;
  key: boolean;
  status: Proposal['status'];
  task: TaskKind;
  /** The obligation a 督办 task is about. */
  obligation?: OpenObligation['obligation'];
  unit?: string;
  deadline?: string;
  trafficLight: TrafficLight;
  overdue: boolean;
}

/** What `who` owes on `p` (我的待办). Office: its own steps, objections to decide, overdue units; leaders: overdue key proposals. */
export function tasksOf(p: Proposal, who: Identity, now: Date, schedule: TimerSchedule, policy: ActionPolicy = {}): Task[] {
  if (!canSee(who, p)) return [];
  const reviewer = policy.reviewer ?? 'office';
  const base = { proposalId: p.id, number: p.number, title: p.title, key: p.key, status: p.status };
  const fromObligation = (o: OpenObligation, task: TaskKind = o.obligation): Task => {
    const light = obligationLight(o, p.key, now, schedule);
    return {
      ...base,
      task,
      ...(task === 'supervise' ? { obligation: o.obligation } : {}),
      ...(o.unit ? { unit: o.unit } : {}),
      deadline: o.deadline,
      trafficLight: light,
      overdue: light === 'red',
    };
  };
  const step = (task: OfficeStep | 'cosign'): Task => ({ ...base, task, trafficLight: 'green', overdue: false });
  const open = openObligations(p);
  const overdueUnits = open.filter((o) => o.unit && o.obligation !== 'feedback' && Date.parse(o.deadline) < now.getTime());
  switch (who.role) {
    case 'unit': {
      const own = open.filter((o) => o.unit === who.unit).map((o) => fromObligation(o));
      // The head's 签发 of the unit's reply (no deadline of its own: the reply deadline runs until it is signed).
      const signing = who.unitHead && p.replies.some((r) => r.status === 'signing' && r.unit === who.unit);
      return signing ? [step('signReply'), ...own] : own;
    }
    case 'member': {
      const rated = unratedAnswers(p, who.memberId).length === 0;
      // 联名确认 first: a co-proposer who has not confirmed is not asked to rate.
      if (cosignPending(p, who.memberId)) return [step('cosign')];
      return open.filter((o) => o.obligation === 'feedback' && !rated).map((o) => fromObligation(o));
    }
    case 'office':
      return [
        ...(p.status === 'submitted' && reviewer === 'office' ? [step('review')] : []),
        ...(p.status === 'triage' || p.status === 'registered' ? [step('assign')] : []),
        // 答复审核 with its own deadline (policy.replyReview): a light like the units' obligations.
        ...open.filter((o) => o.obligation === 'replyReview').map((o) => fromObligation(o, 'approveReply')),
        // A reply that reached the office before reviews had a deadline.
        ...(p.replies.some((r) => r.status === 'review' && !r.reviewBy) ? [step('approveReply')] : []),
        ...open.filter((o) => o.obligation === 'objectionDecision' || o.obligation === 'extensionDecision').map((o) => fromObligation(o)),
        ...overdueUnits.map((o) => fromObligation(o, 'supervise')),
      ];
    case 'committee':
      return p.status === 'submitted' && reviewer === 'committee' ? [step('review')] : [];
    case 'leader':
      return p.key && isOverdue(p, now) ? overdueUnits.map((o) => fromObligation(o, 'supervise')) : [];
  }
}

/** Most urgent first: red, yellow, green; then the earliest deadline; steps without one after those with one. */
export function byUrgency(a: Task, b: Task): number {
  return (
    compareLights(a.trafficLight, b.trafficLight) ||
    (a.deadline ?? '\uffff').localeCompare(b.deadline ?? '\uffff') ||
    a.number.localeCompare(b.number)
  );
}
