/**
 * On ProposalSubmitted (the reactor): find similar earlier proposals (merge candidates for the
 * office), then, with review auto, register it and assign it by keyword (立案 + 交办) — one
 * transaction via runCommand. Repeating it changes nothing: it acts only while status is submitted
 * and the similar list is not yet recorded.
 */
import type { Actor } from '#events/domain-events.ts';
import { similarProposals } from '#domain/similarity.ts';
import { register } from '#domain/workflow.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { runCommand } from '#app/run-command.ts';

const system: Actor = { role: 'system', sub: 'reactor' };

type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'matcher' | 'proposals' | 'index' | 'similar'>;

/** Returns the proposal as stored afterwards (undefined when there is none). */
export async function onSubmitted(s: Deps, proposalId: string): Promise<Proposal | undefined> {
  const p = await s.proposals.get(proposalId);
  if (!p || p.status !== 'submitted') return p;
  const earlier = await s.similar.before(s.index, p.year, p.seq);
  const similar = similarProposals(p, earlier, { threshold: 0.35, limit: 5 }).map(({ item, score }) => ({
    id: item.id,
    number: item.number,
    title: item.title,
    score: Math.round(score * 100) / 100,
  }));
  const auto = s.config.review === 'auto';
  return runCommand(
    s,
    proposalId,
    system,
    (current, ctx) => {
      const found =
        similar.length && current.similar.length === 0
          ? {
              next: { ...current, similar },
              events: [{ type: 'SimilarProposalsFound' as const, at: ctx.at, actor: ctx.actor, data: { similar } }],
            }
          : { next: current, events: [] };
      if (!auto) return found;
      const registered = register(found.next, ctx, s.matcher.assign(current.title, current.body, s.config.assignment), 'auto');
      return { next: registered.next, events: [...found.events, ...registered.events] };
    },
    p,
  );
}
