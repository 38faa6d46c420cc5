/**
 * The reply steps as the console offers them (actions.ts): what each dialog starts from and what it
 * sends. The API is a recording fetch (the real client runs).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { setConfig } from '../config';
import { session } from '../auth/session';
import type { ProposalView } from '../api/types';
import ActionBar from './ActionBar.vue';
import ActionDialog from './ActionDialog.vue';
import { actionSpecs, mayRateSecondReply, secondReplyRatingSpec, type ActionContext } from './actions';
import { openReplyLetter } from './reply-letter';

type Reply = ProposalView['replies'][number];
const reply = (over: Partial<Reply>): Reply => ({
  n: 1,
  round: 1,
  unit: 'education',
  replyClass: 'B',
  text: '已列入明年计划。',
  status: 'draft',
  submittedAt: '2026-04-01T02:00:00Z',
  countersigns: [],
  ...over,
});
const viewWith = (over: Partial<ProposalView>): ProposalView =>
  ({
    id: 'p1',
    number: '2026-001',
    title: 't',
    lead: 'education',
    co: ['health'],
    similar: [],
    matchedKeywords: [],
    replies: [],
    feedback: [],
    actions: [],
    ...over,
  }) as unknown as ProposalView;
const cityClasses = [
  { code: 'A', name: '已解决', followUp: false },
  { code: 'B', name: '正在解决', followUp: true },
  { code: 'S', name: '列入规划', followUp: true },
];
const ctxOf = (view: ProposalView, over: Partial<ActionContext> = {}): ActionContext => ({
  view,
  identity: { role: 'unit', sub: 'u', unit: 'education' },
  units: [
    { id: 'education', name: '教育局' },
    { id: 'health', name: '卫生健康委员会' },
  ],
  timeZone: 'Asia/Shanghai',
  replyClasses: cityClasses,
  ...over,
});

/** Every request the client sent: method, path, body. */
let sent: { method: string; path: string; body: unknown }[] = [];
let answer: () => Response = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
let lastAuth: string | null = null;

beforeAll(() => {
  setConfig({ city: { id: 'c', name: '市', timeZone: 'Asia/Shanghai' }, apiBase: 'http://api.test', auth: { mode: 'local' } });
  session.token = 'tok';
  vi.stubGlobal('fetch', async (r: Request) => {
    lastAuth = r.headers.get('Authorization');
    const text = await r.text();
    sent.push({ method: r.method, path: new URL(r.url).pathname, body: text ? JSON.parse(text) : undefined });
    return answer();
  });
});

afterEach(() => {
  sent = [];
  document.body.innerHTML = '';
});

const global = { plugins: [ElementPlus], stubs: { transition: false, 'transition-group': false } };

describe('答复 and 起草答复', () => {
  it('offer the city’s classes and start from the draft, letter fields included', () => {
    const draft = reply({
      replyClass: 'S',
      letter: { contactName: '张老师', contactPhone: '0993-1234567', disclosure: 'on_request', disclosureReason: '涉及个人信息' },
    });
    const c = ctxOf(viewWith({ replies: [draft] }));
    const classField = actionSpecs.reply.fields?.(c).find((f) => f.prop === 'class');
    expect(classField?.options?.map((o) => o.label)).toEqual(['A类：已解决', 'B类：正在解决', 'S类：列入规划']);
    for (const a of ['reply', 'draftReply'] as const)
      expect(actionSpecs[a].initial?.(c)).toEqual({
        class: 'S',
        text: '已列入明年计划。',
        contactName: '张老师',
        contactPhone: '0993-1234567',
        disclosure: 'on_request',
        disclosureReason: '涉及个人信息',
      });
  });

  it('fall back to the national four before /v1/me is loaded, and start a corrected reply from the returned one', () => {
    const c = ctxOf(viewWith({ replies: [reply({ status: 'returned', returnReason: '请补充经费来源' })] }), { replyClasses: undefined });
    expect(actionSpecs.reply.fields?.(c)[0]?.options?.map((o) => o.value)).toEqual(['A', 'B', 'C', 'D']);
    expect(actionSpecs.reply.initial?.(c)).toMatchObject({ class: 'B', text: '已列入明年计划。', disclosure: 'public' });
    expect(actionSpecs.reply.initial?.(ctxOf(viewWith({})))).toMatchObject({ class: undefined, text: '', disclosure: 'public' });
  });

  it('name the draft button by where the reply is', () => {
    expect(actionSpecs.draftReply.button(viewWith({}))).toBe('起草答复');
    expect(actionSpecs.draftReply.button(viewWith({ replies: [reply({})] }))).toBe('修改草稿');
    expect(actionSpecs.draftReply.button(viewWith({ replies: [reply({ status: 'signing' })] }))).toBe('撤回修改');
  });

  it('save a draft with draft: true, and submit without it; a public reply sends no reason, empty fields are left out', async () => {
    const c = ctxOf(viewWith({}));
    const form = { class: 'B', text: ' 已列入计划 ', contactName: '', contactPhone: ' ', disclosure: 'public', disclosureReason: '旧理由' };
    await actionSpecs.draftReply.send(c, form);
    await actionSpecs.reply.send(c, { ...form, disclosure: 'private', disclosureReason: '涉及国家秘密', contactName: '张老师' });
    expect(sent).toEqual([
      { method: 'POST', path: '/v1/proposals/p1/replies', body: { class: 'B', text: '已列入计划', draft: true, disclosure: 'public' } },
      {
        method: 'POST',
        path: '/v1/proposals/p1/replies',
        body: { class: 'B', text: '已列入计划', contactName: '张老师', disclosure: 'private', disclosureReason: '涉及国家秘密' },
      },
    ]);
  });

  it('shows the server’s message beside 不公开理由', async () => {
    answer = () =>
      new Response(
        JSON.stringify({
          title: '请求无效',
          status: 400,
          errors: [{ path: 'disclosureReason', message: '依申请公开或不予公开的答复需要说明理由' }],
        }),
        { status: 400, headers: { 'content-type': 'application/problem+json' } },
      );
    const w = mount(ActionDialog, {
      props: { spec: actionSpecs.reply, ctx: ctxOf(viewWith({ replies: [reply({})] })), modelValue: true },
      global,
      attachTo: document.body,
    });
    await flushPromises();
    expect(document.body.textContent).toContain('暂不提交的，请保存为草稿');
    [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === '提交答复')?.click();
    await flushPromises();
    await new Promise((r) => setTimeout(r, 150));
    const item = [...document.body.querySelectorAll('.el-form-item')].find((i) =>
      i.querySelector('label')?.textContent?.startsWith('不公开理由'),
    );
    expect(item?.querySelector('.el-form-item__error')?.textContent).toContain('需要说明理由');
    w.unmount();
    answer = () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  });
});

describe('签发, 会签, 审核, 退回', () => {
  it('签发 signs the reply waiting for it, as the signed-in head by default', async () => {
    const c = ctxOf(viewWith({ replies: [reply({ n: 1, status: 'returned' }), reply({ n: 2, status: 'signing' })] }), {
      identity: { role: 'unit', sub: 'u', unit: 'education', unitHead: true },
      name: '李局长',
    });
    expect(actionSpecs.signReply.initial?.(c)).toEqual({ signer: '李局长' });
    expect(actionSpecs.signReply.note?.(c)).toContain('第2次答复（B类：正在解决）');
    await actionSpecs.signReply.send(c, { signer: '李局长' });
    expect(sent).toEqual([{ method: 'POST', path: '/v1/proposals/p1/replies/2/sign', body: { signer: '李局长' } }]);
  });

  it('会签 countersigns the reply in 会签, with the note when there is one', async () => {
    const c = ctxOf(viewWith({ replies: [reply({ status: 'countersign' })] }), { identity: { role: 'unit', sub: 'h', unit: 'health' } });
    await actionSpecs.countersignReply.send(c, { note: '' });
    await actionSpecs.countersignReply.send(c, { note: '同意。' });
    expect(sent.map((s) => [s.path, s.body])).toEqual([
      ['/v1/proposals/p1/replies/1/countersign', {}],
      ['/v1/proposals/p1/replies/1/countersign', { note: '同意。' }],
    ]);
  });

  it('审核通过 starts from the unit’s class and sends a correction only when the class changed', async () => {
    const c = ctxOf(viewWith({ replies: [reply({ status: 'review' })] }), { identity: { role: 'office', sub: 'o' } });
    expect(actionSpecs.approveReply.confirm).toBeUndefined();
    expect(actionSpecs.approveReply.initial?.(c)).toEqual({ class: 'B' });
    await actionSpecs.approveReply.send(c, { class: 'B', reason: '不需要' });
    await actionSpecs.approveReply.send(c, { class: 'A', reason: '问题已解决' });
    await actionSpecs.approveReply.send(c, { class: 'A', reason: '' });
    expect(sent.map((s) => [s.path, s.body])).toEqual([
      ['/v1/proposals/p1/replies/1/approve', {}],
      ['/v1/proposals/p1/replies/1/approve', { class: 'A', reason: '问题已解决' }],
      // (No reason: the server names the field.)
      ['/v1/proposals/p1/replies/1/approve', { class: 'A' }],
    ]);
  });

  it('退回 returns the reply still in 会签', async () => {
    const c = ctxOf(viewWith({ replies: [reply({ n: 1, status: 'returned' }), reply({ n: 2, status: 'countersign' })] }), {
      identity: { role: 'office', sub: 'o' },
    });
    await actionSpecs.returnReply.send(c, { reason: '请补充卫健委意见' });
    expect(sent).toEqual([{ method: 'POST', path: '/v1/proposals/p1/replies/2/return', body: { reason: '请补充卫健委意见' } }]);
  });

  it('the action bar names the new steps in Chinese', async () => {
    const view = viewWith({ replies: [reply({})], actions: ['draftReply', 'reply', 'signReply', 'countersignReply'] });
    const w = mount(ActionBar, { props: { ctx: ctxOf(view) }, global, attachTo: document.body });
    await flushPromises();
    expect(w.findAll('button').map((b) => b.text())).toEqual(['修改草稿', '答复', '签发', '会签']);
    w.unmount();
  });
});

describe('评价二次答复', () => {
  const member = { role: 'member' as const, sub: 'm', memberId: 'm-001' };
  const followUp = { open: false, progress: [], secondReply: { n: 1, text: '已解决', at: '2026-09-01T00:00:00Z' } };

  it('is offered to a member who has not rated the 二次答复 (their rating of the first reply does not count)', () => {
    const rated1 = [{ n: 1, memberId: 'm-001', satisfaction: 'satisfied' as const, at: '2026-05-01T00:00:00Z' }];
    expect(mayRateSecondReply(viewWith({ followUp, feedback: rated1 }), member)).toBe(true);
    expect(
      mayRateSecondReply(
        viewWith({ followUp, feedback: [...rated1, { ...rated1[0]!, second: true, at: '2026-09-02T00:00:00Z' }] }),
        member,
      ),
    ).toBe(false);
    expect(mayRateSecondReply(viewWith({ followUp: { open: true, progress: [] } }), member)).toBe(false);
    expect(mayRateSecondReply(viewWith({ followUp }), { role: 'office', sub: 'o' })).toBe(false);
  });

  it('sends the rating with second: true and the reply it followed', async () => {
    await secondReplyRatingSpec.send(ctxOf(viewWith({ followUp }), { identity: member }), { satisfaction: 'satisfied', comment: '' });
    expect(sent).toEqual([{ method: 'POST', path: '/v1/proposals/p1/feedback', body: { n: 1, satisfaction: 'satisfied', second: true } }]);
  });
});

describe('查看答复函', () => {
  it('fetches the letter with the token and points the new tab at it', async () => {
    answer = () => new Response('<!doctype html><title>答复函</title>', { status: 200, headers: { 'content-type': 'text/html' } });
    const tab = { location: { href: '' }, close: vi.fn() };
    expect(await openReplyLetter('p1', 2, { open: () => tab })).toBe(true);
    expect(sent.map((s) => s.path)).toEqual(['/v1/proposals/p1/replies/2/letter']);
    expect(lastAuth).toBe('Bearer tok');
    expect(tab.location.href).toMatch(/^blob:/);

    answer = () =>
      new Response(JSON.stringify({ title: 'Not Found', status: 404 }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
    const tab2 = { location: { href: '' }, close: vi.fn() };
    await expect(openReplyLetter('p1', 3, { open: () => tab2 })).rejects.toThrow(/未找到/);
    expect(tab2.close).toHaveBeenCalled();
    expect(await openReplyLetter('p1', 3, { open: () => null })).toBe(false);
    expect(sent).toHaveLength(2); // a blocked tab fetches nothing
  });
});
