/**
 * What the signed-in person may do now (可办理的操作) and what they owe (我的待办). Pure. The actions are
 * found by running the workflow's own decisions on the current proposal (nothing is written): an
 * action is offered exactly when the API would accept it, so the console computes no rule itself.
 */
import type { Identity } from '#domain/access.ts';
import { canSee } from '#domain/access.ts';
import { compareLights, isOverdue, obligationLight, openObligations, type OpenObligation, type TrafficLight } from '#domain/obligations.ts';
import { objectionPending, type Proposal } from '#domain/proposal.ts';
import type { TimerSchedule } from '#domain/timer-schedule.ts';
import * as wf from '#domain/workflow.ts';

export const actions = [
  'review',
  'assign',
  'acknowledge',
  'object',
  'opinion',
  'contact',
  'reply',
  'approveReply',
  'returnReply',
  'extend',
  'progress',
  'rate',
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

/** The actions `who` may take on `p` now. `ctx` is the command context (its deadlines are not used). */
export function availableActions(p: Proposal, who: Identity, ctx: wf.Ctx): Action[] {
  if (!canSee(who, p)) return [];
  const out: Action[] = [];
  const offer = (a: Action, ok: boolean) => {
    if (ok) out.push(a);
  };
  switch (who.role) {
    case 'office': {
      const underReview = p.replies.find((r) => r.status === 'review');
      offer('review', p.status === 'submitted');
      offer('assign', ['registered', 'triage', 'assigned', 'in_progress'].includes(p.status));
      offer('approveReply', underReview !== undefined && accepted(() => wf.approveReply(p, ctx, underReview.n)));
      offer('returnReply', underReview !== undefined && accepted(() => wf.returnReply(p, ctx, underReview.n, '-')));
      offer('extend', ['assigned', 'in_progress'].includes(p.status) && p.deadlines.reply !== undefined);
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
      offer(
        'reply',
        accepted(() => wf.submitReply(p, ctx, unit, 'A', '-')),
      );
      offer(
        'progress',
        accepted(() => wf.reportProgress(p, ctx, unit, '-', false)),
      );
      break;
    }
    case 'member': {
      const reply = wf.latestApproved(p);
      offer(
        'rate',
        reply !== undefined && accepted(() => wf.giveFeedback(p, ctx, { n: reply.n, memberId: who.memberId, satisfaction: 'satisfied' })),
      );
      break;
    }
    case 'leader':
      break;
  }
  return out;
}

/** Things owed that are not timed obligations: the office's review, assignment and reply review. */
export type OfficeStep = 'review' | 'assign' | 'approveReply';
/** An obligation that is past its deadline, shown to the office and the leaders: 督办. */
export type TaskKind = OpenObligation['obligation'] | OfficeStep | 'supervise';

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
export function tasksOf(p: Proposal, who: Identity, now: Date, schedule: TimerSchedule): Task[] {
  if (!canSee(who, p)) return [];
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
  const step = (task: OfficeStep): Task => ({ ...base, task, trafficLight: 'green', overdue: false });
  const open = openObligations(p);
  const overdueUnits = open.filter((o) => o.unit && o.obligation !== 'feedback' && Date.parse(o.deadline) < now.getTime());
  switch (who.role) {
    case 'unit':
      return open.filter((o) => o.unit === who.unit).map((o) => fromObligation(o));
    case 'member': {
      const reply = wf.latestApproved(p);
      const rated = reply && p.feedback.some((f) => f.n === reply.n && f.memberId === who.memberId);
      return open.filter((o) => o.obligation === 'feedback' && !rated).map((o) => fromObligation(o));
    }
    case 'office':
      return [
        ...(p.status === 'submitted' ? [step('review')] : []),
        ...(p.status === 'triage' || p.status === 'registered' ? [step('assign')] : []),
        ...(p.status === 'reply_review' ? [step('approveReply')] : []),
        ...open.filter((o) => o.obligation === 'objectionDecision').map((o) => fromObligation(o)),
        ...overdueUnits.map((o) => fromObligation(o, 'supervise')),
      ];
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
