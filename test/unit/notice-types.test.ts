/**
 * Notices are typed where they are made: each kind is one member of the `Notice` union (kind + its
 * vars), so a notice with a wrong, missing or unknown field does not compile. The `@ts-expect-error`
 * lines below are checked by `tsc --noEmit` (npm run typecheck): if one of them compiled, the
 * directive itself would be the error. At run time the same notices meet the mailer's check.
 */
import { describe, expect, it } from 'vitest';
import { checkNotice, NoticeVarsError, type Notice, type NoticeOf } from '#events/notices.ts';

const envelope = { id: 'n1', recipients: [{ kind: 'office' as const }], createdAt: '2026-03-06T00:00:00Z' };
const p = { number: '2026-001', title: '关于发展夜市经济的建议', proposalId: 'P1' };

describe('Notice: a discriminated union of the kinds', () => {
  it('a notice of each shape compiles and passes the mailer’s check', () => {
    const notices: Notice[] = [
      { ...envelope, kind: 'triage', vars: { ...p, reason: '没有单位达到最低分' } },
      { ...envelope, kind: 'escalation', vars: { ...p, obligation: 'reply', deadline: '2026-06-06', level: 2, daysOverdue: 3 } },
      { ...envelope, kind: 'closed', vars: { ...p, followUp: false } },
    ];
    for (const n of notices) expect(checkNotice(n)).toEqual(n);
  });

  it('a wrong, missing or unknown field is a type error (and, sent anyway, fails the check)', () => {
    // @ts-expect-error an unknown field: `reasons` is not a triage notice's field
    const unknownField: Notice = { ...envelope, kind: 'triage', vars: { ...p, reason: 'x', reasons: 'x' } };
    // @ts-expect-error a missing field: a triage notice has a reason
    const missing: Notice = { ...envelope, kind: 'triage', vars: { ...p } };
    const wrongType: NoticeOf<'escalation'> = {
      ...envelope,
      kind: 'escalation',
      // @ts-expect-error a wrong type: the escalation level is 1, 2 or 3
      vars: { ...p, obligation: 'reply', deadline: '2026-06-06', level: 4, daysOverdue: 3 },
    };
    // @ts-expect-error another kind's vars: a closed notice has no reason and needs followUp
    const otherKind: Notice = { ...envelope, kind: 'closed', vars: { ...p, reason: 'x' } };
    expect(() => checkNotice(missing)).toThrow(NoticeVarsError);
    expect(() => checkNotice(wrongType)).toThrow(/"escalation".*level/);
    expect(() => checkNotice(otherKind)).toThrow(/"closed".*followUp/);
    expect(checkNotice(unknownField).vars).not.toHaveProperty('reasons'); // unknown fields are dropped, as before
  });
});
