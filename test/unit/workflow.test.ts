/** The workflow's pure decisions: every transition checked, repeats change nothing. */
import { describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import { IllegalTransition, transition } from '#domain/proposal.ts';

const at = '2026-03-02T01:00:00.000Z';
const ctx = (over: Partial<wf.Ctx> = {}): wf.Ctx => ({
  at,
  actor: { role: 'office', sub: 'o' },
  due: (o) => `2026-0${o === 'reply' ? 6 : 4}-01T15:59:59.999Z`,
  replyWaitsForCoOpinions: true,
  maxRehandles: 1,
  ...over,
});

function proposal(over: Partial<Proposal> = {}): Proposal {
  return proposalSchema.parse({
    id: 'p1', number: '2026-001', year: 2026, seq: 1, title: '关于夜市的建议', body: '夜市', key: false,
    proposers: [{ memberId: 'a', name: '甲', email: 'a@example.com' }, { memberId: 'b', name: '乙', email: 'b@example.com' }],
    submittedBy: { role: 'member', sub: 'a' }, status: 'submitted', co: [], matches: [], deadlines: {}, escalationLevel: 0,
    version: 1, createdAt: at, updatedAt: at, ...over,
  });
}

const match = { lead: 'commerce', co: ['market'], scores: [{ unit: 'commerce', score: 9, keywords: ['夜市'] }, { unit: 'market', score: 3, keywords: ['食品安全'] }] };

function assigned() {
  return wf.register(proposal(), ctx(), match, 'auto').next;
}
function replied(p = assigned()) {
  let x = wf.acknowledge(p, ctx(), 'commerce').next;
  x = wf.giveOpinion(x, ctx(), 'market', '同意').next;
  x = wf.submitReply(x, ctx(), 'commerce', 'B', '列入计划').next;
  return wf.approveReply(x, ctx(), 1).next;
}

describe('workflow', () => {
  it('registers and assigns with deadlines, or triages', () => {
    const d = wf.register(proposal(), ctx(), match, 'auto');
    expect(d.next.status).toBe('assigned');
    expect(d.next.units).toMatchObject({ commerce: { role: 'lead' }, market: { role: 'co' } });
    expect(Object.keys(d.next.deadlines).sort()).toEqual(['acknowledge', 'coOpinion', 'contact', 'objection', 'reply']);
    expect(d.events.map((e) => e.type)).toEqual(['ProposalRegistered', 'ProposalAssigned']);
    expect(wf.register(proposal(), ctx(), { co: [], scores: [] }, 'auto').next.status).toBe('triage');
    expect(wf.register(d.next, ctx(), match, 'auto').events).toEqual([]); // repeat: nothing
  });

  it('acknowledging twice records one event; the lead moves it to in_progress', () => {
    const a = wf.acknowledge(assigned(), ctx(), 'commerce');
    expect(a.next.status).toBe('in_progress');
    expect(wf.acknowledge(a.next, ctx(), 'commerce').events).toEqual([]);
    expect(() => wf.acknowledge(a.next, ctx(), 'education')).toThrow(wf.WorkflowConflict);
  });

  it('the reply waits for co-unit opinions until their deadline, when configured', () => {
    const p = wf.acknowledge(assigned(), ctx(), 'commerce').next;
    expect(() => wf.submitReply(p, ctx(), 'commerce', 'A', '好')).toThrow(/market/);
    expect(wf.submitReply(p, ctx({ replyWaitsForCoOpinions: false }), 'commerce', 'A', '好').next.status).toBe('reply_review');
    expect(wf.submitReply(p, ctx({ at: '2026-05-01T00:00:00.000Z' }), 'commerce', 'A', '好').next.status).toBe('reply_review');
    expect(() => wf.submitReply(p, ctx(), 'market', 'A', '好')).toThrow(/lead/);
  });

  it('objections close with the window', () => {
    const p = assigned();
    expect(wf.object(p, ctx(), 'market', '不属于').events).toHaveLength(1);
    expect(() => wf.object(p, ctx({ at: '2026-12-01T00:00:00.000Z' }), 'market', '不属于')).toThrow(/window/);
  });

  it('dissatisfaction starts re-handling once; after that everyone rated closes', () => {
    let p = replied();
    const d1 = wf.giveFeedback(p, ctx(), { n: 1, memberId: 'a', satisfaction: 'dissatisfied' });
    expect(d1.next.status).toBe('rehandling');
    expect(d1.next.deadlines.rehandle).toBeDefined();
    p = wf.submitReply(d1.next, ctx(), 'commerce', 'A', '已解决').next;
    expect(p.replies[1]?.round).toBe(2);
    p = wf.approveReply(p, ctx(), 2).next;
    expect(() => wf.giveFeedback(p, ctx(), { n: 1, memberId: 'a', satisfaction: 'satisfied' })).toThrow(/not the reply/);
    p = wf.giveFeedback(p, ctx(), { n: 2, memberId: 'a', satisfaction: 'dissatisfied' }).next;
    expect(p.status).toBe('replied');
    expect(() => wf.giveFeedback(p, ctx(), { n: 2, memberId: 'a', satisfaction: 'satisfied' })).toThrow(/already rated/);
    const closed = wf.giveFeedback(p, ctx(), { n: 2, memberId: 'b', satisfaction: 'satisfied' });
    expect(closed.next.status).toBe('closed');
    expect(closed.next.followUp).toBeUndefined(); // class A
  });

  it('class B closes with a follow-up that progress resolves', () => {
    let p = replied();
    p = wf.giveFeedback(p, ctx(), { n: 1, memberId: 'a', satisfaction: 'satisfied' }).next;
    p = wf.giveFeedback(p, ctx(), { n: 1, memberId: 'b', satisfaction: 'basically_satisfied' }).next;
    expect(p.status).toBe('closed');
    expect(p.followUp?.open).toBe(true);
    p = wf.reportProgress(p, ctx(), 'commerce', '完成', true).next;
    expect(p.followUp?.open).toBe(false);
    expect(() => wf.reportProgress(p, ctx(), 'commerce', '完成', true)).toThrow(/no open follow-up/);
  });

  it('the feedback deadline closes a replied proposal', () => {
    const d = wf.feedbackDeadlinePassed(replied(), ctx());
    expect(d.next.status).toBe('closed');
    expect(d.events[0]).toMatchObject({ type: 'ProposalClosed', data: { reason: 'feedback_deadline', followUp: true } });
    expect(wf.feedbackDeadlinePassed(d.next, ctx()).events).toEqual([]);
  });

  it('merges into the main proposal and adds the new proposers', () => {
    const main = proposal({ id: 'main', number: '2026-002', proposers: [{ memberId: 'a', name: '甲', email: 'a@example.com' }] });
    const merged = wf.merge(proposal(), main, ctx(), '相近');
    expect(merged.next).toMatchObject({ status: 'merged', mergedInto: 'main' });
    const absorbed = wf.absorb(main, merged.next, ctx());
    expect(absorbed.next.proposers.map((x) => x.memberId)).toEqual(['a', 'b']);
    expect(wf.absorb(absorbed.next, merged.next, ctx()).events).toEqual([]);
    expect(() => wf.merge(proposal(), proposal(), ctx())).toThrow(/itself/);
    expect(() => wf.merge(merged.next, main, ctx())).toThrow(/merged/);
  });

  it('reassignment keeps what kept units did and counts the change', () => {
    let p = wf.acknowledge(assigned(), ctx(), 'commerce').next;
    p = wf.acknowledge(p, ctx(), 'market').next;
    const d = wf.assign(p, ctx(), 'commerce', ['transport'], '调整');
    expect(d.next.units.commerce?.acknowledgedAt).toBeDefined();
    expect(d.next.units.market).toBeUndefined();
    expect(d.next.reassignments).toBe(1);
    expect(d.events[0]?.type).toBe('AssignmentChanged');
    expect(wf.assign(d.next, ctx(), 'commerce', ['transport']).events).toEqual([]);
    expect(() => wf.approveReply(p, ctx(), 1)).toThrow(wf.WorkflowConflict);
    expect(() => wf.reject(p, ctx(), 'x')).toThrow(wf.WorkflowConflict);
  });

  it('extends the reply deadline within replyMax only', () => {
    const p = assigned();
    const d = wf.extendReply(p, ctx(), '2026-07-01T15:59:59.999Z', '2026-09-01T15:59:59.999Z', '需跨部门协调');
    expect(d.next.deadlines.reply).toBe('2026-07-01T15:59:59.999Z');
    expect(() => wf.extendReply(p, ctx(), '2026-10-01T15:59:59.999Z', '2026-09-01T15:59:59.999Z')).toThrow(/replyMax/);
    expect(() => wf.extendReply(d.next, ctx(), '2026-06-15T15:59:59.999Z', '2026-09-01T15:59:59.999Z')).toThrow(/after the current/);
  });

  it('transition() refuses illegal status changes', () => {
    expect(() => wf.returnReply(proposal({ status: 'closed' }), ctx(), 1, 'x')).toThrow(wf.WorkflowConflict);
    expect(() => wf.approveReply(proposal({ status: 'reply_review' }), ctx(), 1)).toThrow(/not waiting/);
    expect(() => transition(proposal({ status: 'closed' }), 'in_progress', at)).toThrow(IllegalTransition);
    expect(transition(proposal({ status: 'replied' }), 'rehandling', at).status).toBe('rehandling');
  });
});
