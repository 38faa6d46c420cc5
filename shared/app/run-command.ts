/**
 * The one way a command changes a proposal: load, decide (pure, shared/domain/workflow.ts), work out
 * what the decision writes (`commit`: events numbered, version, escalation level, timers), save that
 * in one transaction under the version the decision was made on.
 * When another writer got there first, load and decide again (up to a few times), so concurrent
 * legal commands all land and none is lost; an illegal one fails with the current status.
 */
import type { Actor } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { Ctx, Decision, Obligation } from '#domain/workflow.ts';
import { commit } from '#domain/commit.ts';
import { chineseDate, obligationNames } from '#domain/glossary.ts';
import { NotFound } from '#app/errors.ts';
import { VersionConflict } from '#app/ports.ts';
import type { AppState } from '#app/state.ts';
import { log } from '#shared/log.ts';

const MAX_ATTEMPTS = 5;
type Deps = Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>;

export function commandContext(s: Pick<AppState, 'config' | 'clock' | 'calendar'>, actor: Actor, warnings: string[] = []): Ctx {
  const now = s.clock.now();
  return {
    at: now.toISOString(),
    actor,
    due(obligation: Obligation) {
      const { at, uncovered } = s.calendar.addDuration(now, s.config.policy[obligation]);
      if (uncovered) {
        log.warn('calendar: deadline outside covered years', { obligation, deadline: at.toISOString() });
        warnings.push(
          `${obligationNames[obligation]}期限（${chineseDate(s.calendar.localDate(at))}）超出节假日数据覆盖年份，按周一至周五计算`,
        );
      }
      return at.toISOString();
    },
    replyWaitsForCoOpinions: s.config.replyWaitsForCoOpinions,
    maxRehandles: s.config.policy.maxRehandles,
    replies: s.config.replies,
  };
}

/**
 * Runs `decide` on the current proposal and saves the result; returns the stored proposal.
 * `loaded`: the proposal as the caller just read it, used for the first attempt (saves a read).
 * `counter`: a named counter whose next value `decide` may use (a 文号); when the decision says it
 * did (`counted`), the save moves the counter in the same transaction, so numbers have no gaps.
 */
export async function runCommand(
  s: Deps,
  id: string,
  actor: Actor,
  decide: (p: Proposal, ctx: Ctx, nextSeq: number) => Decision,
  loaded?: Proposal,
  counter?: string,
): Promise<Proposal> {
  for (let attempt = 1; ; attempt++) {
    const current = attempt === 1 && loaded?.id === id ? loaded : await s.proposals.get(id);
    if (!current) throw new NotFound(`提案 ${id}`);
    const seq = counter ? await s.proposals.counterValue(counter) : 0;
    const warnings: string[] = [];
    const { next, events, counted } = decide(current, commandContext(s, actor, warnings), seq + 1);
    if (events.length === 0) return current;
    const withWarnings = warnings.length ? { ...next, calendarWarnings: [...new Set([...next.calendarWarnings, ...warnings])] } : next;
    try {
      const c = commit(current, { next: withWarnings, events }, s.schedule);
      await s.proposals.save(counter && counted ? { ...c, counter: { name: counter, current: seq } } : c);
      return c.proposal;
    } catch (err) {
      if (!(err instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}
