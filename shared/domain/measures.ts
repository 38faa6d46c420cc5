/**
 * The measures (办理指标), each defined once, per proposal: what the statistics (statistics.ts), the
 * 通报 (bulletin.ts), the unit assessment (assessment.ts), the annual report and the console count.
 * docs/reports.md says the same in words. Pure: a proposal (and "now", a calendar) in, a fact out.
 *
 * - a case (立案): not waiting for review, not rejected, merged (counted through its main) or withdrawn;
 * - answered (已办复): the proposal has an approved reply (it reached the proposers);
 * - the unit's reply (unitReply): the first round-1 reply that was approved, else the one that left
 *   the unit and waits for 会签 or the office's review; a returned reply does not count (the unit
 *   answers again). It left the unit at `signedAt` (签发, or the submission where the city has no 签发
 *   step; older replies without `signedAt`: their submission);
 * - 按时办复 (replyTimeliness): that reply left the unit on or before `deadlines.reply` (extensions move
 *   it; a changed lead has its own): on time; after it, or no such reply and the deadline passed: late;
 *   else not due yet. The office's review is not counted: it has its own deadline (officeReviews);
 * - 面商 (metInPerson): the LEAD unit met the proposers: a face_to_face or visit contact of p.lead;
 *   沟通 (contacted): any contact by any unit;
 * - ratings: each proposer's last rating of the proposal's replies (after 重新办理 the new one counts);
 *   the ratings of a 二次答复 (`second`) are counted apart (secondRatings);
 * - asked to rate: the confirmed proposers of an answered proposal;
 * - 二次答复 (secondReply): a proposal closed with a follow-up class (config replies.classes) owes one,
 *   counted once its follow-up ended (with a final report, followUp.secondReply: given; capped: not)
 *   or is open past its deadline (not given);
 * - 分办 (several lead units, parts.ts): each part counts for its own unit as a proposal of its own
 *   (partsOf: its reply, its ratings, its deadlines, its follow-up); the proposal is answered when every
 *   part is, on time when every part was, met in person when every lead unit met the proposers; each
 *   proposer is asked to rate every part, and every part's rating counts;
 * - 界别 (sectorOf): a 界别 集体提案's own 界别, else the first proposer's 界别 (snapshot at submission,
 *   or from the directory); 主题 (themeKey): the proposal's category.
 */
import type { Satisfaction } from '#events/domain-events.ts';
import type { Proposal, Reply } from '#domain/proposal.ts';
import type { WorkingCalendar } from '#domain/calendar.ts';
import { acknowledgeDeadline } from '#domain/obligations.ts';
import { objectionPending } from '#domain/proposal.ts';
import { confirmedProposers } from '#domain/proposers.ts';
import { isSplit, partsOf } from '#domain/parts.ts';

/** Cases proper: not rejected, not merged into another, not withdrawn, not waiting for review. */
export const isRegistered = (p: Proposal) => !['submitted', 'rejected', 'merged', 'withdrawn'].includes(p.status);

/** 已办复: some reply was approved and sent to the proposers (分办: every part's). */
export const isAnswered = (p: Proposal): boolean =>
  isSplit(p) ? partsOf(p).every(isAnswered) : p.replies.some((r) => r.status === 'approved');

/** When a reply left the unit (签发): `signedAt`; an older reply that reached the office without one: its submission. */
export function leftUnitAt(r: Reply): string | undefined {
  if (r.signedAt) return r.signedAt;
  return r.status === 'review' || r.status === 'approved' ? r.submittedAt : undefined;
}

/** The lead unit's answer (round 1) that 按时办复 times: the first approved, else one that left the unit and waits. */
export function unitReply(p: Proposal): Reply | undefined {
  const first = p.replies.filter((r) => r.round === 1);
  return (
    first.find((r) => r.status === 'approved') ??
    first.find((r) => (r.status === 'countersign' || r.status === 'review') && leftUnitAt(r) !== undefined)
  );
}

/** 按时办复: 'on_time' | 'late', or undefined while the reply is not due yet (or the proposal has no lead). */
export function replyTimeliness(p: Proposal, now: Date): 'on_time' | 'late' | undefined {
  if (isSplit(p)) {
    const parts = partsOf(p).map((x) => replyTimeliness(x, now));
    return parts.includes('late') ? 'late' : parts.every((t) => t === 'on_time') ? 'on_time' : undefined;
  }
  const deadline = p.deadlines.reply;
  if (!p.lead || !deadline) return undefined;
  const reply = unitReply(p);
  const left = reply && leftUnitAt(reply);
  if (left) return Date.parse(left) <= Date.parse(deadline) ? 'on_time' : 'late';
  return Date.parse(deadline) < now.getTime() ? 'late' : undefined;
}

/** Contact modes that count as meeting the proposers (面商: 当面协商, 走访). */
export const inPersonModes: readonly string[] = ['face_to_face', 'visit'];

/** 面商: the lead unit met the proposers (face to face, or visited them). */
export const metInPerson = (p: Proposal): boolean =>
  isSplit(p) ? partsOf(p).every(metInPerson) : !!p.lead && p.contacts.some((c) => c.unit === p.lead && inPersonModes.includes(c.mode));

/** 沟通: any unit contacted the proposers in any way. */
export const contacted = (p: Proposal) => p.contacts.length > 0;

type Rated = Pick<Proposal, 'feedback'> & { replies?: readonly { n: number; unit: string }[] };

/** Each proposer's last rating of each unit's replies (分办: a rating per part; not of a 二次答复), by member id and unit. */
function lastBy(p: Rated, second: boolean): Map<string, Satisfaction> {
  const last = new Map<string, { n: number; at: string; s: Satisfaction }>();
  const unitOf = new Map((p.replies ?? []).map((r) => [r.n, r.unit]));
  for (const f of p.feedback) {
    if (!!f.second !== second) continue;
    const key = `${f.memberId}#${unitOf.get(f.n) ?? ''}`;
    const prev = last.get(key);
    if (!prev || f.n > prev.n || (f.n === prev.n && f.at >= prev.at)) last.set(key, { n: f.n, at: f.at, s: f.satisfaction });
  }
  return new Map([...last].map(([m, x]) => [m, x.s]));
}

/** Each proposer's last rating of the proposal's replies (after 重新办理 the new one counts); 二次答复 ratings apart. */
export const lastRatings = (p: Rated): Satisfaction[] => [...lastBy(p, false).values()];

/** Each proposer's last rating of the proposal's 二次答复 (分办: of each part's). */
export const secondRatings = (p: Rated): Satisfaction[] => [...lastBy(p, true).values()];

/** 评价反馈: the proposers asked to rate, i.e. the confirmed proposers of an answered proposal (分办: once per part). */
export const askedToRate = (p: Proposal): number =>
  isSplit(p) ? partsOf(p).reduce((n, x) => n + askedToRate(x), 0) : isAnswered(p) ? confirmedProposers(p).length : 0;

/** 按时签收 per unit assignment (lead or co): due (acknowledged, or past its deadline with no objection pending) and on time. */
export function acknowledgements(p: Proposal, now: Date): { unit: string; due: boolean; onTime: boolean }[] {
  const out: { unit: string; due: boolean; onTime: boolean }[] = [];
  for (const [unit, u] of Object.entries(p.units)) {
    const deadline = acknowledgeDeadline(p, u);
    if (!deadline) continue;
    // A unit whose objection (申请调整) waits for the office owes no 签收 yet.
    const due = !!u.acknowledgedAt || (Date.parse(deadline) < now.getTime() && !objectionPending(u));
    out.push({ unit, due, onTime: !!u.acknowledgedAt && u.acknowledgedAt <= deadline });
  }
  return out;
}

/** The class of the proposal's last approved reply. */
export function lastClass(p: Proposal): string | undefined {
  return [...p.replies].reverse().find((r) => r.status === 'approved')?.replyClass;
}

/**
 * 二次答复 of a proposal closed with a class the city follows up: counted once its follow-up ended
 * (given: with a final report; not given: capped) or is still open past its deadline (not given);
 * while open within its deadline it is not counted yet.
 */
export function secondReply(p: Proposal, followUpClasses: ReadonlySet<string>, now: Date): { due: boolean; given: boolean } {
  if (isSplit(p)) {
    const due = partsOf(p)
      .map((x) => secondReply(x, followUpClasses, now))
      .filter((x) => x.due);
    return { due: due.length > 0, given: due.length > 0 && due.every((x) => x.given) };
  }
  const cls = lastClass(p);
  if (p.status !== 'closed' || cls === undefined || !followUpClasses.has(cls)) return { due: false, given: false };
  const given = !!p.followUp?.secondReply;
  const late = !!p.followUp?.open && !!p.deadlines.followUp && Date.parse(p.deadlines.followUp) < now.getTime();
  return { due: given || !p.followUp?.open || late, given };
}

/** Reviews (审核) by the office of the proposal's replies: when each started, its deadline, when decided, and whether late. */
export function officeReviews(
  p: Proposal,
  now: Date,
): { n: number; from: string; by?: string; decidedAt?: string; open: boolean; late: boolean }[] {
  const out = [];
  for (const r of p.replies) {
    // Older replies went straight to the office on submission, with no deadline for the review.
    const from = r.reviewFrom ?? (!r.signedAt && r.status !== 'draft' && r.status !== 'signing' ? r.submittedAt : undefined);
    if (!from) continue;
    const open = r.status === 'review';
    const decidedAt = open ? undefined : r.decidedAt;
    if (!open && !decidedAt) continue;
    const late = !!r.reviewBy && Date.parse(decidedAt ?? now.toISOString()) > Date.parse(r.reviewBy);
    out.push({ n: r.n, from, ...(r.reviewBy ? { by: r.reviewBy } : {}), ...(decidedAt ? { decidedAt } : {}), open, late });
  }
  return out;
}

/** What working time needs of the city's calendar. */
export type DayCalendar = Pick<WorkingCalendar, 'localDate' | 'isWorkday'>;

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Working days from one instant to a later one: the working days after the first's local date, up to the second's (same day: 0). */
export function workdaysBetween(calendar: DayCalendar, from: string, to: string): number {
  const end = calendar.localDate(new Date(to));
  let [day, n] = [calendar.localDate(new Date(from)), 0];
  while (day < end) {
    day = nextDay(day);
    if (calendar.isWorkday(day)) n++;
  }
  return n;
}

/** The 界别 a proposal counts under. */
export function sectorOf(p: Proposal, directory?: ReadonlyMap<string, string>): string | undefined {
  if (p.collective?.kind === 'sector') return p.collective.name;
  const first = p.proposers[0];
  return first?.sector ?? (first ? directory?.get(first.memberId) : undefined);
}

/** The 主题 a proposal counts under: its category. */
export const themeKey = (p: Proposal): string | undefined => p.category;
