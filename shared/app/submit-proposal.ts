/**
 * Submit a proposal (提交提案).
 * 1. Allocate the year's next case number (案号) from the city's numbering pattern.
 * 2. Write the proposal (status submitted) and its ProposalSubmitted event in one transaction.
 * Registration and assignment follow in the reactor, on that event.
 */
import { randomUUID } from 'node:crypto';
import type { Actor, Proposer } from '#events/domain-events.ts';
import { formatCaseNumber, proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';
import { commit } from '#domain/commit.ts';
import type { AppState } from '#app/state.ts';
import type { Collective } from '#domain/collective.ts';

export interface SubmitInput {
  title: string;
  body: string;
  proposers: Proposer[];
  category?: string;
  key?: boolean;
  collective?: Collective;
}

export async function submitProposal(
  s: Pick<AppState, 'config' | 'clock' | 'calendar' | 'schedule' | 'proposals'>,
  input: SubmitInput,
  actor: Actor,
): Promise<Proposal> {
  const now = s.clock.now();
  const at = now.toISOString();
  const year = Number(s.calendar.localDate(now).slice(0, 4));
  const id = randomUUID();
  const { proposal } = await s.proposals.create(year, (seq) => {
    const number = formatCaseNumber(s.config.numbering, year, seq);
    const proposal = proposalSchema.parse({
      id,
      number,
      year,
      seq,
      title: input.title,
      body: input.body,
      ...(input.category ? { category: input.category } : {}),
      key: input.key ?? false,
      ...(input.collective ? { collective: input.collective } : {}),
      proposers: input.proposers,
      submittedBy: actor,
      status: 'submitted',
      co: [],
      matches: [],
      deadlines: {},
      escalationLevel: 0,
      version: 0,
      createdAt: at,
      updatedAt: at,
    } satisfies ProposalInput);
    return commit(
      undefined,
      { next: proposal, events: [{ type: 'ProposalSubmitted', at, actor, data: { number, title: input.title, year } }] },
      s.schedule,
    );
  });
  return proposal;
}
