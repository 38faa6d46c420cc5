/**
 * The office's powers as pure decisions (shared/domain/office-powers.ts): re-handling ordered by the
 * office within the city's cap, supervision records (and their count in the statistics), extension
 * requests and their decision (an obligation of the office), edits keeping the old value, withdrawal
 * before the reply only, and contacts after the reply.
 */
import { describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import * as op from '#domain/office-powers.ts';
import { openObligations } from '#domain/obligations.ts';
import { computeStatistics } from '#domain/statistics.ts';
import { availableActions } from '#domain/actions.ts';

const at = '2026-03-02T01:00:00.000Z';
const ctx = (over: Partial<wf.Ctx> = {}): wf.Ctx => ({
  at,
  actor: { role: 'office', sub: 'o' },
  due: (o) =>
    o === 'reply' ? '2026-06-01T15:59:59.999Z' : o === 'extensionDecision' ? '2026-03-09T15:59:59.999Z' : '2026-04-01T15:59:59.999Z',
  replyWaitsForCoOpinions: false,
  maxRehandles: 1,
  ...over,
});
const unitCtx = (unit: string) => ctx({ actor: { role: 'unit', sub: `u-${unit}`, unit } });
const limit = '2026-09-01T15:59:59.999Z';

function assigned(): Proposal {
  const p = proposalSchema.parse({
    id: 'p1',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: '关于夜市的建议',
    category: '经济',
    body: '夜市',
    key: false,
    proposers: [
      { memberId: 'a', name: '甲', email: 'a@example.com' },
      { memberId: 'b', name: '乙', email: 'b@example.com' },
    ],
    submittedBy: { role: 'member', sub: 'a' },
    status: 'submitted',
    co: [],
    matches: [],
    deadlines: {},
    escalationLevel: 0,
    version: 1,
    createdAt: at,
    updatedAt: at,
  });
  const match = { lead: 'commerce', co: ['market'], scores: [] };
  return wf.register(p, ctx(), match, 'auto').next;
}

/** The lead's first reply approved: waiting for the proposers' ratings. */
function replied(): Proposal {
  let p = wf.acknowledge(assigned(), unitCtx('commerce'), 'commerce').next;
  p = wf.submitReply(p, unitCtx('commerce'), 'commerce', 'B', '列入计划').next;
  return wf.approveReply(p, ctx(), 1).next;
}

describe('重新办理 ordered by the office', () => {
  it('starts re-handling of the reply sent, as a 不满意 would, with the reason, and the unit owes it', () => {
    const d = op.orderRehandling(replied(), ctx(), '答复未回应停车问题');
    expect(d.next).toMatchObject({ status: 'rehandling', rehandles: 1, deadlines: { rehandle: '2026-04-01T15:59:59.999Z' } });
    expect(d.events).toEqual([
      {
        type: 'RehandlingStarted',
        at,
        actor: { role: 'office', sub: 'o' },
        data: { n: 1, deadline: '2026-04-01T15:59:59.999Z', orderedBy: 'office', reason: '答复未回应停车问题' },
      },
    ]);
    expect(openObligations(d.next).map((o) => o.id)).toEqual(['rehandle']);
  });

  it('holds the city cap: once re-handled as often as allowed, refused (409); a cap of 2 allows a second time', () => {
    let p = op.orderRehandling(replied(), ctx(), '第一次').next;
    p = wf.submitReply(p, unitCtx('commerce'), 'commerce', 'A', '二次答复').next;
    p = wf.approveReply(p, ctx(), 2).next;
    expect(() => op.orderRehandling(p, ctx(), '第二次')).toThrow(/已重新办理 1 次，已达本市规定的上限/);
    expect(op.orderRehandling(p, ctx({ maxRehandles: 2 }), '第二次').next.rehandles).toBe(2);
    // The same cap for a proposer's 不满意: with the cap reached it closes the proposal.
    const rated = wf.giveFeedback(p, ctx(), { n: 2, memberId: 'a', satisfaction: 'dissatisfied' }).next;
    expect(rated.status).toBe('replied');
    expect(wf.giveFeedback(p, ctx({ maxRehandles: 2 }), { n: 2, memberId: 'a', satisfaction: 'dissatisfied' }).next.status).toBe(
      'rehandling',
    );
  });

  it('is refused before a reply was sent, and offered to the office only while it is possible', () => {
    expect(() => op.orderRehandling(assigned(), ctx(), 'x')).toThrow(wf.WorkflowConflict);
    const office = { role: 'office' as const, sub: 'o' };
    expect(availableActions(replied(), office, ctx())).toContain('rehandle');
    expect(availableActions(assigned(), office, ctx())).not.toContain('rehandle');
    expect(availableActions(replied(), office, ctx({ maxRehandles: 0 }))).not.toContain('rehandle');
  });
});

describe('督办记录', () => {
  it('records a supervision of the lead (or a named unit) once, and the statistics count it per unit and mode', () => {
    const s = { mode: 'onsite' as const, note: '现场查看选址', at: '2026-03-05T10:00:00+08:00' };
    const d = op.recordSupervision(assigned(), ctx(), s);
    expect(d.events[0]).toMatchObject({
      type: 'SupervisionRecorded',
      data: { unit: 'commerce', mode: 'onsite', supervisedAt: s.at, note: '现场查看选址' },
    });
    expect(op.recordSupervision(d.next, ctx(), s).events).toEqual([]);
    const p = op.recordSupervision(d.next, ctx(), { mode: 'phone', note: '电话督办', at: s.at, unit: 'market' }).next;
    expect(() => op.recordSupervision(p, ctx(), { ...s, unit: 'education' })).toThrow(/未参与办理本提案/);
    const stats = computeStatistics(2026, [p], new Date('2026-03-10T00:00:00Z'));
    expect(stats.supervisions).toEqual({ total: 2, onsite: 1, phone: 1, meeting: 0 });
    expect(stats.byUnit.find((r) => r.unit === 'commerce')?.supervisions).toBe(1);
    expect(stats.byUnit.find((r) => r.unit === 'market')?.supervisions).toBe(1);
  });
});

describe('申请延期 and its decision', () => {
  const until = '2026-07-31T15:59:59.999Z';

  it('a lead request opens the office obligation extensionDecision; approval moves the reply deadline and closes it', () => {
    const d = op.requestExtension(assigned(), unitCtx('commerce'), 'commerce', until, limit, '需要调研');
    expect(d.events[0]).toMatchObject({
      type: 'ExtensionRequested',
      data: { n: 1, unit: 'commerce', until, reason: '需要调研', decideBy: '2026-03-09T15:59:59.999Z' },
    });
    expect(openObligations(d.next)).toContainEqual({
      id: 'extensionDecision',
      obligation: 'extensionDecision',
      deadline: '2026-03-09T15:59:59.999Z',
    });
    expect(availableActions(d.next, { role: 'office', sub: 'o' }, ctx())).toContain('decideExtension');
    expect(availableActions(d.next, { role: 'unit', sub: 'u', unit: 'commerce' }, ctx())).not.toContain('requestExtension');
    // a second request while one waits: refused
    expect(() => op.requestExtension(d.next, unitCtx('commerce'), 'commerce', limit, limit, '再次')).toThrow(/仍在等待政府办公室审批/);
    const ok = op.decideExtension(d.next, ctx(), 1, true, limit, '同意');
    expect(ok.next.deadlines.reply).toBe(until);
    expect(ok.events[0]).toMatchObject({
      type: 'ExtensionDecided',
      data: { n: 1, unit: 'commerce', approve: true, until, reason: '同意' },
    });
    expect(openObligations(ok.next).some((o) => o.obligation === 'extensionDecision')).toBe(false);
    expect(op.decideExtension(ok.next, ctx(), 1, true, limit).events).toEqual([]);
    expect(() => op.decideExtension(ok.next, ctx(), 1, false, limit)).toThrow(/已经批准/);
  });

  it('a refusal leaves the deadline; replyMax and the lead role hold; a co-unit cannot ask', () => {
    const d = op.requestExtension(assigned(), unitCtx('commerce'), 'commerce', until, limit, '需要调研');
    const no = op.decideExtension(d.next, ctx(), 1, false, limit, '理由不充分');
    expect(no.next.deadlines.reply).toBe('2026-06-01T15:59:59.999Z');
    expect(no.next.extensionRequests[0]?.decision).toMatchObject({ approve: false, reason: '理由不充分' });
    expect(() => op.requestExtension(assigned(), unitCtx('commerce'), 'commerce', '2026-12-31T15:59:59.999Z', limit, 'x')).toThrow(
      /最晚只能延至/,
    );
    expect(() => op.requestExtension(assigned(), unitCtx('market'), 'market', until, limit, 'x')).toThrow(/只有主办单位可以申请延期/);
    expect(() => op.requestExtension(assigned(), unitCtx('commerce'), 'commerce', '2026-05-01T15:59:59.999Z', limit, 'x')).toThrow(
      /必须晚于当前期限/,
    );
  });
});

describe('修改标题 / 类别', () => {
  it('keeps the old values in the event; the same values change nothing; an empty category clears it', () => {
    const d = op.editProposal(assigned(), ctx(), { title: '关于发展夜市经济的建议', category: '商贸', reason: '更正标题' });
    expect(d.next).toMatchObject({ title: '关于发展夜市经济的建议', category: '商贸' });
    expect(d.events[0]).toMatchObject({
      type: 'ProposalEdited',
      data: {
        changes: { title: '关于发展夜市经济的建议', category: '商贸' },
        previous: { title: '关于夜市的建议', category: '经济' },
        reason: '更正标题',
      },
    });
    expect(op.editProposal(d.next, ctx(), { title: '关于发展夜市经济的建议', reason: 'x' }).events).toEqual([]);
    const cleared = op.editProposal(d.next, ctx(), { category: '', reason: '类别不适用' });
    expect(cleared.next.category).toBeUndefined();
    expect(cleared.events[0]).toMatchObject({ data: { changes: { category: '' }, previous: { category: '商贸' } } });
  });
});

describe('撤案', () => {
  it('a proposer withdraws before the reply: status withdrawn, no obligation left, the units named', () => {
    const d = op.withdraw(assigned(), ctx({ actor: { role: 'member', sub: 'b' } }), 'b', '已通过其他渠道解决');
    expect(d.next).toMatchObject({ status: 'withdrawn', withdrawal: { memberId: 'b', reason: '已通过其他渠道解决', at } });
    expect(d.events[0]).toMatchObject({ type: 'ProposalWithdrawn', data: { memberId: 'b', units: ['commerce', 'market'] } });
    expect(openObligations(d.next)).toEqual([]);
    expect(computeStatistics(2026, [d.next], new Date(at))).toMatchObject({ withdrawn: 1, registered: 0 });
  });

  it('is refused after the reply was sent (a conflict), and for a member who is not a proposer', () => {
    expect(() => op.withdraw(replied(), ctx(), 'a', 'x')).toThrow(wf.WorkflowConflict);
    expect(() => op.withdraw(assigned(), ctx(), 'z', 'x')).toThrow(/不是本提案（已确认联名）的提案人/);
    // A co-proposer who has not confirmed the 联名 does not count: they cannot withdraw it either.
    const pending = {
      ...assigned(),
      proposers: assigned().proposers.map((x) => (x.memberId === 'b' ? { ...x, cosign: 'pending' as const } : x)),
    };
    expect(() => op.withdraw(pending, ctx(), 'b', 'x')).toThrow(/不是本提案（已确认联名）的提案人/);
    expect(availableActions(pending, { role: 'member', sub: 'b', memberId: 'b' }, ctx())).not.toContain('withdraw');
    expect(availableActions(assigned(), { role: 'member', sub: 'a', memberId: 'a' }, ctx())).toContain('withdraw');
    expect(availableActions(replied(), { role: 'member', sub: 'a', memberId: 'a' }, ctx())).not.toContain('withdraw');
  });
});

describe('contacts after the reply (办后回访)', () => {
  const contact = { unit: 'commerce', mode: 'visit' as const, at: '2026-07-01T10:00:00+08:00', note: '回访提案人' };

  it('are recorded after the reply, during follow-up, not once closed without one', () => {
    const p = replied();
    expect(wf.recordContact(p, unitCtx('commerce'), contact).events).toHaveLength(1);
    const closed = wf.feedbackDeadlinePassed(p, ctx()).next; // a B reply: follow-up open
    expect(closed.followUp?.open).toBe(true);
    expect(wf.recordContact(closed, unitCtx('commerce'), contact).events).toHaveLength(1);
    const done = wf.reportProgress(closed, unitCtx('commerce'), 'commerce', '已落实', true).next;
    expect(() => wf.recordContact(done, unitCtx('commerce'), contact)).toThrow(/没有进行中的跟踪落实/);
  });
});
