/**
 * Register and assign (立案 + 交办), run by the reactor on ProposalSubmitted when review is auto.
 * 1. Load the proposal; if it is no longer `submitted`, this event was handled already: do nothing.
 * 2. Score every unit by keyword (the matcher); the lead needs minScore, co-units coMinScore.
 * 3. One transaction: status registered -> assigned (with deadlines) or triage, plus the events
 *    ProposalRegistered and ProposalAssigned / ProposalTriaged.
 */
import type { Actor, NewEvent } from '#events/domain-events.ts';
import { transition, type Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { VersionConflict } from '#app/ports.ts';

const system: Actor = { role: 'system', sub: 'reactor' };

export async function registerAndAssign(s: Pick<AppState, 'config' | 'clock' | 'calendar' | 'matcher' | 'proposals'>, proposalId: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const p = await s.proposals.get(proposalId);
    if (!p || p.status !== 'submitted') return;
    const now = s.clock.now();
    const at = now.toISOString();
    const result = s.matcher.assign(p.title, p.body, s.config.assignment);
    const matches = result.scores.map((m) => ({ unit: m.unit, score: m.score, keywords: m.keywords }));
    const registered = transition(p, 'registered', at);
    const events: NewEvent[] = [{ type: 'ProposalRegistered', at, actor: system, data: { mode: 'auto' } }];
    let next: Proposal;
    if (result.lead) {
      const deadlines = assignmentDeadlines(s, now);
      next = { ...transition(registered, 'assigned', at), lead: result.lead, co: result.co, matches, deadlines };
      events.push({ type: 'ProposalAssigned', at, actor: system, data: { lead: result.lead, co: result.co, matches, by: 'keywords', deadlines } });
    } else {
      next = { ...transition(registered, 'triage', at), matches };
      const reason = matches.length
        ? `最高得分 ${matches[0]?.score ?? 0} 低于自动交办阈值 ${s.config.assignment.minScore}`
        : '未匹配到任何承办单位关键词';
      events.push({ type: 'ProposalTriaged', at, actor: system, data: { matches, reason } });
    }
    try {
      await s.proposals.save(next, p.version, events);
      return;
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // Someone changed it meanwhile (e.g. the office): look again.
    }
  }
}

/** Deadlines that start at assignment: 签收 (acknowledge), 申请调整 window (objection), 答复 (reply). */
export function assignmentDeadlines(s: Pick<AppState, 'config' | 'calendar'>, from: Date): Record<string, string> {
  const { acknowledge, objection, contact, reply } = s.config.policy;
  const out: Record<string, string> = {};
  for (const [name, d] of Object.entries({ acknowledge, objection, contact, reply })) {
    out[name] = s.calendar.addDuration(from, d).at.toISOString();
  }
  return out;
}
