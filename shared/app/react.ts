/**
 * React to one domain event (the reactor's use case).
 * 1. ProposalSubmitted: record similar proposals; with review auto, register and assign by keyword.
 * 2. Every event: put the notices it causes on the notices queue (deterministic ids).
 * Safe to repeat: each step checks the current state or relies on the notice id for de-duplication.
 *
 * The container remembers the states of proposals it stored or read, exactly as stored. An event of
 * a proposal seen at the event's version or later (e.g. the registration and assignment the reactor
 * itself wrote, stored in the same transaction as their events) is handled without a read: its
 * notices describe the proposal as it was when the event happened, or later. Any other event reads
 * the proposal (and causes nothing when it is not stored).
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';
import { onSubmitted } from '#app/on-submitted.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';

export async function react(s: AppState, event: DomainEvent): Promise<void> {
  const proposal = event.type === 'ProposalSubmitted' ? await onSubmitted(s, event.proposalId) : await storedSince(s, event);
  if (!proposal) return;
  remember(s.proposals, proposal);
  s.similar.note(proposal);
  const notices = noticesForEvent(s, event, proposal);
  if (notices.length) await s.notices.send(notices);
}

/** The proposal as stored at the event's version or later: remembered if this container saw it so, else read. */
async function storedSince(s: Pick<AppState, 'proposals'>, event: DomainEvent): Promise<Proposal | undefined> {
  const known = seen.get(s.proposals)?.get(event.proposalId);
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
