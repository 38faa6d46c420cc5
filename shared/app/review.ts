/**
 * Review (审查, by the office or the committee as the city config says; the route checks which):
 * register (立案, then assignment by keyword), reject (不予立案) or merge (并案) into another proposal. Merge is two commands: the merged proposal first (it is the one whose status
 * must allow it), then the main proposal takes its proposers.
 */
import type { Actor } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import { absorb, merge, register, reject, WorkflowConflict } from '#domain/workflow.ts';
import { statusNames } from '#domain/glossary.ts';
import { NotFound, InvalidInput } from '#app/errors.ts';
import type { AppState } from '#app/state.ts';
import { runCommand } from '#app/run-command.ts';

export type ReviewInput = { decision: 'register' | 'reject' | 'merge'; reason?: string; mergeInto?: string };
type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'matcher' | 'proposals'>;

export async function reviewProposal(s: Deps, id: string, actor: Actor, input: ReviewInput): Promise<Proposal> {
  switch (input.decision) {
    case 'register':
      return runCommand(s, id, actor, (p, ctx) => {
        if (p.status !== 'submitted') throw new WorkflowConflict(`提案当前状态为「${statusNames[p.status]}」，不能立案`, p.status);
        return register(
          p,
          ctx,
          s.matcher.assign(p.title, p.body, s.config.assignment),
          actor.role === 'committee' ? 'committee' : 'manual',
        );
      });
    case 'reject':
      return runCommand(s, id, actor, (p, ctx) => reject(p, ctx, input.reason ?? ''));
    case 'merge': {
      const mainId = input.mergeInto ?? '';
      if (mainId === id) throw new InvalidInput([{ path: 'mergeInto', message: '提案不能并入自身' }]);
      const main = await s.proposals.get(mainId);
      if (!main) throw new NotFound(`主提案 ${mainId}（mergeInto）`);
      const merged = await runCommand(s, id, actor, (p, ctx) => merge(p, main, ctx, input.reason));
      await runCommand(s, mainId, actor, (m, ctx) => absorb(m, merged, ctx));
      return merged;
    }
  }
}
