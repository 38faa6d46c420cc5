/**
 * Which notices (通知) an event causes, and to whom. Pure given the proposal and the config.
 * Notice ids are `<eventId>/<kind>/<recipient>`: the same event always yields the same ids, so a
 * repeated stream delivery produces duplicates the mailer recognises and does not send.
 */
import type { DomainEvent } from '#events/domain-events.ts';
import type { Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';

export function noticesForEvent(s: Pick<AppState, 'calendar'>, event: DomainEvent, p: Proposal): Notice[] {
  const base = { number: p.number, title: p.title, proposalId: p.id };
  const day = (iso: string | undefined) => (iso ? s.calendar.localDate(new Date(iso)) : undefined);
  switch (event.type) {
    case 'ProposalAssigned': {
      const { lead, co, matches, deadlines } = event.data;
      return [lead, ...co].map((unit) => ({
        id: `${event.eventId}/assignment/${unit}`,
        kind: 'assignment',
        proposalId: p.id,
        recipients: [{ kind: 'unit', unit }],
        vars: {
          ...base,
          unit,
          role: unit === lead ? 'lead' : 'co',
          deadlines: { acknowledge: day(deadlines.acknowledge), reply: unit === lead ? day(deadlines.reply) : undefined },
          matchedKeywords: matches.find((m) => m.unit === unit)?.keywords ?? [],
          proposers: p.proposers.map((x) => x.name),
        },
        createdAt: event.at,
      }));
    }
    case 'ProposalTriaged':
      return [
        {
          id: `${event.eventId}/triage/office`,
          kind: 'triage',
          proposalId: p.id,
          recipients: [{ kind: 'office' }],
          vars: { ...base, reason: event.data.reason },
          createdAt: event.at,
        },
      ];
    default:
      return [];
  }
}
