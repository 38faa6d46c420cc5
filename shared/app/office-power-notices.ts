/**
 * The notices of the office's powers and of a withdrawal (notices-for-event.ts asks here):
 * - ExtensionRequested: the office (延期申请, to decide by its deadline);
 * - ExtensionDecided: the lead unit that asked (延期审批结果);
 * - SupervisionRecorded: the supervised unit (督办记录);
 * - ProposalWithdrawn: each unit that had the proposal (撤案通知: stop handling it), and the office.
 * Ids are `<eventId>/<kind>/<recipient>`, as every notice's. (An office-ordered 重新办理 is a
 * RehandlingStarted, whose notice notices-for-event.ts makes.)
 */
import type { EventOf } from '#events/domain-events.ts';
import { noticeMaker, type Notice } from '#events/notices.ts';
import type { Proposal } from '#domain/proposal.ts';
import type { AppState } from '#app/state.ts';

type Deps = Pick<AppState, 'calendar'>;
export type OfficePowerEvent = EventOf<'ExtensionRequested' | 'ExtensionDecided' | 'SupervisionRecorded' | 'ProposalWithdrawn'>;

export function officePowerNotices(s: Deps, event: OfficePowerEvent, p: Proposal): Notice[] {
  const base = { number: p.number, title: p.title, proposalId: p.id };
  const day = (iso: string) => s.calendar.localDate(new Date(iso));
  const notice = noticeMaker(event, p.id);
  switch (event.type) {
    case 'ExtensionRequested': {
      const { n, unit, until, reason, decideBy } = event.data;
      return [
        notice('extensionRequested', 'office', [{ kind: 'office' }], {
          ...base,
          unit,
          n,
          until: day(until),
          reason,
          decideBy: day(decideBy),
        }),
      ];
    }
    case 'ExtensionDecided': {
      const { unit, approve, until, reason } = event.data;
      return [
        notice('extensionDecided', unit, [{ kind: 'unit', unit }], {
          ...base,
          unit,
          approve,
          until: day(until),
          ...(reason ? { reason } : {}),
        }),
      ];
    }
    case 'SupervisionRecorded': {
      const { unit, mode, supervisedAt, note } = event.data;
      return [notice('supervision', unit, [{ kind: 'unit', unit }], { ...base, unit, mode, at: day(supervisedAt), note })];
    }
    case 'ProposalWithdrawn': {
      const { units, reason } = event.data;
      return [
        ...units.map((unit) => notice('withdrawn', unit, [{ kind: 'unit', unit }], { ...base, unit, reason })),
        notice('withdrawn', 'office', [{ kind: 'office' }], { ...base, reason }),
      ];
    }
  }
}
