/**
 * React to one domain event (the reactor's use case).
 * 1. ProposalSubmitted: record similar proposals; with review auto, register and assign by keyword.
 * 2. Every event: put the notices it causes on the notices queue (deterministic ids).
 * Safe to repeat: each step checks the current state or relies on the notice id for de-duplication.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { AppState } from '#app/state.ts';
import { onSubmitted } from '#app/on-submitted.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';

export async function react(s: AppState, event: DomainEvent): Promise<void> {
  const proposal = event.type === 'ProposalSubmitted' ? await onSubmitted(s, event.proposalId) : await s.proposals.get(event.proposalId);
  if (!proposal) return;
  s.similar.note(proposal);
  const notices = noticesForEvent(s, event, proposal);
  if (notices.length) await s.notices.send(notices);
}
