/**
 * 分办 as the console offers it (actions.ts): the assignment's further lead units, each lead unit's
 * reply form on its own part, the office's choice of which reply it approves or returns and of which
 * part it re-handles or extends, and a member's rating of each part. The API is a recording fetch (the
 * real client runs).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { setConfig } from '../config';
import { session } from '../auth/session';
import type { ProposalView } from '../api/types';
import ActionDialog from './ActionDialog.vue';
import { actionSpecs, mayRateSecondReply, secondReplyRatingSpecFor, unratedAnswers, type ActionContext } from './actions';

type Reply = ProposalView['replies'][number];
const reply = (over: Partial<Reply>): Reply => ({
  n: 1,
  round: 1,
  unit: 'commerce',
  replyClass: 'A',
  text: '商务局的答复。',
  status: 'review',
  submittedAt: '2026-04-01T02:00:00Z',
  countersigns: [],
  ...over,
});
/** A proposal split between 商务局 (first) and 交通运输局, with 住房和城乡建设局 as co-unit. */
const splitView = (over: Partial<ProposalView> = {}): ProposalView =>
  ({
    id: 'p1',
    number: '2026-001',
    title: 't',
    lead: 'commerce',
    leads: ['commerce', 'transport'],
    co: ['housing'],
    units: {},
    deadlines: {},
    similar: [],
    matchedKeywords: [],
    replies: [],
    feedback: [],
    partFollowUps: {},
    actions: [],
    ...over,
  }) as unknown as ProposalView;
const OFFICE = { role: 'office' as const, sub: 'o' };
const MEMBER = { role: 'member' as const, sub: 'm', memberId: 'm-001' };
const unit = (u: string) => ({ role: 'unit' as const, sub: u, unit: u });
const ctxOf = (view: ProposalView, identity: ActionContext['identity'] = OFFICE): ActionContext => ({
  view,
  identity,
  units: [
    { id: 'commerce', name: '商务局' },
    { id: 'transport', name: '交通运输局' },
    { id: 'housing', name: '住房和城乡建设局' },
  ],
  timeZone: 'Asia/Shanghai',
});

let sent: { method: string; path: string; body: unknown }[] = [];
beforeAll(() => {
  setConfig({ city: { id: 'c', name: '市', timeZone: 'Asia/Shanghai' }, apiBase: 'http://api.test', auth: { mode: 'local' } });
  session.token = 'tok';
  vi.stubGlobal('fetch', async (r: Request) => {
    const text = await r.text();
    sent.push({ method: r.method, path: new URL(r.url).pathname, body: text ? JSON.parse(text) : undefined });
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => {
  sent = [];
  document.body.innerHTML = '';
});
const bodies = () => sent.map((s) => [s.path, s.body]);
const props = (fields: { prop: string }[] | undefined) => (fields ?? []).map((f) => f.prop);

describe('交办 / 调整承办单位 with 分办单位', () => {
  it('starts from the view’s further lead units and sends them as leads, never also as co-units', async () => {
    const c = ctxOf(splitView());
    const field = actionSpecs.assign.fields?.(c).find((f) => f.prop === 'leads');
    expect(field).toMatchObject({ label: '其他主办单位（分办，各自答复一部分）', kind: 'multiselect' });
    expect(actionSpecs.assign.initial?.(c)).toEqual({ lead: 'commerce', leads: ['transport'], co: ['housing'] });
    expect(actionSpecs.assign.initial?.(ctxOf(splitView({ leads: [] })))).toMatchObject({ leads: [] });

    await actionSpecs.assign.send(c, { lead: 'commerce', leads: ['commerce', 'transport'], co: ['transport', 'housing'], reason: '分办' });
    await actionSpecs.assign.send(c, { lead: 'commerce', leads: [], co: ['housing'], reason: '' });
    expect(bodies()).toEqual([
      ['/v1/proposals/p1/assignment', { lead: 'commerce', co: ['housing'], leads: ['transport'], reason: '分办' }],
      // No further lead: the body a single lead always had.
      ['/v1/proposals/p1/assignment', { lead: 'commerce', co: ['housing'] }],
    ]);
  });
});

describe('a lead unit works on its own part', () => {
  it('答复 starts from its own returned reply, not the other part’s draft or reply', () => {
    const view = splitView({
      replies: [
        reply({ n: 1, unit: 'commerce', status: 'approved' }),
        reply({ n: 2, unit: 'transport', status: 'returned', text: '交通的答复。', replyClass: 'B' }),
      ],
    });
    expect(actionSpecs.reply.initial?.(ctxOf(view, unit('transport')))).toMatchObject({ class: 'B', text: '交通的答复。' });
    // 商务局's part is answered: nothing of 交通运输局's to start from.
    expect(actionSpecs.reply.initial?.(ctxOf(view, unit('commerce')))).toMatchObject({ class: undefined, text: '' });
  });

  it('签发 signs its own unit’s reply; 会签 picks the reply this co-unit has not countersigned yet', async () => {
    const view = splitView({
      replies: [
        reply({ n: 1, unit: 'commerce', status: 'countersign', countersigns: [{ unit: 'housing', at: '2026-04-02T00:00:00Z' }] }),
        reply({ n: 2, unit: 'transport', status: 'signing' }),
        reply({ n: 3, unit: 'commerce', status: 'signing' }),
        reply({ n: 4, unit: 'transport', status: 'countersign' }),
      ],
    });
    await actionSpecs.signReply.send(ctxOf(view, { ...unit('commerce'), unitHead: true }), { signer: '王局长' });
    // n 3 is 商务局's second reply (n 1 was its first): named as the unit counts it.
    expect(actionSpecs.signReply.note?.(ctxOf(view, { ...unit('commerce'), unitHead: true }))).toContain('签发第2次答复');
    await actionSpecs.countersignReply.send(ctxOf(view, unit('housing')), { note: '' });
    expect(bodies()).toEqual([
      ['/v1/proposals/p1/replies/3/sign', { signer: '王局长' }],
      ['/v1/proposals/p1/replies/4/countersign', {}],
    ]);
  });
});

describe('审核通过 and 退回 with several replies under review', () => {
  const view = splitView({
    replies: [
      reply({ n: 1, unit: 'commerce', status: 'returned' }),
      reply({ n: 2, unit: 'transport', status: 'returned' }),
      reply({ n: 3, unit: 'commerce', replyClass: 'A' }),
      reply({ n: 4, unit: 'transport', replyClass: 'B' }),
    ],
  });

  it('asks which reply, named as its unit counts it and by the unit; the class is then chosen only to correct it', async () => {
    const c = ctxOf(view);
    const fields = actionSpecs.approveReply.fields?.(c);
    expect(props(fields)).toEqual(['n', 'class', 'reason']);
    expect(fields?.[0]?.options).toEqual([
      { value: '3', label: '第2次答复（商务局）' },
      { value: '4', label: '第2次答复（交通运输局）' },
    ]);
    expect(fields?.[1]).toMatchObject({ label: '更正答复类别（不更正的不选）' });
    expect(fields?.[1]?.required).toBeUndefined();
    expect(actionSpecs.approveReply.initial?.(c)).toEqual({ n: '3' });

    await actionSpecs.approveReply.send(c, { n: '4', class: '', reason: '' });
    await actionSpecs.approveReply.send(c, { n: '4', class: 'B', reason: '' }); // B is its own class: no correction
    await actionSpecs.approveReply.send(c, { n: '3', class: 'C', reason: '尚未解决' });
    expect(bodies()).toEqual([
      ['/v1/proposals/p1/replies/4/approve', {}],
      ['/v1/proposals/p1/replies/4/approve', {}],
      ['/v1/proposals/p1/replies/3/approve', { class: 'C', reason: '尚未解决' }],
    ]);
  });

  it('names the field when no reply is chosen, and sends nothing', async () => {
    const failed = await Promise.resolve()
      .then(() => actionSpecs.approveReply.send(ctxOf(view), { n: undefined, class: '' }))
      .catch((e: unknown) => e);
    expect(failed).toMatchObject({ status: 400, errors: [{ path: 'n', message: '请选择答复' }] });
    expect(sent).toEqual([]);
  });

  it('退回 offers the replies under review and in 会签', async () => {
    const c = ctxOf(splitView({ replies: [...view.replies, reply({ n: 5, unit: 'housing', status: 'countersign' })] }));
    expect(actionSpecs.returnReply.fields?.(c)[0]?.options?.map((o) => o.value)).toEqual(['3', '4', '5']);
    expect(actionSpecs.returnReply.initial?.(c)).toEqual({ n: '3' });
    await actionSpecs.returnReply.send(c, { n: '4', reason: '请补充线路规划' });
    expect(bodies()).toEqual([['/v1/proposals/p1/replies/4/return', { reason: '请补充线路规划' }]]);
  });

  it('is as before with one reply: no choice', () => {
    const c = ctxOf(splitView({ replies: [reply({ n: 3 })] }));
    expect(props(actionSpecs.approveReply.fields?.(c))).toEqual(['class', 'reason']);
    expect(actionSpecs.approveReply.initial?.(c)).toEqual({ class: 'A' });
    expect(props(actionSpecs.returnReply.fields?.(c))).toEqual(['reason']);
  });

  it('shows the choice in the dialog', async () => {
    const w = mount(ActionDialog, {
      props: { spec: actionSpecs.approveReply, ctx: ctxOf(view), modelValue: true },
      global: { plugins: [ElementPlus], stubs: { transition: false, 'transition-group': false } },
      attachTo: document.body,
    });
    await flushPromises();
    const labels = [...document.body.querySelectorAll('.el-form-item label')].map((l) => l.textContent?.trim());
    expect(labels).toEqual(['答复', '更正答复类别（不更正的不选）', '更正理由（更正类别时填写）']);
    expect(document.body.textContent).toContain('第2次答复（商务局）');
    w.unmount();
  });
});

describe('重新办理 and 延期 name the part', () => {
  it('offer the lead units when split, and send the one chosen', async () => {
    const c = ctxOf(splitView({ deadlines: { 'reply#transport': '2026-06-01T00:00:00+08:00' } }));
    for (const a of ['rehandle', 'extend'] as const)
      expect(actionSpecs[a].fields?.(c)[0]?.options).toEqual([
        { value: 'commerce', label: '商务局' },
        { value: 'transport', label: '交通运输局' },
      ]);
    expect(actionSpecs.rehandle.initial?.(c)).toEqual({ unit: 'commerce' });
    // 延期 starts from the part that still owes its reply.
    expect(actionSpecs.extend.initial?.(c)).toEqual({ unit: 'transport' });
    await actionSpecs.rehandle.send(c, { unit: 'transport', reason: '线路未落实' });
    await actionSpecs.extend.send(c, { unit: 'transport', until: '2026-07-01', reason: '' });
    expect(bodies()).toEqual([
      ['/v1/proposals/p1/rehandle', { reason: '线路未落实', unit: 'transport' }],
      ['/v1/proposals/p1/extension', { until: '2026-07-01', unit: 'transport' }],
    ]);
  });

  it('offer no unit for a single lead, and send none', async () => {
    const c = ctxOf(splitView({ leads: [] }));
    expect(props(actionSpecs.rehandle.fields?.(c))).toEqual(['reason']);
    expect(props(actionSpecs.extend.fields?.(c))).toEqual(['until', 'reason']);
    await actionSpecs.rehandle.send(c, { unit: 'transport', reason: '未落实' });
    expect(bodies()).toEqual([['/v1/proposals/p1/rehandle', { reason: '未落实' }]]);
  });
});

describe('评价 part by part', () => {
  const view = splitView({
    replies: [
      reply({ n: 1, unit: 'commerce', status: 'approved' }),
      reply({ n: 2, unit: 'transport', status: 'approved' }),
      reply({ n: 3, unit: 'transport', round: 2, status: 'approved' }),
    ],
  });

  it('asks which part’s answer while several are unrated: the latest approved of each unit', async () => {
    const c = ctxOf(view, MEMBER);
    expect(unratedAnswers(view, 'm-001').map((r) => r.n)).toEqual([1, 3]);
    const fields = actionSpecs.rate.fields?.(c);
    expect(props(fields)).toEqual(['n', 'satisfaction', 'comment']);
    // 交通运输局's n 3 is its second answer (after re-handling).
    expect(fields?.[0]?.options?.map((o) => o.label)).toEqual(['第1次答复（商务局）', '第2次答复（交通运输局）']);
    expect(actionSpecs.rate.note?.(c)).toContain('分别评价');
    expect(actionSpecs.rate.initial?.(c)).toEqual({ n: '1' });
    await actionSpecs.rate.send(c, { n: '3', satisfaction: 'satisfied', comment: '' });
    expect(bodies()).toEqual([['/v1/proposals/p1/feedback', { n: 3, satisfaction: 'satisfied' }]]);
  });

  it('rates the one left without asking, even when it is not the latest reply', async () => {
    const rated = { ...view, feedback: [{ n: 3, memberId: 'm-001', satisfaction: 'satisfied' as const, at: '2026-05-01T00:00:00Z' }] };
    const c = ctxOf(rated, MEMBER);
    expect(props(actionSpecs.rate.fields?.(c))).toEqual(['satisfaction', 'comment']);
    expect(actionSpecs.rate.note?.(c)).toBe('');
    await actionSpecs.rate.send(c, { satisfaction: 'basically_satisfied' });
    expect(bodies()).toEqual([['/v1/proposals/p1/feedback', { n: 1, satisfaction: 'basically_satisfied' }]]);
  });

  it('rates each part’s 二次答复 on its own', async () => {
    const second = (n: number) => ({ open: false, progress: [], secondReply: { n, text: '已解决', at: '2026-09-01T00:00:00Z' } });
    const v = splitView({
      followUp: second(1),
      partFollowUps: { transport: second(3) },
      feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-09-02T00:00:00Z', second: true }],
    });
    expect(mayRateSecondReply(v, MEMBER)).toBe(false); // the first lead's, rated
    expect(mayRateSecondReply(v, MEMBER, 'commerce')).toBe(false);
    expect(mayRateSecondReply(v, MEMBER, 'transport')).toBe(true);
    expect(mayRateSecondReply(v, MEMBER, 'housing')).toBe(false);
    await secondReplyRatingSpecFor('transport').send(ctxOf(v, MEMBER), { satisfaction: 'satisfied' });
    expect(bodies()).toEqual([['/v1/proposals/p1/feedback', { n: 3, satisfaction: 'satisfied', second: true }]]);
  });
});
