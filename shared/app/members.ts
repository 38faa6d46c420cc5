/**
 * The member directory's use cases (委员名册): list and filter it, create or replace a member, and
 * the check every member token passes (only an active member in the directory may act).
 */
import { filterMembers, signInProblem, type Member } from '#domain/member.ts';
import type { AppState } from '#app/state.ts';
import { Forbidden } from '#app/errors.ts';

type Deps = Pick<AppState, 'members' | 'clock'>;

/** The directory, filtered (界别, 在任, text), in memberId order; and every 界别 in it (for the filter). */
export async function listMembers(
  s: Pick<AppState, 'members'>,
  f: { sector?: string; active?: boolean; q?: string },
): Promise<{ items: Member[]; sectors: string[] }> {
  const all = await s.members.all();
  return { items: filterMembers(all, f), sectors: [...new Set(all.map((m) => m.sector))].sort((a, b) => a.localeCompare(b, 'zh')) };
}

/**
 * Creates or replaces a member (PUT is the whole record). Proposals keep the names and addresses
 * as of their submission: a change here reaches only later ones.
 * 1. Stamp the time. 2. Store. Answers the member and whether it was new.
 */
export async function putMember(s: Deps, member: Omit<Member, 'updatedAt'>): Promise<{ member: Member; created: boolean }> {
  const before = await s.members.get(member.memberId);
  const stored: Member = { ...member, updatedAt: s.clock.now().toISOString() };
  await s.members.put(stored);
  return { member: stored, created: before === undefined };
}

/** A member token acts only for an active member in the directory: else Forbidden (403) with the reason in Chinese. */
export async function requireActiveMember(s: Pick<AppState, 'members'>, memberId: string): Promise<Member> {
  const m = await s.members.get(memberId);
  const problem = signInProblem(memberId, m);
  if (problem || !m) throw new Forbidden(problem);
  return m;
}
