/**
 * 联名确认: a co-proposer confirms (or declines) that a proposal is also theirs. Pure, like the
 * decisions in workflow.ts. Until they accept they are not asked to rate and get no rating link;
 * declining removes them from the proposers.
 */
import { WorkflowConflict, type Ctx, type Decision } from '#domain/workflow.ts';
import type { Proposal } from '#domain/proposal.ts';

/** Statuses in which the proposal no longer takes a co-proposer's answer. */
const finished: readonly string[] = ['rejected', 'merged', 'closed', 'withdrawn'];

export function answerCosign(p: Proposal, ctx: Ctx, memberId: string, accept: boolean): Decision {
  const x = p.proposers.find((y) => y.memberId === memberId);
  if (!x) throw new WorkflowConflict(`委员 ${memberId} 不是本提案的联名提案人`, p.status);
  if (x.cosign !== 'pending') {
    if (accept) return { next: p, events: [] }; // already confirmed: a repeat changes nothing
    throw new WorkflowConflict('已确认联名的提案人不能再拒绝联名', p.status);
  }
  if (finished.includes(p.status))
    throw new WorkflowConflict(`提案已${p.status === 'closed' ? '办结' : '结束办理'}，不再需要联名确认`, p.status);
  const proposers = accept
    ? p.proposers.map((y) => (y.memberId === memberId ? { ...y, cosign: 'accepted' as const } : y))
    : p.proposers.filter((y) => y.memberId !== memberId);
  return {
    next: { ...p, proposers, updatedAt: ctx.at },
    events: [{ type: 'CosignAnswered', at: ctx.at, actor: ctx.actor, data: { memberId, name: x.name, accept } }],
  };
}

/** Whether `memberId` is a co-proposer still asked to confirm. */
export const cosignPending = (p: Proposal, memberId: string): boolean =>
  !finished.includes(p.status) && p.proposers.some((y) => y.memberId === memberId && y.cosign === 'pending');
