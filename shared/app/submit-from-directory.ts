/**
 * Submit a proposal whose proposers are named by id (提交提案, the HTTP API's way).
 * 1. Read the named members from the directory (one read); refuse an unknown or inactive member, or
 *    one without an email address, naming `proposers[i].memberId`.
 * 2. A member submitting is the first proposer (who counts at once); a 集体提案 names its contact
 *    member first.
 * 3. A member's daily submission limit (city config `submissions.dailyLimit`): beyond it, 429.
 * 4. Store it (submitProposal) with the names, addresses and 界别 as of now; co-proposers wait for
 *    their 联名确认 when the city asks for it (`cosign.confirm`).
 */
import type { Actor } from '#events/domain-events.ts';
import type { Identity } from '#domain/access.ts';
import { proposerProblem, type Member } from '#domain/member.ts';
import { proposersFromDirectory } from '#domain/proposers.ts';
import type { Collective } from '#domain/collective.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { InvalidInput, LimitReached, type FieldProblem } from '#app/errors.ts';
import { submitProposal } from '#app/submit-proposal.ts';

export interface DirectorySubmission {
  title: string;
  body: string;
  proposers: { memberId: string }[];
  category?: string;
  collective?: Collective;
}

export async function submitFromDirectory(
  s: Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals' | 'members'>,
  input: DirectorySubmission,
  who: Identity,
  actor: Actor,
): Promise<Proposal> {
  const ids = input.proposers.map((x) => x.memberId);
  const found = await s.members.getMany(ids);
  const problems: FieldProblem[] = [];
  const members: Member[] = [];
  ids.forEach((id, i) => {
    const m = found.get(id);
    const problem = proposerProblem(id, m);
    if (problem || !m) problems.push({ path: `proposers[${i}].memberId`, message: problem ?? '' });
    else members.push(m);
  });
  // The first proposer counts at once (no 联名确认): a member can only put themselves there.
  if (who.role === 'member' && ids[0] !== who.memberId)
    problems.push({ path: 'proposers[0].memberId', message: `委员本人提交提案时，第一提案人应为本人（${who.memberId}）` });
  if (problems.length) throw new InvalidInput(problems);

  const limit = s.config.submissions.dailyLimit;
  if (who.role === 'member' && limit !== undefined) {
    const day = s.calendar.localDate(s.clock.now());
    if (!(await s.members.countSubmission(who.memberId, day, limit)))
      throw new LimitReached(`每位委员每天最多提交 ${limit} 件提案，今天已达上限，请明天再提交`);
  }
  return submitProposal(
    s,
    {
      title: input.title,
      body: input.body,
      proposers: proposersFromDirectory(members, s.config.cosign.confirm),
      ...(input.category ? { category: input.category } : {}),
      ...(input.collective ? { collective: input.collective } : {}),
    },
    actor,
  );
}
