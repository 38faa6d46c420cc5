/**
 * Open obligations (待办义务) of a proposal: what someone still owes, with its deadline. A pure
 * function of the state, so the timers that remind and escalate are too (see timer-schedule.ts).
 */
import { objectionPending, type Proposal, type Status, type UnitState } from '#domain/proposal.ts';
import type { Obligation } from '#domain/workflow.ts';
import type { TimerSchedule } from '#domain/timer-schedule.ts';
import { pendingInstructions } from '#domain/key-proposals.ts';
import { followUpOf, leadUnits, partDeadline, partKey, partRound, partState } from '#domain/parts.ts';

export interface OpenObligation {
  /** Stable per proposal: 'acknowledge#health', 'contact', 'coOpinion#transport', 'reply', 'feedback', 'rehandle', 'followUp'. */
  id: string;
  obligation: Obligation;
  /** The unit that owes it (none for the proposers' feedback). */
  unit?: string;
  /** ISO instant. */
  deadline: string;
}

const handling: readonly Status[] = ['assigned', 'in_progress'];

/** A unit's 签收 deadline: the proposal's, or the unit's own when the office decided its objection later. */
export function acknowledgeDeadline(p: Proposal, u: UnitState): string | undefined {
  const all = p.deadlines.acknowledge;
  return u.acknowledgeBy && (!all || u.acknowledgeBy > all) ? u.acknowledgeBy : all;
}

export function openObligations(p: Proposal): OpenObligation[] {
  const out: OpenObligation[] = [];
  const add = (obligation: Obligation, id: string, unit?: string, deadline = p.deadlines[obligation]) => {
    if (deadline) out.push({ id, obligation, deadline, ...(unit ? { unit } : {}) });
  };
  const units = Object.entries(p.units);
  if (handling.includes(p.status)) {
    // A pending objection (申请调整) suspends the unit's 签收 until the office decides.
    for (const [unit, u] of units)
      if (!u.acknowledgedAt && !objectionPending(u)) add('acknowledge', `acknowledge#${unit}`, unit, acknowledgeDeadline(p, u));
    // The office owes the decision on a pending objection (no unit: its reminders go to the office).
    for (const [unit, u] of units)
      if (objectionPending(u) && u.objection?.decideBy)
        add('objectionDecision', `objectionDecision#${unit}`, undefined, u.objection.decideBy);
    // The office owes the decision on the lead unit's pending 申请延期 (no unit, like an objection).
    const request = p.extensionRequests.find((r) => !r.decision && leadUnits(p).includes(r.unit));
    if (request) add('extensionDecision', 'extensionDecision', undefined, request.decideBy);
  }
  // Each lead unit's part (分办: several; parts.ts): 面商 and the first reply while the units handle it, the
  // new reply while the part is re-handled, the follow-up after closing.
  const part = (name: Obligation, unit: string) => add(name, partKey(p, name, unit), unit, partDeadline(p, name, unit));
  for (const unit of leadUnits(p)) {
    const open = partState(p, unit) === 'open';
    if (handling.includes(p.status) && !p.contacts.some((c) => c.unit === unit)) part('contact', unit);
    if (handling.includes(p.status) && open && partRound(p, unit) === 1) part('reply', unit);
    if (['in_progress', 'reply_review', 'rehandling'].includes(p.status) && open && partRound(p, unit) > 1) part('rehandle', unit);
    if (p.status === 'closed' && followUpOf(p, unit)?.open) part('followUp', unit);
  }
  if (handling.includes(p.status) && p.lead)
    for (const [unit, u] of units) if (u.role === 'co' && !u.opinion) add('coOpinion', `coOpinion#${unit}`, unit);
  // A reply that left its unit: the co-units owe their 会签, then the office its review (no unit: its reminders go to the office).
  const live = ['in_progress', 'reply_review', 'rehandling'].includes(p.status);
  for (const r of live ? p.replies : []) {
    const lead = r.unit === p.lead;
    if (r.status === 'countersign')
      for (const unit of p.co)
        if (!r.countersigns.some((c) => c.unit === unit))
          add('countersign', lead ? `countersign#${unit}` : `countersign#${unit}#${r.unit}`, unit, partDeadline(p, 'countersign', r.unit));
    if (r.status === 'review') add('replyReview', partKey(p, 'replyReview', r.unit), undefined, r.reviewBy);
  }
  if (p.status === 'replied') add('feedback', 'feedback');
  // Each unit acknowledges each 批示 of the leading leader (key-proposals.ts).
  for (const i of pendingInstructions(p)) add('instruction', `instruction#${i.n}#${i.unit}`, i.unit, i.deadline);
  return out;
}

/** Obligations of units (the proposers' feedback is not a unit's: its deadline closes the proposal). */
const unitObligations = (p: Proposal) => openObligations(p).filter((o) => o.obligation !== 'feedback');

/** 超期: some unit obligation is past its deadline. */
export function isOverdue(p: Proposal, now: Date): boolean {
  return unitObligations(p).some((o) => Date.parse(o.deadline) < now.getTime());
}

export type TrafficLight = 'green' | 'yellow' | 'red';

/** One obligation's light: 红灯 past its deadline, 黄灯 from its first reminder on, else 绿灯. */
export function obligationLight(o: OpenObligation, key: boolean, now: Date, schedule: TimerSchedule): TrafficLight {
  if (Date.parse(o.deadline) < now.getTime()) return 'red';
  const first = schedule.firstReminderAt({ ...o, key });
  return first !== undefined && Date.parse(first) <= now.getTime() ? 'yellow' : 'green';
}

const lightRank: Record<TrafficLight, number> = { red: 0, yellow: 1, green: 2 };
export const worseLight = (a: TrafficLight, b: TrafficLight): TrafficLight => (lightRank[a] <= lightRank[b] ? a : b);
export const compareLights = (a: TrafficLight, b: TrafficLight): number => lightRank[a] - lightRank[b];

/** A proposal's light: the worst of its units' obligations (红灯 overdue; 黄灯 within the reminder window). */
export function trafficLight(p: Proposal, now: Date, schedule: TimerSchedule): TrafficLight {
  return unitObligations(p).reduce<TrafficLight>((light, o) => worseLight(light, obligationLight(o, p.key, now, schedule)), 'green');
}
