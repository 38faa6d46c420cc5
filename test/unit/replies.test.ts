/** The reply lifecycle (答复): 起草 -> 签发 -> 会签 -> 审核 (its own deadline) -> sent; 二次答复; the city's classes. */
import { describe, expect, it } from 'vitest';
import { proposalSchema, formatLetterNumber, type Proposal } from '#domain/proposal.ts';
import * as wf from '#domain/workflow.ts';
import { openObligations } from '#domain/obligations.ts';

const day = (d: number) => new Date(Date.UTC(2026, 2, 1 + d, 2)).toISOString();
const signAndCountersign: wf.ReplyPolicy = { ...wf.defaultReplyPolicy, signOff: true, countersign: true };
const ctx = (d: number, replies: wf.ReplyPolicy = signAndCountersign, over: Partial<wf.Ctx> = {}): wf.Ctx => ({
  at: day(d),
  actor: { role: 'unit', sub: 'u', unit: 'commerce' },
  due: (o) =>
    ({ replyReview: day(d + 7), countersign: day(d + 7), feedback: day(d + 21), followUp: day(d + 90) })[o as string] ?? day(d + 90),
  replyWaitsForCoOpinions: false,
  maxRehandles: 1,
  replies,
  ...over,
});
const letter = { contactName: '王五', contactPhone: '0997-1234567', disclosure: 'public' as const };

function handling(over: Partial<Proposal> = {}): Proposal {
  return proposalSchema.parse({
    id: 'p1',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: '关于夜市的建议',
    body: '夜市',
    key: false,
    proposers: [{ memberId: 'a', name: '甲', email: 'a@example.com' }],
    submittedBy: { role: 'member', sub: 'a' },
    status: 'in_progress',
    lead: 'commerce',
    co: ['market'],
    units: { commerce: { role: 'lead', assignedAt: day(0), acknowledgedAt: day(1) }, market: { role: 'co', assignedAt: day(0) } },
    matches: [],
    deadlines: { reply: day(90) },
    escalationLevel: 0,
    version: 3,
    createdAt: day(0),
    updatedAt: day(0),
    ...over,
  });
}

describe('reply lifecycle', () => {
  it('a draft stays in the unit, editable, and the unit still owes its reply', () => {
    const d1 = wf.submitReply(handling(), ctx(80), 'commerce', 'B', '初稿', { draft: true, letter });
    expect(d1.events.map((e) => e.type)).toEqual(['ReplyDrafted']);
    expect(d1.next.status).toBe('in_progress');
    expect(d1.next.replies).toMatchObject([{ n: 1, status: 'draft', text: '初稿', letter }]);
    const d2 = wf.submitReply(d1.next, ctx(81), 'commerce', 'A', '修改稿', { draft: true });
    expect(d2.next.replies).toHaveLength(1);
    expect(d2.next.replies[0]).toMatchObject({ n: 1, status: 'draft', replyClass: 'A', text: '修改稿', letter, submittedAt: day(80) });
    expect(openObligations(d2.next).map((o) => o.id)).toContain('reply');
    // The same draft again changes nothing.
    expect(wf.submitReply(d2.next, ctx(82), 'commerce', 'A', '修改稿', { draft: true }).events).toEqual([]);
  });

  it('签发 by the head takes the 文号; 会签 by every co-unit; then the office reviews within its own deadline', () => {
    const submitted = wf.submitReply(handling(), ctx(80), 'commerce', 'B', '答复正文', { letter, docNumber: 'never used' });
    expect(submitted.counted).toBeFalsy(); // waits for 签发: no number yet
    expect(submitted.next.replies[0]).toMatchObject({ status: 'signing' });
    expect(submitted.next.replies[0]?.signedAt).toBeUndefined();
    expect(submitted.events[0]).toMatchObject({ type: 'ReplySubmitted', data: { next: 'signing' } });
    // The unit cannot submit again while its head has it; a draft takes it back.
    expect(() => wf.submitReply(submitted.next, ctx(81), 'commerce', 'B', 'x')).toThrow(/签发/);

    const signed = wf.signReply(submitted.next, ctx(85), 'commerce', 1, '李局长', '商务函〔2026〕1号');
    expect(signed.counted).toBe(true);
    expect(signed.next.status).toBe('reply_review');
    expect(signed.next.replies[0]).toMatchObject({
      status: 'countersign',
      signedAt: day(85),
      letter: { ...letter, signer: '李局长', docNumber: '商务函〔2026〕1号' },
    });
    expect(openObligations(signed.next).map((o) => o.id)).toEqual(['countersign#market']);
    expect(() => wf.countersignReply(signed.next, ctx(86), 'commerce', 1)).toThrow(wf.NotThisUnitsPart);

    const countersigned = wf.countersignReply(signed.next, ctx(88), 'market', 1, '同意');
    expect(countersigned.events[0]).toMatchObject({ type: 'ReplyCountersigned', data: { unit: 'market', complete: true } });
    expect(countersigned.next.replies[0]).toMatchObject({ status: 'review', reviewFrom: day(88), reviewBy: day(95) });
    expect(openObligations(countersigned.next)).toEqual([{ id: 'replyReview', obligation: 'replyReview', deadline: day(95) }]);
    expect(wf.countersignReply(countersigned.next, ctx(89), 'market', 1).events).toEqual([]);

    const approved = wf.approveReply(countersigned.next, ctx(96, signAndCountersign, { actor: { role: 'office', sub: 'o' } }), 1, {
      replyClass: 'A',
      reason: '问题已解决',
    });
    expect(approved.next.status).toBe('replied');
    expect(approved.next.replies[0]).toMatchObject({
      status: 'approved',
      replyClass: 'A',
      classCorrection: { from: 'B', reason: '问题已解决' },
      decidedAt: day(96),
    });
    expect(approved.events[0]).toMatchObject({ data: { classCorrection: { from: 'B', to: 'A' } } });
  });

  it('without the 签发 and 会签 steps a submitted reply leaves the unit at once with its 文号', () => {
    const d = wf.submitReply(handling(), ctx(80, wf.defaultReplyPolicy), 'commerce', 'A', '正文', {
      letter,
      docNumber: '商务函〔2026〕7号',
    });
    expect(d.counted).toBe(true);
    expect(d.next.status).toBe('reply_review');
    expect(d.next.replies[0]).toMatchObject({ status: 'review', signedAt: day(80), letter: { docNumber: '商务函〔2026〕7号' } });
    expect(d.events[0]).toMatchObject({ type: 'ReplySubmitted', data: { next: 'review' } });
  });

  it('the office may return a reply while the co-units countersign; the unit replies again', () => {
    const signed = wf.signReply(wf.submitReply(handling(), ctx(80), 'commerce', 'B', '正文').next, ctx(81), 'commerce', 1, '李局长');
    const returned = wf.returnReply(signed.next, ctx(82), 1, '请补充数据');
    expect(returned.next.status).toBe('in_progress');
    expect(returned.next.replies[0]).toMatchObject({ status: 'returned', returnReason: '请补充数据' });
    expect(wf.submitReply(returned.next, ctx(83), 'commerce', 'B', '第二稿').next.replies[1]).toMatchObject({ n: 2, status: 'signing' });
  });

  it('refuses a class the city does not have, and a correction to one', () => {
    const own: wf.ReplyPolicy = {
      ...wf.defaultReplyPolicy,
      classes: [
        { code: '1', followUp: false },
        { code: '2', followUp: true },
      ],
    };
    expect(() => wf.submitReply(handling(), ctx(80, own), 'commerce', 'A', '正文')).toThrow(/答复分类 A/);
    const inReview = wf.submitReply(handling(), ctx(80, own), 'commerce', '2', '正文').next;
    expect(() => wf.approveReply(inReview, ctx(81, own), 1, { replyClass: 'B', reason: 'x' })).toThrow(/答复分类 B/);
  });
});

describe('follow-up and the second reply (二次答复)', () => {
  const closedWith = (cls: string, replies = wf.defaultReplyPolicy) => {
    const inReview = wf.submitReply(handling(), ctx(80, replies), 'commerce', cls, '正文').next;
    const replied = wf.approveReply(inReview, ctx(81, replies), 1).next;
    return wf.giveFeedback(replied, ctx(82, replies), { n: 1, memberId: 'a', satisfaction: 'satisfied' }).next;
  };

  it('B is followed up; C and D are not by default; a city may follow C', () => {
    expect(closedWith('B').followUp?.open).toBe(true);
    expect(closedWith('C').followUp).toBeUndefined();
    const withC = {
      ...wf.defaultReplyPolicy,
      classes: wf.defaultReplyPolicy.classes.map((c) => (c.code === 'C' ? { ...c, followUp: true } : c)),
    };
    expect(closedWith('C', withC).followUp?.open).toBe(true);
  });

  it('the final progress report is the second reply; a proposer rates it once', () => {
    const closed = closedWith('B');
    const reported = wf.reportProgress(closed, ctx(120), 'commerce', '已建成投用', true);
    expect(reported.next.followUp).toMatchObject({ open: false, secondReply: { n: 1, text: '已建成投用', at: day(120) } });
    expect(reported.events[0]).toMatchObject({ type: 'ProgressReported', data: { resolved: true, n: 1 } });
    const rated = wf.rateSecondReply(reported.next, ctx(121), { memberId: 'a', satisfaction: 'satisfied' });
    expect(rated.next.feedback.at(-1)).toMatchObject({ n: 1, memberId: 'a', second: true });
    expect(rated.events[0]).toMatchObject({ type: 'FeedbackGiven', data: { second: true } });
    expect(() => wf.rateSecondReply(rated.next, ctx(122), { memberId: 'a', satisfaction: 'dissatisfied' })).toThrow(/二次答复/);
    expect(() => wf.rateSecondReply(closed, ctx(122), { memberId: 'a', satisfaction: 'satisfied' })).toThrow(/没有二次答复/);
  });

  it('follow-up ends at the cap of periods without a final report', () => {
    let p = closedWith('B', { ...wf.defaultReplyPolicy, followUpMax: 2 });
    p = wf.reportProgress(p, ctx(100, { ...wf.defaultReplyPolicy, followUpMax: 2 }), 'commerce', '推进中', false).next;
    expect(p.followUp?.open).toBe(true);
    const last = wf.reportProgress(p, ctx(190, { ...wf.defaultReplyPolicy, followUpMax: 2 }), 'commerce', '仍在推进', false);
    expect(last.next.followUp).toMatchObject({ open: false, capped: true });
    expect(last.events[0]).toMatchObject({ data: { capped: true } });
    expect(openObligations(last.next).map((o) => o.id)).not.toContain('followUp');
  });
});

it('formats the 文号 from the city pattern', () => {
  expect(formatLetterNumber('{unitShort}函〔{year}〕{seq}号', { id: 'health', short: '卫健' }, 2026, 12)).toBe('卫健函〔2026〕12号');
  expect(formatLetterNumber('{unit}-{year}-{seq:3}', { id: 'health', short: '卫健' }, 2026, 7)).toBe('health-2026-007');
});
