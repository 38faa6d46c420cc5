/**
 * React to one domain event (the reactor's use case).
 * 1. ProposalSubmitted: record similar proposals; with review auto, register and assign by keyword.
 * 2. Every event: put the notices it causes on the notices queue (deterministic ids).
 * Safe to repeat: each step checks the current state or relies on the notice id for de-duplication.
 *
 * An event that causes no notice whatever the proposal (mayCauseNotices) needs no current state:
 * the container remembers the states it stored or read, and such an event of a proposal seen at
 * its version or later (e.g. the registration the reactor itself wrote) is handled without a read.
 * Events that may cause notices always read the proposal (none sent for a proposal not stored).
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { onSubmitted } from '#app/on-submitted.ts';
import { mayCauseNotices, noticesForEvent } from '#app/notices-for-event.ts';

export async function react(s: AppState, event: DomainEvent): Promise<void> {
  const proposal = event.type === 'ProposalSubmitted' ? await onSubmitted(s, event.proposalId) : await storedSince(s, event);
  if (!proposal) return;
  remember(s.proposals, proposal);
  s.similar.note(proposal);
  const notices = noticesForEvent(s, event, proposal);
  if (notices.length) await s.notices.send(notices);
}

/** The proposal as stored: remembered (at the event's version or later) for an event that causes no notice, else read. */
async function storedSince(s: Pick<AppState, 'proposals'>, event: DomainEvent): Promise<Proposal | undefined> {
  const known = mayCauseNotices(event.type) ? undefined : seen.get(s.proposals)?.get(event.proposalId);
  return known && known.version >= event.seq ? known : s.proposals.get(event.proposalId);
}

/** Per store (one per container): the newest state seen of the most recently seen proposals. */
const seen = new WeakMap<object, Map<string, Proposal>>();
const SEEN_MAX = 1000;

function remember(store: object, p: Proposal): void {
  let m = seen.get(store);
  if (!m) seen.set(store, (m = new Map<string, Proposal>()));
  const known = m.get(p.id);
  if (known && known.version > p.version) return;
  m.delete(p.id); // re-inserted last: the oldest entry is evicted first
  m.set(p.id, p);
  if (m.size > SEEN_MAX) m.delete(m.keys().next().value ?? '');
}
