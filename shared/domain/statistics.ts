/**
 * Statistics of a year's proposals (办理情况统计). Pure: (proposals, now, events?) -> figures.
 *
 * Definitions (docs/reports.md says the same in words):
 * - total: every proposal submitted in the year (提案总数), whatever became of it.
 * - registered (立案): proposals taken up as cases = total minus rejected (不予立案), minus merged
 *   (并案: a merged proposal is counted once, through its main proposal), minus those still
 *   waiting for review (submitted).
 * - closed (办结): registered proposals with status closed.
 * - completionRate (办结率) = closed / registered.
 * - assigned (交办): registered proposals with a lead unit.
 * - onTimeRate (按时办结率) = onTime / replyDue. replyDue: assigned proposals whose first approved
 *   reply exists or whose reply deadline has passed without one; onTime: of those, the first
 *   approved reply was approved (decidedAt) on or before the reply deadline (deadlines.reply).
 * - satisfactionRate (满意率) = (满意 + 基本满意) / rated, over (proposal, proposer) pairs of the
 *   registered proposals, using each proposer's last rating of that proposal.
 * - faceToFaceRate (面商率) = assigned proposals with at least one face_to_face contact / assigned.
 * - classes (答复分类): the class A-D of each proposal's last approved reply.
 * - rehandled (重新办理): registered proposals re-handled at least once.
 * - assignmentAccuracy (交办准确率) = assigned proposals never reassigned / assigned.
 * - assignment (from the events; null without them): of the assigned proposals, how many were first
 *   assigned by keyword (ProposalAssigned by 'keywords') or by the office ('office', e.g. from
 *   triage), and how many had a change of units that granted a unit's objection (申请调整: the
 *   change removed the objecting unit or changed its role while the objection was pending).
 * - acknowledgeOnTimeRate (按时签收率) = unit assignments (lead or co) acknowledged by the
 *   unit's acknowledgement deadline (its own, after the office declined its objection) / unit
 *   assignments acknowledged or past that deadline (a pending objection owes no 签收 yet).
 * - byUnit, per unit as lead: assigned, closed, replyDue, onTime, satisfied (满意 + 基本满意) and
 *   dissatisfied (last ratings); co = proposals it is co-unit of; overdue = proposals (lead or co) where the unit
 *   itself owes an obligation past its deadline now.
 * - overdue: every open unit obligation past its deadline now (超期清单), most overdue first.
 * - reminders / escalations (催办 1, 督办 2, 报分管领导 3): counted from the events when given.
 * - supervisions (督办记录: the office's 实地督查 / 电话督办 / 座谈) of the registered proposals, in all
 *   and per mode; byUnit[].supervisions per unit supervised (lead or co).
 * - withdrawn (撤案): proposals withdrawn by their proposers; like rejected and merged, not cases.
 * Rates are 0..1, or null when their denominator is 0.
 */
import type { DomainEvent, ReplyClass, Satisfaction } from '#events/domain-events.ts';
import { objectionPending, type Proposal } from '#domain/proposal.ts';
import { acknowledgeDeadline, openObligations } from '#domain/obligations.ts';
import { latestApproved } from '#domain/workflow.ts';

export interface UnitRow {
  unit: string;
  assigned: number;
  co: number;
  closed: number;
  completionRate: number | null;
  replyDue: number;
  onTime: number;
  onTimeRate: number | null;
  overdue: number;
  /** 满意 + 基本满意 (each proposer's last rating). */
  satisfied: number;
  dissatisfied: number;
  /** 督办记录 of this unit. */
  supervisions: number;
}

export interface OverdueItem {
  id: string;
  number: string;
  title: string;
  unit: string;
  role: 'lead' | 'co';
  obligation: string;
  deadline: string;
  daysOverdue: number;
}

export interface Statistics {
  year: number;
  asOf: string;
  total: number;
  registered: number;
  rejected: number;
  merged: number;
  pendingReview: number;
  assigned: number;
  closed: number;
  completionRate: number | null;
  replyDue: number;
  onTime: number;
  onTimeRate: number | null;
  rated: number;
  ratings: Record<Satisfaction, number>;
  satisfactionRate: number | null;
  faceToFace: number;
  faceToFaceRate: number | null;
  classes: Record<ReplyClass, number>;
  rehandled: number;
  neverReassigned: number;
  assignmentAccuracy: number | null;
  assignment: { byKeywords: number; byOffice: number; changedOnObjection: number } | null;
  acknowledgements: number;
  acknowledgedOnTime: number;
  acknowledgeOnTimeRate: number | null;
  followUpOpen: number;
  withdrawn: number;
  supervisions: { total: number; onsite: number; phone: number; meeting: number };
  reminders: number | null;
  escalations: Record<'1' | '2' | '3', number> | null;
  byUnit: UnitRow[];
  overdue: OverdueItem[];
}

const DAY_MS = 86_400_000;
const rate = (n: number, d: number) => (d === 0 ? null : n / d);

/** Cases proper: not rejected, not merged into another, not waiting for review. */
export const isRegistered = (p: Proposal) => !['submitted', 'rejected', 'merged', 'withdrawn'].includes(p.status);

/** Each proposer's last rating of the proposal (over all its replies). */
export function lastRatings(p: Pick<Proposal, 'feedback'>): Satisfaction[] {
  const last = new Map<string, { n: number; at: string; s: Satisfaction }>();
  for (const f of p.feedback) {
    const prev = last.get(f.memberId);
    if (!prev || f.n > prev.n || (f.n === prev.n && f.at >= prev.at)) last.set(f.memberId, { n: f.n, at: f.at, s: f.satisfaction });
  }
  return [...last.values()].map((x) => x.s);
}

/** 'on_time' | 'late' | undefined (the reply is not due yet). */
export function replyTimeliness(p: Proposal, now: Date): 'on_time' | 'late' | undefined {
  const deadline = p.deadlines.reply;
  if (!p.lead || !deadline) return undefined;
  const first = p.replies.find((r) => r.status === 'approved');
  if (first?.decidedAt) return Date.parse(first.decidedAt) <= Date.parse(deadline) ? 'on_time' : 'late';
  return Date.parse(deadline) < now.getTime() ? 'late' : undefined;
}

export function computeStatistics(
  year: number,
  all: readonly Proposal[],
  now: Date,
  events?: ReadonlyMap<string, readonly DomainEvent[]>,
): Statistics {
  const proposals = all.filter((p) => p.year === year);
  const cases = proposals.filter(isRegistered);
  const assigned = cases.filter((p) => p.lead);
  const units = new Map<string, UnitRow>();
  const row = (unit: string) => {
    let r = units.get(unit);
    if (!r)
      units.set(
        unit,
        (r = {
          unit,
          assigned: 0,
          co: 0,
          closed: 0,
          completionRate: null,
          replyDue: 0,
          onTime: 0,
          onTimeRate: null,
          overdue: 0,
          satisfied: 0,
          dissatisfied: 0,
          supervisions: 0,
        }),
      );
    return r;
  };
  const ratings: Record<Satisfaction, number> = { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 };
  const classes: Record<ReplyClass, number> = { A: 0, B: 0, C: 0, D: 0 };
  const overdue: OverdueItem[] = [];
  const supervisions = { total: 0, onsite: 0, phone: 0, meeting: 0 };
  let [replyDue, onTime, acknowledgements, acknowledgedOnTime] = [0, 0, 0, 0];

  for (const p of cases) {
    const rated = lastRatings(p);
    for (const s of rated) ratings[s]++;
    const cls = latestApproved(p)?.replyClass;
    if (cls) classes[cls]++;
    for (const [unit, u] of Object.entries(p.units)) {
      const deadline = acknowledgeDeadline(p, u);
      if (!deadline) continue;
      // A unit whose objection (申请调整) waits for the office owes no 签收 yet.
      if (u.acknowledgedAt || (Date.parse(deadline) < now.getTime() && !objectionPending(u))) acknowledgements++;
      if (u.acknowledgedAt && u.acknowledgedAt <= deadline) acknowledgedOnTime++;
      if (u.role === 'co') row(unit).co++;
    }
    for (const x of p.supervisions) {
      supervisions.total++;
      supervisions[x.mode]++;
      row(x.unit).supervisions++;
    }
    const late = new Set<string>();
    for (const o of openObligations(p)) {
      if (!o.unit || Date.parse(o.deadline) >= now.getTime()) continue;
      late.add(o.unit);
      const role = p.units[o.unit]?.role ?? 'lead';
      const daysOverdue = Math.floor((now.getTime() - Date.parse(o.deadline)) / DAY_MS);
      overdue.push({
        id: p.id,
        number: p.number,
        title: p.title,
        unit: o.unit,
        role,
        obligation: o.obligation,
        deadline: o.deadline,
        daysOverdue,
      });
    }
    for (const unit of late) row(unit).overdue++;
    if (!p.lead) continue;
    const lead = row(p.lead);
    lead.assigned++;
    if (p.status === 'closed') lead.closed++;
    const timely = replyTimeliness(p, now);
    if (timely) {
      replyDue++;
      lead.replyDue++;
    }
    if (timely === 'on_time') {
      onTime++;
      lead.onTime++;
    }
    lead.satisfied += rated.filter((s) => s !== 'dissatisfied').length;
    lead.dissatisfied += rated.filter((s) => s === 'dissatisfied').length;
  }

  const byUnit = [...units.values()]
    .map((r) => ({ ...r, completionRate: rate(r.closed, r.assigned), onTimeRate: rate(r.onTime, r.replyDue) }))
    .sort((a, b) => b.assigned - a.assigned || a.unit.localeCompare(b.unit));
  overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.number.localeCompare(b.number));
  const closed = cases.filter((p) => p.status === 'closed').length;
  const rated = ratings.satisfied + ratings.basically_satisfied + ratings.dissatisfied;
  const faceToFace = assigned.filter((p) => p.contacts.some((c) => c.mode === 'face_to_face')).length;
  const neverReassigned = assigned.filter((p) => p.reassignments === 0).length;
  const flat = events ? [...events.values()].flat() : undefined;
  return {
    year,
    asOf: now.toISOString(),
    total: proposals.length,
    registered: cases.length,
    rejected: proposals.filter((p) => p.status === 'rejected').length,
    merged: proposals.filter((p) => p.status === 'merged').length,
    pendingReview: proposals.filter((p) => p.status === 'submitted').length,
    assigned: assigned.length,
    closed,
    completionRate: rate(closed, cases.length),
    replyDue,
    onTime,
    onTimeRate: rate(onTime, replyDue),
    rated,
    ratings,
    satisfactionRate: rate(ratings.satisfied + ratings.basically_satisfied, rated),
    faceToFace,
    faceToFaceRate: rate(faceToFace, assigned.length),
    classes,
    rehandled: cases.filter((p) => p.rehandles > 0).length,
    neverReassigned,
    assignmentAccuracy: rate(neverReassigned, assigned.length),
    assignment: events ? assignmentCounts(assigned, events) : null,
    acknowledgements,
    acknowledgedOnTime,
    acknowledgeOnTimeRate: rate(acknowledgedOnTime, acknowledgements),
    followUpOpen: cases.filter((p) => p.followUp?.open).length,
    withdrawn: proposals.filter((p) => p.status === 'withdrawn').length,
    supervisions,
    reminders: flat ? flat.filter((e) => e.type === 'ReminderDue').length : null,
    escalations: flat ? escalationCounts(flat) : null,
    byUnit,
    overdue,
  };
}

function assignmentCounts(
  assigned: readonly Proposal[],
  events: ReadonlyMap<string, readonly DomainEvent[]>,
): NonNullable<Statistics['assignment']> {
  const out = { byKeywords: 0, byOffice: 0, changedOnObjection: 0 };
  for (const p of assigned) {
    const log = events.get(p.id) ?? [];
    const first = log.find((e) => e.type === 'ProposalAssigned');
    if (first?.type === 'ProposalAssigned') out[first.data.by === 'keywords' ? 'byKeywords' : 'byOffice']++;
    if (changedOnObjection(log)) out.changedOnObjection++;
  }
  return out;
}

/** Some change of units removed a unit, or changed its role, while its objection was pending (kept units are declined). */
function changedOnObjection(log: readonly DomainEvent[]): boolean {
  const pending = new Set<string>();
  for (const e of log) {
    if (e.type === 'UnitObjected') pending.add(e.data.unit);
    else if (e.type === 'ObjectionDeclined') pending.delete(e.data.unit);
    else if (e.type === 'AssignmentChanged') {
      const { lead, co, previous } = e.data;
      if ([...pending].some((u) => (previous.lead === u ? lead !== u : !co.includes(u)))) return true;
    }
  }
  return false;
}

function escalationCounts(events: readonly DomainEvent[]): Record<'1' | '2' | '3', number> {
  const out = { '1': 0, '2': 0, '3': 0 };
  for (const e of events) {
    if (e.type !== 'Escalated') continue;
    const level = e.data.level >= 3 ? '3' : e.data.level === 2 ? '2' : '1';
    out[level]++;
  }
  return out;
}
