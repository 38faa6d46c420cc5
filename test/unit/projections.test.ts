/**
 * What each role sees of a proposal (functions/api/projections.ts, docs/access.md), field by field:
 * one proposal with every field filled, viewed as the office, the committee, a leader, the lead unit,
 * a co-unit and a proposer. Each view also parses as the response schema says (the console's types).
 */
import { describe, expect, it } from 'vitest';
import { proposalSchema, type Proposal } from '#domain/proposal.ts';
import type { Identity } from '#domain/access.ts';
import { configParts } from '#app/state.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { FixedClock } from '#shared/clock.ts';
import { toView } from '#functions/api/views.ts';
import { audienceOf, auditTrail } from '#functions/api/projections.ts';
import { domainEventSchema } from '#events/domain-events.ts';
import { proposalView } from '#functions/api/schemas.ts';

const at = '2026-03-02T01:00:00.000Z';
const later = '2026-03-20T15:59:59.999Z';
const state = { ...configParts(loadCityConfigFile('infra/cities/alar.yaml')), clock: new FixedClock(new Date(at)) };

const reply = (n: number, status: string, over: Record<string, unknown> = {}) => ({
  n,
  round: 1,
  unit: 'commerce',
  replyClass: 'A',
  text: `第${n}次答复正文`,
  status,
  submittedAt: at,
  ...over,
});

/** Every field a role could see or not see, filled. */
const full: Proposal = proposalSchema.parse({
  id: 'p1',
  number: '2026-001',
  year: 2026,
  seq: 1,
  title: '关于夜市的建议',
  body: '夜市',
  category: '经济',
  key: true,
  leader: '张副市长',
  instructions: [
    { n: 1, leader: '张副市长', text: '批示一', at, deadline: later, units: { commerce: {}, market: { acknowledgedAt: at } } },
    { n: 2, leader: '张副市长', text: '批示二：只给卫健', at, deadline: later, units: { health: {} } },
  ],
  committeeReturn: { reason: '退回提案委员会的理由', at },
  proposers: [
    { memberId: 'm-1', name: '王丽', email: 'wangli@example.com', mobile: '13800000001', sector: '经济界' },
    { memberId: 'm-2', name: '李强', email: 'liqiang@example.com', mobile: '13800000002', sector: '教育界' },
  ],
  submittedBy: { role: 'member', sub: 'm-1' },
  status: 'in_progress',
  lead: 'commerce',
  co: ['market', 'health'],
  matches: [{ unit: 'commerce', score: 9, keywords: ['夜市'] }],
  deadlines: { reply: later, objection: later, contact: later },
  escalationLevel: 1,
  units: {
    commerce: { role: 'lead', assignedAt: at, acknowledgedAt: at, objection: { reason: '主办的调整理由', at, decidedAt: at } },
    market: {
      role: 'co',
      assignedAt: at,
      objection: { reason: '市场监管的调整理由', at, decideBy: later },
      opinion: { text: '市场监管的协办意见', at },
    },
    health: { role: 'co', assignedAt: at, acknowledgedAt: at, acknowledgeBy: later, opinion: { text: '卫健的协办意见', at } },
  },
  contacts: [
    { unit: 'commerce', mode: 'face_to_face', at, note: '主办的面商记录', recordedAt: at },
    { unit: 'market', mode: 'phone', at, note: '市场监管的联系记录', recordedAt: at },
  ],
  replies: [
    reply(1, 'returned', { decidedAt: at, returnReason: '政府办的退回理由' }),
    reply(2, 'approved', {
      signedAt: at,
      decidedAt: at,
      countersigns: [{ unit: 'market', at, note: '市场监管的会签意见' }],
      classCorrection: { from: 'B', reason: '政府办更正类别的理由' },
      reviewFrom: at,
      reviewBy: later,
      letter: { contactName: '刘科长', contactPhone: '0997-1234567', disclosure: 'public', docNumber: '商函〔2026〕1号', signer: '陈局长' },
    }),
    reply(3, 'countersign', { signedAt: at }),
    reply(4, 'signing'),
    reply(5, 'draft'),
  ],
  feedback: [
    { n: 2, memberId: 'm-1', satisfaction: 'dissatisfied', comment: '王丽的评价意见', at },
    { n: 2, memberId: 'm-2', satisfaction: 'satisfied', at },
  ],
  supervisions: [
    { unit: 'commerce', mode: 'onsite', note: '督办主办单位', at, recordedAt: at },
    { unit: 'market', mode: 'phone', note: '督办市场监管', at, recordedAt: at },
  ],
  extensionRequests: [{ n: 1, unit: 'commerce', until: later, reason: '主办的延期理由', at, decideBy: later }],
  similar: [{ id: 'p0', number: '2025-010', title: '关于夜市管理的建议', score: 0.8 }],
  calendarWarnings: [],
  version: 9,
  createdAt: at,
  updatedAt: at,
});

const office: Identity = { role: 'office', sub: 'o' };
const committee: Identity = { role: 'committee', sub: 'c' };
const leader: Identity = { role: 'leader', sub: 'l', leader: '张副市长' };
const lead: Identity = { role: 'unit', sub: 'u-commerce', unit: 'commerce' };
const co: Identity = { role: 'unit', sub: 'u-market', unit: 'market' };
const member: Identity = { role: 'member', sub: 'm-1', memberId: 'm-1' };

const view = (who: Identity) => toView(full, state, who);
const text = (who: Identity) => JSON.stringify(view(who));
const replyStatuses = (who: Identity) => (view(who).replies ?? []).map((r) => `${r.n}:${r.status}`);

describe('one projection per role', () => {
  it('names the audience: staff, the lead unit, a co-unit, a proposer', () => {
    expect([office, committee, leader, lead, co, member].map((w) => audienceOf(w, { lead: 'commerce', units: {} }))).toEqual([
      'staff',
      'staff',
      'staff',
      'lead',
      'co',
      'member',
    ]);
  });

  it('every view parses as the response schema says', () => {
    for (const who of [office, committee, leader, lead, co, member]) expect(() => proposalView.parse(view(who))).not.toThrow();
  });

  it('the fields every role sees alike', () => {
    for (const who of [office, committee, leader, lead, co, member]) {
      const v = view(who);
      expect(v).toMatchObject({ id: 'p1', number: '2026-001', title: '关于夜市的建议', body: '夜市', key: true, leader: '张副市长' });
      expect(v).toMatchObject({ status: 'in_progress', lead: 'commerce', co: ['market', 'health'], escalationLevel: 1, version: 9 });
      expect(v.proposers.map((p) => p.name)).toEqual(['王丽', '李强']);
      expect(Object.keys(v.units ?? {}).sort()).toEqual(['commerce', 'health', 'market']);
      expect((v.contacts ?? []).map((c) => `${c.unit}:${c.mode}`)).toEqual(['commerce:face_to_face', 'market:phone']);
    }
  });
});

describe('the office, the committee and the leaders', () => {
  it('see everything but a reply that has not left the lead unit (a draft, or one waiting for 签发)', () => {
    for (const who of [office, committee, leader]) {
      const v = view(who);
      expect(v.proposers.map((p) => [p.email, p.mobile])).toEqual([
        ['wangli@example.com', '13800000001'],
        ['liqiang@example.com', '13800000002'],
      ]);
      expect(v.units?.market).toMatchObject({ objection: { reason: '市场监管的调整理由' }, opinion: { text: '市场监管的协办意见' } });
      expect(v.units?.health?.opinion?.text).toBe('卫健的协办意见');
      expect((v.contacts ?? []).map((c) => c.note)).toEqual(['主办的面商记录', '市场监管的联系记录']);
      expect(replyStatuses(who)).toEqual(['1:returned', '2:approved', '3:countersign']);
      expect(v.replies?.[1]).toMatchObject({
        classCorrection: { reason: '政府办更正类别的理由' },
        countersigns: [{ note: '市场监管的会签意见' }],
      });
      expect(v.feedback?.map((f) => [f.memberId, f.satisfaction, f.comment])).toEqual([
        ['m-1', 'dissatisfied', '王丽的评价意见'],
        ['m-2', 'satisfied', undefined],
      ]);
      expect(v.supervisions?.map((s) => s.note)).toEqual(['督办主办单位', '督办市场监管']);
      expect(v.extensionRequests?.map((r) => r.reason)).toEqual(['主办的延期理由']);
      expect(v.instructions?.map((i) => i.n)).toEqual([1, 2]);
      expect(v.committeeReturn?.reason).toBe('退回提案委员会的理由');
      expect(v.similar?.map((s) => s.id)).toEqual(['p0']);
      expect(v.matchedKeywords.map((m) => m.unit)).toEqual(['commerce']);
      expect(v.obligations.map((o) => o.obligation)).toEqual(expect.arrayContaining(['objectionDecision', 'extensionDecision']));
      expect(Object.keys(v.deadlines)).toContain('objection');
      expect(text(who)).not.toMatch(/第4次答复正文|第5次答复正文/);
    }
  });
});

describe('the lead unit', () => {
  const v = view(lead);
  it('sees the proposers with their contact data, for 面商', () => {
    expect(v.proposers.map((p) => p.email)).toEqual(['wangli@example.com', 'liqiang@example.com']);
    expect(v.proposers.map((p) => p.mobile)).toEqual(['13800000001', '13800000002']);
  });
  it("sees the co-units' opinions and every contact's note, but no other unit's objection reason", () => {
    expect(v.units?.commerce?.objection?.reason).toBe('主办的调整理由');
    expect(v.units?.market?.objection).toEqual({ at, decideBy: later }); // still shows 申请调整 pending
    expect(v.units?.market?.opinion?.text).toBe('市场监管的协办意见');
    expect(v.units?.health?.opinion?.text).toBe('卫健的协办意见');
    expect((v.contacts ?? []).map((c) => c.note)).toEqual(['主办的面商记录', '市场监管的联系记录']);
    expect(text(lead)).not.toContain('市场监管的调整理由');
  });
  it('sees its own replies at every stage', () => {
    expect(replyStatuses(lead)).toEqual(['1:returned', '2:approved', '3:countersign', '4:signing', '5:draft']);
  });
  it('sees the ratings without who gave them', () => {
    expect(v.feedback).toEqual([
      { n: 2, satisfaction: 'dissatisfied', comment: '王丽的评价意见', at },
      { n: 2, satisfaction: 'satisfied', at },
    ]);
  });
  it('sees its own supervisions and extension requests, the 批示 sent to it, not the office-only fields', () => {
    expect(v.supervisions?.map((s) => s.note)).toEqual(['督办主办单位']);
    expect(v.extensionRequests?.map((r) => r.reason)).toEqual(['主办的延期理由']);
    expect(v.instructions?.map((i) => i.n)).toEqual([1]);
    expect(v.committeeReturn).toBeUndefined();
    expect(v.similar).toEqual([]);
    expect(text(lead)).not.toMatch(/督办市场监管|批示二|退回提案委员会的理由/);
  });
});

describe('a co-unit', () => {
  const v = view(co);
  it("sees the proposers with their contact data, its own state, not the other co-unit's opinion", () => {
    expect(v.proposers.map((p) => p.email)).toEqual(['wangli@example.com', 'liqiang@example.com']);
    expect(v.units?.market).toMatchObject({ objection: { reason: '市场监管的调整理由' }, opinion: { text: '市场监管的协办意见' } });
    expect(v.units?.health?.opinion).toBeUndefined();
    expect(v.units?.health).toMatchObject({ role: 'co', acknowledgedAt: at });
    expect(v.units?.commerce?.objection).toEqual({ at, decidedAt: at });
    expect(text(co)).not.toMatch(/卫健的协办意见|主办的调整理由/);
  });
  it("sees its own contacts' notes, the others' contacts without theirs", () => {
    expect(v.contacts?.map((c) => c.note)).toEqual([undefined, '市场监管的联系记录']);
    expect(text(co)).not.toContain('主办的面商记录');
  });
  it('sees the replies once they left the lead unit (for 会签), and the ratings without who gave them', () => {
    expect(replyStatuses(co)).toEqual(['1:returned', '2:approved', '3:countersign']);
    expect(v.feedback?.every((f) => !('memberId' in f))).toBe(true);
  });
  it('sees its own supervisions, no extension request (the lead asks), the 批示 sent to it', () => {
    expect(v.supervisions?.map((s) => s.note)).toEqual(['督办市场监管']);
    expect(v.extensionRequests).toEqual([]);
    expect(v.instructions?.map((i) => i.n)).toEqual([1]);
    expect(v.committeeReturn).toBeUndefined();
    expect(v.similar).toEqual([]);
  });
});

describe('a proposer', () => {
  const v = view(member);
  it("sees the co-proposers' names, not their contact data; their own", () => {
    expect(v.proposers).toEqual([
      { memberId: 'm-1', name: '王丽', email: 'wangli@example.com', mobile: '13800000001', sector: '经济界' },
      { memberId: 'm-2', name: '李强', sector: '教育界' },
    ]);
    expect(text(member)).not.toMatch(/liqiang@example\.com|13800000002/);
  });
  it("sees the units' roles and acknowledgements, not their objections or opinions", () => {
    expect(v.units).toEqual({
      commerce: { role: 'lead', assignedAt: at, acknowledgedAt: at },
      market: { role: 'co', assignedAt: at },
      health: { role: 'co', assignedAt: at, acknowledgedAt: at },
    });
    expect(text(member)).not.toMatch(/调整理由|协办意见/);
  });
  it("sees the contacts with them, without the units' notes", () => {
    expect(v.contacts).toEqual([
      { unit: 'commerce', mode: 'face_to_face', at, recordedAt: at },
      { unit: 'market', mode: 'phone', at, recordedAt: at },
    ]);
  });
  it("sees only the replies sent to them, as sent: no office's correction or review, no 会签 notes", () => {
    expect(replyStatuses(member)).toEqual(['2:approved']);
    expect(v.replies?.[0]).toEqual({
      n: 2,
      round: 1,
      unit: 'commerce',
      replyClass: 'A',
      text: '第2次答复正文',
      status: 'approved',
      submittedAt: at,
      signedAt: at,
      decidedAt: at,
      letter: { contactName: '刘科长', contactPhone: '0997-1234567', disclosure: 'public', docNumber: '商函〔2026〕1号', signer: '陈局长' },
    });
    expect(text(member)).not.toMatch(/政府办的退回理由|政府办更正类别的理由|市场监管的会签意见/);
  });
  it('sees their own rating only', () => {
    expect(v.feedback).toEqual([{ n: 2, memberId: 'm-1', satisfaction: 'dissatisfied', comment: '王丽的评价意见', at }]);
  });
  it("sees none of the office's and the units' dealings, nor their deadlines", () => {
    expect(v.supervisions).toEqual([]);
    expect(v.extensionRequests).toEqual([]);
    expect(v.instructions).toEqual([]);
    expect(v.similar).toEqual([]);
    expect(v.matchedKeywords).toEqual([]);
    expect(v.committeeReturn).toBeUndefined();
    const hidden = ['objection', 'objectionDecision', 'extensionDecision', 'instruction', 'replyReview', 'countersign'];
    expect(v.obligations.filter((o) => hidden.includes(o.obligation))).toEqual([]);
    expect(v.obligations.map((o) => o.obligation)).toContain('reply');
    expect(Object.keys(v.deadlines).sort()).toEqual(['contact', 'reply']);
    expect(text(member)).not.toMatch(/督办|延期理由|批示|退回提案委员会|2025-010/);
  });
});

describe('the audit trail (staff only, by its route)', () => {
  it('leaves out the text of a reply that had not left the lead unit, and keeps every event', () => {
    const event = (seq: number, type: string, data: Record<string, unknown>) =>
      domainEventSchema.parse({
        eventId: `e${seq}`,
        proposalId: 'p1',
        seq,
        at,
        actor: { role: 'unit', sub: 'u', unit: 'commerce' },
        type,
        data,
      });
    const reply = { n: 1, unit: 'commerce', replyClass: 'A', round: 1 };
    const trail = auditTrail([
      event(1, 'ContactRecorded', { unit: 'commerce', mode: 'phone', contactAt: at, note: '主办的面商记录' }),
      event(2, 'ReplyDrafted', { ...reply, text: '草稿正文' }),
      event(3, 'ReplySubmitted', { ...reply, text: '送签发的正文', next: 'signing' }),
      event(4, 'ReplySubmitted', { ...reply, text: '送审核的正文', next: 'review' }),
    ]);
    expect(trail.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(trail.map((e) => e.data.text ?? e.data.note)).toEqual(['主办的面商记录', undefined, undefined, '送审核的正文']);
    expect(trail[1]?.data).toEqual(reply);
  });
});
