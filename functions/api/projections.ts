/**
 * What each role sees of a proposal: one projection per audience, from the full view (views.ts) to
 * what that audience may see. docs/access.md has the same as a table; test/unit/projections.test.ts
 * checks it field by field. The rule: each sees what their part of the work needs.
 *
 * - staff (office, committee, leaders): everything, but a reply that has not left its unit (a draft,
 *   or one waiting for the unit head's 签发);
 * - the lead unit: the proposers' contact data (面商), the co-units' opinions (协办意见), every contact
 *   and its note, its own replies at every stage; only its own objection's reason, supervisions and
 *   extension requests, the 批示 sent to it; the ratings without who gave them;
 * - a co-unit: the same, but no other co-unit's opinion, other units' contacts without their notes, and
 *   the replies once they left the lead unit;
 * - a proposer (member): the co-proposers' names but not their contact data; the units' roles and
 *   acknowledgements; the contacts without the units' notes; the replies sent to them (approved),
 *   without the office's and the co-units' remarks; their own ratings; none of the office's and the
 *   units' dealings (objections, supervisions, extension requests, 批示, the office's review, similar
 *   proposals, the matcher's scores) nor their deadlines.
 *
 * The audit trail (GET /v1/proposals/{id}/events) is for staff only (its route's roles), and like
 * their view it leaves out the text of a reply that had not left the lead unit (`auditTrail`).
 */
import type { Identity } from '#domain/access.ts';
import type { DomainEvent } from '#events/domain-events.ts';
import type { ProposalView } from './schemas.ts';

type View = ProposalView;
type Item<K extends keyof View> = NonNullable<View[K]> extends readonly (infer T)[] ? T : never;
type UnitView = View['units'] extends Record<string, infer U> | undefined ? U : never;

export type Audience = 'staff' | 'lead' | 'co' | 'member';

export function audienceOf(who: Identity, v: Pick<View, 'lead' | 'units'>): Audience {
  // 分办: every lead unit is the lead of its own part.
  if (who.role === 'unit') return v.lead === who.unit || v.units?.[who.unit]?.role === 'lead' ? 'lead' : 'co';
  return who.role === 'member' ? 'member' : 'staff';
}

/** A reply the lead unit has not sent on yet: its own business. */
const inUnit = (r: Item<'replies'>) => r.status === 'draft' || r.status === 'signing';

/** Obligations (and their deadlines) between the office, the units and the leaders, which a proposer does not see. */
const notProposers: readonly string[] = [
  'objection',
  'objectionDecision',
  'extensionDecision',
  'instruction',
  'replyReview',
  'countersign',
];

/** A rating without who gave it. */
const anonymous = ({ memberId: _who, ...f }: Item<'feedback'>): Item<'feedback'> => f;

/** A unit's state without its objection's reason. */
function withoutReason(u: UnitView): UnitView {
  if (!u.objection) return u;
  const { reason: _reason, ...objection } = u.objection;
  return { ...u, objection };
}

const mapUnits = (v: View, f: (id: string, u: UnitView) => UnitView): View['units'] =>
  Object.fromEntries(Object.entries(v.units ?? {}).map(([id, u]) => [id, f(id, u)]));

/** The view without what staff alone see: 退回提案委员会 and the similar proposals. */
function staffOnly(v: View): View {
  const { committeeReturn: _return, ...rest } = v;
  return { ...rest, similar: [] };
}

function unitView(v: View, unit: string, lead: boolean): View {
  return {
    ...staffOnly(v),
    units: mapUnits(v, (id, u) => {
      if (id === unit) return u;
      const { opinion, ...other } = withoutReason(u);
      return lead && opinion ? { ...other, opinion } : other;
    }),
    contacts: (v.contacts ?? []).map((c) => {
      if (lead || c.unit === unit) return c;
      const { note: _note, ...rest } = c;
      return rest;
    }),
    replies: (v.replies ?? []).filter((r) => !inUnit(r) || (lead && r.unit === unit)),
    feedback: (v.feedback ?? []).map(anonymous),
    supervisions: (v.supervisions ?? []).filter((s) => s.unit === unit),
    extensionRequests: (v.extensionRequests ?? []).filter((r) => r.unit === unit),
    instructions: (v.instructions ?? []).filter((i) => unit in i.units),
  };
}

function memberView(v: View, memberId: string): View {
  return {
    ...staffOnly(v),
    proposers: v.proposers.map(({ email, mobile, ...x }) =>
      x.memberId === memberId ? { ...x, ...(email ? { email } : {}), ...(mobile ? { mobile } : {}) } : x,
    ),
    units: mapUnits(v, (_, u) => ({
      role: u.role,
      assignedAt: u.assignedAt,
      ...(u.acknowledgedAt ? { acknowledgedAt: u.acknowledgedAt } : {}),
    })),
    contacts: (v.contacts ?? []).map(({ note: _note, ...c }) => c),
    // The reply as sent: not the office's class correction or review times, nor the co-units' 会签 notes.
    replies: (v.replies ?? [])
      .filter((r) => r.status === 'approved')
      .map((r) => ({
        n: r.n,
        round: r.round,
        unit: r.unit,
        replyClass: r.replyClass,
        text: r.text,
        status: r.status,
        submittedAt: r.submittedAt,
        ...(r.signedAt ? { signedAt: r.signedAt } : {}),
        ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
        ...(r.letter ? { letter: r.letter } : {}),
      })),
    feedback: (v.feedback ?? []).filter((f) => f.memberId === memberId),
    supervisions: [],
    extensionRequests: [],
    instructions: [],
    matchedKeywords: [],
    obligations: v.obligations.filter((o) => !notProposers.includes(o.obligation)),
    // A part's own deadline is keyed `<obligation>#<unit>` (分办).
    deadlines: Object.fromEntries(Object.entries(v.deadlines).filter(([k]) => !notProposers.includes(k.split('#')[0] ?? k))),
  };
}

/** One projection per audience: the full view in, what `who` may see out. */
export const projections: Record<Audience, (v: View, who: Identity) => View> = {
  staff: (v) => ({ ...v, replies: (v.replies ?? []).filter((r) => !inUnit(r)) }),
  lead: (v, who) => unitView(v, who.role === 'unit' ? who.unit : '', true),
  co: (v, who) => unitView(v, who.role === 'unit' ? who.unit : '', false),
  member: (v, who) => memberView(v, who.role === 'member' ? who.memberId : ''),
};

export const project = (v: View, who: Identity): View => projections[audienceOf(who, v)](v, who);

type EventView = Omit<DomainEvent, 'data'> & { data: Record<string, unknown> };

/** The audit trail as staff see it: a draft's text, or a reply's sent to the unit head for 签发, stays the unit's. */
export function auditTrail(events: readonly DomainEvent[]): EventView[] {
  return events.map((e) => {
    if (e.type !== 'ReplyDrafted' && !(e.type === 'ReplySubmitted' && e.data.next === 'signing')) return e;
    const { text: _text, ...data } = e.data;
    return { ...e, data };
  });
}
