/**
 * The notices of the committee's and the key proposals' events (notices-for-event.ts asks here):
 * - KeyProposalSet: the leading leader named (重点提案领办通知), and the one who no longer leads it;
 * - InstructionGiven: each unit it went to (领导批示), with the acknowledgement deadline;
 * - InstructionAcknowledged: the instructing leader (批示已签收);
 * - ReturnedToCommittee: the committee (when the city gives its address), and each unit that loses it.
 * Ids are `<eventId>/<kind>/<recipient>`, as every notice's.
 */
import type { EventOf } from '#events/domain-events.ts';
import { noticeMaker, type Notice, type Recipient } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';

type Deps = Pick<AppState, 'calendar' | 'config'>;
type KeyEvent = EventOf<'KeyProposalSet' | 'InstructionGiven' | 'InstructionAcknowledged' | 'ReturnedToCommittee'>;

export function keyProposalNotices(s: Deps, event: KeyEvent, p: Proposal): Notice[] {
  const base = { number: p.number, title: p.title, proposalId: p.id };
  const notice = noticeMaker(event, p.id);
  const leader = (name: string): Recipient => ({ kind: 'leader', name });
  switch (event.type) {
    case 'KeyProposalSet': {
      const { key, leader: now, previous } = event.data;
      const out: Notice[] = [];
      if (now && now !== previous.leader) out.push(notice('keyProposal', now, [leader(now)], { ...base, key, leader: now, change: 'set' }));
      if (previous.leader && previous.leader !== now)
        out.push(
          notice('keyProposal', previous.leader, [leader(previous.leader)], { ...base, key, leader: previous.leader, change: 'cleared' }),
        );
      return out;
    }
    case 'InstructionGiven': {
      const { n, leader: by, text, units, deadline } = event.data;
      const day = s.calendar.localDate(new Date(deadline));
      return units.map((unit) =>
        notice('instruction', unit, [{ kind: 'unit', unit }], { ...base, unit, leader: by, text, n, deadline: day }),
      );
    }
    case 'InstructionAcknowledged': {
      const { n, unit } = event.data;
      const by = p.instructions.find((i) => i.n === n)?.leader;
      return by ? [notice('instructionAcknowledged', unit, [leader(by)], { ...base, unit, leader: by, n })] : [];
    }
    case 'ReturnedToCommittee': {
      const { reason, previous } = event.data;
      const units = [...(previous.lead ? [[previous.lead, 'lead'] as const] : []), ...previous.co.map((u) => [u, 'co'] as const)];
      return [
        ...(s.config.email.committee.length
          ? [notice('returnedToCommittee', 'committee', [{ kind: 'committee' }], { ...base, reason })]
          : []),
        ...units.map(([unit, role]) =>
          notice('reassignment', unit, [{ kind: 'unit', unit }], {
            ...base,
            unit,
            change: 'removed',
            role,
            reason: `已退回提案委员会：${reason}`,
          }),
        ),
      ];
    }
  }
}
