/** The workflow's pure decisions: every transition checked, repeats change nothing. */
import { describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import { IllegalTransition, transition } from '#domain/proposal.ts';
import { statusNames } from '#domain/glossary.ts';
import { domainEventSchema } from '#events/domain-events.ts';
import { renderNotice } from '#render/emails.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';
import { configParts } from '#app/state.ts';
import { feedbackKeys } from '#app/feedback-token.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';

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
    id: 'p1',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: '关于夜市的建议',
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
    ...over,
  });
}

const match = {
  lead: 'commerce',
  co: ['market'],
  scores: [
    { unit: 'commerce', score: 9, keywords: ['夜市'] },
    { unit: 'market', score: 3, keywords: ['食品安全'] },
  ],
};

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
    expect(() => wf.submitReply(p, ctx(), 'market', 'A', '好')).toThrow(wf.NotThisUnitsPart);
  });

  it('a step of the other unit role is NotThisUnitsPart (403), not a state conflict (409)', () => {
    const p = wf.acknowledge(assigned(), ctx(), 'commerce').next;
    const wrongRole = [
      () => wf.giveOpinion(p, ctx(), 'commerce', '同意'),
      () => wf.submitReply(p, ctx({ replyWaitsForCoOpinions: false }), 'market', 'A', '好'),
      () => wf.reportProgress(wf.feedbackDeadlinePassed(replied(), ctx()).next, ctx(), 'market', '进展', false),
    ];
    for (const step of wrongRole) {
      expect(step).toThrow(wf.NotThisUnitsPart);
      expect(step).not.toThrow(wf.WorkflowConflict);
    }
  });

  it('objections close with the window', () => {
    const p = assigned();
    expect(wf.object(p, ctx(), 'market', '不属于').events).toHaveLength(1);
    expect(() => wf.object(p, ctx({ at: '2026-12-01T00:00:00.000Z' }), 'market', '不属于')).toThrow(/申请调整期限已于 .* 截止/);
  });

  it('an objection gives the office its decision deadline (申请调整审核, policy objectionDecision)', () => {
    const due = (o: wf.Obligation) => (o === 'objectionDecision' ? '2026-03-09T15:59:59.999Z' : '2026-04-01T15:59:59.999Z');
    const p = wf.object(assigned(), ctx({ due }), 'market', '不属于').next;
    expect(p.units.market?.objection).toEqual({ reason: '不属于', at, decideBy: '2026-03-09T15:59:59.999Z' });
  });

  it('an objection may be made again after the office decided the last one, within the window', () => {
    const p = wf.object(assigned(), ctx(), 'market', '不属于').next;
    expect(wf.object(p, ctx(), 'market', '不属于').events).toEqual([]); // repeat while pending
    const kept = wf.assign(p, ctx(), 'commerce', ['market']).next;
    expect(wf.object(kept, ctx(), 'market', '不属于').events.map((e) => e.type)).toEqual(['UnitObjected']);
  });

  it('dissatisfaction starts re-handling once; after that everyone rated closes', () => {
    let p = replied();
    const d1 = wf.giveFeedback(p, ctx(), { n: 1, memberId: 'a', satisfaction: 'dissatisfied' });
    expect(d1.next.status).toBe('rehandling');
    expect(d1.next.deadlines.rehandle).toBeDefined();
    p = wf.submitReply(d1.next, ctx(), 'commerce', 'A', '已解决').next;
    expect(p.replies[1]?.round).toBe(2);
    p = wf.approveReply(p, ctx(), 2).next;
    expect(() => wf.giveFeedback(p, ctx(), { n: 1, memberId: 'a', satisfaction: 'satisfied' })).toThrow(/不是当前待评价的答复/);
    p = wf.giveFeedback(p, ctx(), { n: 2, memberId: 'a', satisfaction: 'dissatisfied' }).next;
    expect(p.status).toBe('replied');
    expect(() => wf.giveFeedback(p, ctx(), { n: 2, memberId: 'a', satisfaction: 'satisfied' })).toThrow(/已评价过/);
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
    expect(() => wf.reportProgress(p, ctx(), 'commerce', '完成', true)).toThrow(/没有进行中的跟踪落实/);
  });

  it('a progress report that is not final starts the next follow-up period', () => {
    const closed = wf.feedbackDeadlinePassed(replied(), ctx()).next;
    const first = closed.deadlines.followUp;
    const next = '2026-09-30T15:59:59.999Z';
    const d = wf.reportProgress(
      closed,
      ctx({ at: '2026-06-20T01:00:00.000Z', due: (o) => (o === 'followUp' ? next : (first ?? '')) }),
      'commerce',
      '已完成一期',
      false,
    );
    expect(d.next.deadlines.followUp).toBe(next);
    expect(d.next.followUp).toMatchObject({ open: true, progress: [{ text: '已完成一期', resolved: false }] });
    expect({ ...d.next.deadlines, followUp: first }).toEqual(closed.deadlines);
    const done = wf.reportProgress(d.next, ctx({ due: () => '2027-01-01T15:59:59.999Z' }), 'commerce', '全部完成', true);
    expect(done.next.followUp?.open).toBe(false);
    expect(done.next.deadlines.followUp).toBe(next); // a final report starts nothing
  });

  it('late ratings: a proposer who has not rated the latest approved reply still can, once the proposal moved on', () => {
    const rate = (p: Proposal, memberId: string, satisfaction: 'satisfied' | 'dissatisfied', n = 1) =>
      wf.giveFeedback(p, ctx(), { n, memberId, satisfaction });
    // Closed by the feedback deadline (the link stays valid for a while after it).
    const closed = wf.feedbackDeadlinePassed(replied(), ctx()).next;
    const late = rate(closed, 'b', 'dissatisfied');
    expect(late.events.map((e) => e.type)).toEqual(['FeedbackGiven']);
    expect(late.next).toMatchObject({ status: 'closed', rehandles: 0, deadlines: closed.deadlines, followUp: closed.followUp });
    expect(late.next.feedback).toMatchObject([{ n: 1, memberId: 'b', satisfaction: 'dissatisfied' }]);
    expect(() => rate(late.next, 'b', 'satisfied')).toThrow(/已评价过/);
    expect(() => rate(closed, 'z', 'satisfied')).toThrow(/不是本提案的提案人/);
    expect(() => rate(closed, 'a', 'satisfied', 2)).toThrow(/不是当前待评价的答复/);
    // One 不满意 started re-handling: the other proposer still rates the same reply, during re-handling and its review.
    const rehandling = rate(replied(), 'a', 'dissatisfied').next;
    const b = rate(rehandling, 'b', 'satisfied');
    expect(b.events.map((e) => e.type)).toEqual(['FeedbackGiven']);
    expect(b.next).toMatchObject({ status: 'rehandling', rehandles: 1, deadlines: rehandling.deadlines });
    const review = wf.submitReply(rehandling, ctx(), 'commerce', 'A', '已解决').next;
    expect(rate(review, 'b', 'dissatisfied').next).toMatchObject({ status: 'reply_review', rehandles: 1 });
    // Nothing approved yet: nothing to rate.
    expect(() => rate(wf.acknowledge(assigned(), ctx(), 'commerce').next, 'a', 'satisfied')).toThrow(wf.WorkflowConflict);
  });

  it('the feedback deadline closes a replied proposal', () => {
    const d = wf.feedbackDeadlinePassed(replied(), ctx());
    expect(d.next.status).toBe('closed');
    expect(d.events[0]).toMatchObject({ type: 'ProposalClosed', data: { reason: 'feedback_deadline', followUp: true } });
    expect(wf.feedbackDeadlinePassed(d.next, ctx()).events).toEqual([]);
  });

  it('refuses to merge into a main proposal that has replied or closed (its reply is out)', () => {
    const main = replied(wf.register(proposal({ id: 'main', number: '2026-002' }), ctx(), match, 'auto').next);
    const closed = wf.feedbackDeadlinePassed(main, ctx()).next;
    for (const m of [main, closed]) {
      const refuse = () => wf.merge(proposal(), m, ctx());
      expect(refuse).toThrow(wf.WorkflowConflict);
      expect(refuse).toThrow(new RegExp(`2026-002 当前状态为「${statusNames[m.status]}」`));
    }
    const reviewing = wf.submitReply(
      wf.acknowledge(wf.register(proposal({ id: 'main', number: '2026-002' }), ctx(), match, 'auto').next, ctx(), 'commerce').next,
      ctx({ replyWaitsForCoOpinions: false }),
      'commerce',
      'A',
      '好',
    ).next;
    expect(wf.merge(proposal(), reviewing, ctx()).next.status).toBe('merged'); // its reply is not sent yet
  });

  it('merges into the main proposal and adds the new proposers', () => {
    const main = proposal({ id: 'main', number: '2026-002', proposers: [{ memberId: 'a', name: '甲', email: 'a@example.com' }] });
    const merged = wf.merge(proposal(), main, ctx(), '相近');
    expect(merged.next).toMatchObject({ status: 'merged', mergedInto: 'main' });
    const absorbed = wf.absorb(main, merged.next, ctx());
    expect(absorbed.next.proposers.map((x) => x.memberId)).toEqual(['a', 'b']);
    expect(wf.absorb(absorbed.next, merged.next, ctx()).events).toEqual([]);
    expect(() => wf.merge(proposal(), proposal(), ctx())).toThrow(/不能并入自身/);
    expect(() => wf.merge(merged.next, main, ctx())).toThrow(/已并案/);
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

  it("a new lead gets fresh 面商 and 答复 deadlines; a change of co-units keeps the lead's", () => {
    const later = ctx({ at: '2026-05-01T01:00:00.000Z', due: (o) => `2026-0${o === 'reply' ? 9 : 7}-01T15:59:59.999Z` });
    const p = assigned(); // reply due 2026-06-01
    const d = wf.assign(p, later, 'market', ['commerce'], '调整主办');
    expect(d.next.deadlines).toMatchObject({ contact: '2026-07-01T15:59:59.999Z', reply: '2026-09-01T15:59:59.999Z' });
    expect(d.events[0]?.data).toMatchObject({ deadlines: { reply: '2026-09-01T15:59:59.999Z' } }); // what the new lead is told
    const co = wf.assign(p, later, 'commerce', ['transport']);
    expect(co.next.deadlines).toMatchObject({ contact: p.deadlines.contact, reply: p.deadlines.reply });
  });

  it('extends the reply deadline within replyMax only', () => {
    const p = assigned();
    const d = wf.extendReply(p, ctx(), '2026-07-01T15:59:59.999Z', '2026-09-01T15:59:59.999Z', '需跨部门协调');
    expect(d.next.deadlines.reply).toBe('2026-07-01T15:59:59.999Z');
    expect(() => wf.extendReply(p, ctx(), '2026-10-01T15:59:59.999Z', '2026-09-01T15:59:59.999Z')).toThrow(
      /最晚只能延至 2026-09-01T15:59:59.999Z/,
    );
    expect(() => wf.extendReply(d.next, ctx(), '2026-06-15T15:59:59.999Z', '2026-09-01T15:59:59.999Z')).toThrow(/必须晚于当前期限/);
  });

  it('transition() refuses illegal status changes', () => {
    expect(() => wf.returnReply(proposal({ status: 'closed' }), ctx(), 1, 'x')).toThrow(wf.WorkflowConflict);
    expect(() => wf.approveReply(proposal({ status: 'reply_review' }), ctx(), 1)).toThrow(/不在待审核状态/);
    expect(() => transition(proposal({ status: 'closed' }), 'in_progress', at)).toThrow(IllegalTransition);
    expect(transition(proposal({ status: 'replied' }), 'rehandling', at).status).toBe('rehandling');
  });
});

describe('objections (申请调整): the office decides by assigning', () => {
  const later = ctx({
    at: '2026-03-05T01:00:00.000Z',
    due: (o) => (o === 'acknowledge' ? '2026-03-12T15:59:59.999Z' : '2026-09-01T15:59:59.999Z'),
  });

  it('keeping the same units declines the pending objection: decided, a fresh 签收 deadline for that unit only', () => {
    const p = wf.object(assigned(), ctx(), 'market', '不属于本单位职责').next;
    const d = wf.assign(p, later, 'commerce', ['market'], '食品安全属你单位职责');
    expect(d.events).toEqual([
      {
        type: 'ObjectionDeclined',
        at: later.at,
        actor: later.actor,
        data: { unit: 'market', reason: '食品安全属你单位职责', deadline: '2026-03-12T15:59:59.999Z' },
      },
    ]);
    expect(d.next.units.market).toMatchObject({
      objection: { reason: '不属于本单位职责', decidedAt: later.at },
      acknowledgeBy: '2026-03-12T15:59:59.999Z',
    });
    expect(d.next.units.commerce?.acknowledgeBy).toBeUndefined();
    expect(d.next).toMatchObject({ status: 'assigned', deadlines: p.deadlines, reassignments: 0, updatedAt: later.at });
    expect(wf.assign(d.next, later, 'commerce', ['market']).events).toEqual([]); // nothing pending: unchanged
    expect(wf.assign(assigned(), later, 'commerce', ['market']).events).toEqual([]);
  });

  it('a unit that signed before the decision gets no new 签收 deadline', () => {
    let p = wf.object(assigned(), ctx(), 'market', '不属于').next;
    p = wf.acknowledge(p, ctx(), 'market').next;
    const d = wf.assign(p, later, 'commerce', ['market']);
    expect(d.events.map((e) => e.data)).toEqual([{ unit: 'market' }]);
    expect(d.next.units.market?.acknowledgeBy).toBeUndefined();
  });

  it('a changed assignment also declines the objections of the units it keeps in their role; removed units get nothing new', () => {
    let p = wf.object(assigned(), ctx(), 'market', '应由交通部门协办').next;
    p = wf.object(p, ctx(), 'commerce', '不属于').next;
    const d = wf.assign(p, later, 'commerce', ['transport'], '调整协办单位');
    expect(d.events.map((e) => e.type)).toEqual(['AssignmentChanged', 'ObjectionDeclined']);
    expect(d.events[1]?.data).toMatchObject({ unit: 'commerce', reason: '调整协办单位' });
    expect(d.next.units.market).toBeUndefined();
    expect(d.next.units.commerce?.objection?.decidedAt).toBe(later.at);
    expect(d.next.reassignments).toBe(1);
    // A unit whose role changes starts afresh: its objection was granted, not declined.
    const swapped = wf.assign(p, later, 'market', ['commerce']);
    expect(swapped.events.map((e) => e.type)).toEqual(['AssignmentChanged']);
  });

  it('the unit is told by an objectionDeclined notice with the reason and its new 签收 deadline', () => {
    const config = loadCityConfigFile('infra/cities/alar.yaml');
    const s = { ...configParts(config), feedbackSecret: feedbackKeys('x') };
    const p = wf.object(assigned(), ctx(), 'market', '不属于本单位职责').next;
    const d = wf.assign(p, later, 'commerce', ['market'], '食品安全属你单位职责');
    const e = d.events[0];
    if (!e) throw new Error('no event');
    const event = domainEventSchema.parse({ ...e, eventId: 'p1:9', proposalId: 'p1', seq: 9 });
    const notices = noticesForEvent(s, event, d.next);
    expect(notices).toMatchObject([
      {
        id: 'p1:9/objectionDeclined/market',
        kind: 'objectionDeclined',
        recipients: [{ kind: 'unit', unit: 'market' }],
        vars: { unit: 'market', reason: '食品安全属你单位职责', deadline: '2026-03-12' },
      },
    ]);
    const mail = renderNotice(notices[0]!, { name: config.name, linkBase: 'https://ta.example.cn', unitName: (id) => id });
    expect(mail.subject).toContain('维持原交办');
    expect(mail.text).toContain('食品安全属你单位职责');
    expect(mail.text).toContain('2026年3月12日');
  });
});
