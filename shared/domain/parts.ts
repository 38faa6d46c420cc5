/**
 * 分办: a proposal the office split between several lead units (主办), each answering its own part
 * (分办单位). Most proposals have one lead: one part, and every helper here reduces to the proposal
 * itself, so the single-lead path is the same code. Pure.
 *
 * A part's own deadlines and obligations are keyed `<name>#<unit>` (`reply#transport`), except the
 * first lead's, which keep the plain names (`reply`) that proposals had before 分办.
 *
 * A part is in round 1, or 2 after its 重新办理; its current reply is its last reply of that round
 * that was not returned. The part is
 * - open: no current reply, or one still in the unit (draft, waiting for 签发): the unit owes it;
 * - left: the current reply left the unit (会签 or the office's review);
 * - answered: the current reply was approved (sent to the proposers).
 * The proposal's status follows its parts (`settledStatus`): replied when every part is answered.
 */
import type { Proposal, Reply, Status } from '#domain/proposal.ts';

type FollowUp = NonNullable<Proposal['followUp']>;

/** The lead units, the first (`p.lead`, 主办) first. */
export const leadUnits = (p: Pick<Proposal, 'lead' | 'leads'>): string[] => (p.leads.length ? p.leads : p.lead ? [p.lead] : []);

/** Split between several lead units (分办). */
export const isSplit = (p: Pick<Proposal, 'leads'>): boolean => p.leads.length > 1;

/** The key of a part's own deadline or obligation. */
export const partKey = (p: Pick<Proposal, 'lead'>, name: string, unit: string): string => (unit === p.lead ? name : `${name}#${unit}`);

/** A part's deadline (`reply`, `contact`, `rehandle`, `followUp`, `countersign`). */
export const partDeadline = (p: Proposal, name: string, unit: string): string | undefined => p.deadlines[partKey(p, name, unit)];

/** The part's round: one more after each 重新办理 (older proposals: 2 once re-handled, read off the status and the replies). */
export function partRound(p: Proposal, unit: string): number {
  const own = p.units[unit]?.round;
  if (own !== undefined) return own;
  if (isSplit(p)) return 1;
  return p.status === 'rehandling' || p.replies.some((r) => r.unit === unit && r.round > 1) ? 2 : 1;
}

/** How many times the part was re-handled (the first lead of an older proposal: the proposal's count). */
export const partRehandles = (p: Proposal, unit: string): number =>
  p.units[unit]?.rehandles ?? (unit === p.lead && !isSplit(p) ? p.rehandles : 0);

/** The part's current reply: its last of the current round that was not returned. */
export function currentReply(p: Proposal, unit: string): Reply | undefined {
  const round = partRound(p, unit);
  return [...p.replies].reverse().find((r) => r.unit === unit && r.round === round && r.status !== 'returned');
}

export type PartState = 'open' | 'left' | 'answered';

export function partState(p: Proposal, unit: string): PartState {
  const r = currentReply(p, unit);
  if (!r || r.status === 'draft' || r.status === 'signing') return 'open';
  return r.status === 'approved' ? 'answered' : 'left';
}

/** The part's answer: its last approved reply (after 重新办理 the new one, once approved). */
export const partAnswer = (p: Proposal, unit: string): Reply | undefined =>
  [...p.replies].reverse().find((r) => r.unit === unit && r.status === 'approved');

/**
 * The status the parts give, once units handle the proposal: replied when every part is answered;
 * 答复审核中 when no part is open; else 办理中 while some part owes its first reply, 重新办理 when
 * only re-handled parts do.
 */
export function settledStatus(p: Proposal): Status {
  const units = leadUnits(p);
  const states = units.map((u) => partState(p, u));
  if (states.every((s) => s === 'answered')) return 'replied';
  if (states.every((s) => s !== 'open')) return 'reply_review';
  return units.some((u, i) => states[i] === 'open' && partRound(p, u) === 1) ? 'in_progress' : 'rehandling';
}

/** The part's 跟踪落实: the first lead's is `followUp` (as before 分办), the others' in `partFollowUps`. */
export const followUpOf = (p: Proposal, unit: string): FollowUp | undefined => (unit === p.lead ? p.followUp : p.partFollowUps[unit]);

export function withFollowUp(p: Proposal, unit: string, f: FollowUp): Proposal {
  return unit === p.lead ? { ...p, followUp: f } : { ...p, partFollowUps: { ...p.partFollowUps, [unit]: f } };
}

/** Some part's follow-up is still open. */
export const followUpOpen = (p: Proposal): boolean => leadUnits(p).some((u) => followUpOf(p, u)?.open === true);

/**
 * One part seen as a proposal of its own (the measures count per unit): that lead, its replies, the
 * ratings of those, its deadlines under the plain names and its follow-up. A single-lead proposal is
 * its own part.
 */
export function partView(p: Proposal, unit: string): Proposal {
  if (!isSplit(p)) return p;
  const replies = p.replies.filter((r) => r.unit === unit);
  const ns = new Set(replies.map((r) => r.n));
  const deadlines = { ...p.deadlines };
  for (const name of ['reply', 'contact', 'rehandle', 'followUp', 'countersign']) {
    const d = partDeadline(p, name, unit);
    if (d) deadlines[name] = d;
    else delete deadlines[name];
  }
  const followUp = followUpOf(p, unit);
  const { followUp: _, ...rest } = p;
  return {
    ...rest,
    lead: unit,
    leads: [],
    rehandles: partRehandles(p, unit),
    replies,
    feedback: p.feedback.filter((f) => ns.has(f.n)),
    contacts: p.contacts.filter((c) => c.unit === unit || !leadUnits(p).includes(c.unit)),
    deadlines,
    ...(followUp ? { followUp } : {}),
    partFollowUps: {},
  };
}

/** The parts of a proposal, each as a proposal (partView); one for a single lead, none before assignment. */
export const partsOf = (p: Proposal): Proposal[] => (isSplit(p) ? leadUnits(p).map((u) => partView(p, u)) : p.lead ? [p] : []);
