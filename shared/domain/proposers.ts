/**
 * Proposers (提案人) as a proposal keeps them: a snapshot of the directory at submission (name,
 * email, mobile, 界别), and each co-proposer's 联名确认. Pure.
 */
import type { Proposer } from '#events/domain-events.ts';
import type { Member } from '#domain/member.ts';

/**
 * A proposer counts (the proposal is theirs: they get its replies and rating links, and are asked
 * to rate) unless they are a co-proposer who has not confirmed yet. An older proposal has no
 * `cosign` on its proposers: they all count.
 */
export const counts = (x: Pick<Proposer, 'cosign'>): boolean => x.cosign !== 'pending';

/** The proposers who count (see `counts`). */
export function confirmedProposers<T extends Pick<Proposer, 'cosign'>>(p: { proposers: readonly T[] }): T[] {
  return p.proposers.filter(counts);
}

/**
 * The proposers as stored, from the directory: the first (the contact member of a 集体提案, or the
 * member who submits) counts at once; each co-proposer confirms first when the city asks for it.
 */
export function proposersFromDirectory(members: readonly Member[], confirm: boolean): Proposer[] {
  return members.map((m, i) => ({
    memberId: m.memberId,
    name: m.name,
    email: m.email ?? '',
    ...(m.mobile ? { mobile: m.mobile } : {}),
    sector: m.sector,
    ...(i > 0 && confirm ? { cosign: 'pending' as const } : {}),
  }));
}
