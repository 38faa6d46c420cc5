import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type { ProposalView } from '../api/types';
import ProposalReplies from './ProposalReplies.vue';
import type { ActionContext } from './actions';

const names: Record<string, string> = { education: '教育局', health: '卫生健康委员会', housing: '住房和城乡建设局' };
const unitName = (id: string) => names[id] ?? id;
const base = {
  id: 'p1',
  lead: 'education',
  co: ['health', 'housing'],
  feedback: [],
  actions: [],
};
const letter = {
  contactName: '张老师',
  contactPhone: '0993-1234567',
  disclosure: 'private' as const,
  disclosureReason: '涉及学生个人信息',
};
const classes = [
  { code: 'A', name: '已解决', followUp: false },
  { code: 'B', name: '正在解决', followUp: true },
];
const global = { plugins: [ElementPlus], stubs: { transition: false, 'transition-group': false } };
const render = (view: object, ctx?: Partial<ActionContext>) =>
  mount(ProposalReplies, {
    props: {
      view: view as ProposalView,
      timeZone: 'Asia/Shanghai',
      unitName,
      classes,
      ...(ctx ? { ctx: { view: view as ProposalView, units: [], timeZone: 'Asia/Shanghai', ...ctx } as ActionContext } : {}),
    },
    global,
    attachTo: document.body,
  });

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ProposalReplies', () => {
  it('shows the letter’s facts, the 会签 done and awaited, with the city’s class names', async () => {
    const w = render({
      ...base,
      replies: [
        {
          n: 1,
          round: 1,
          unit: 'education',
          replyClass: 'B',
          text: '已列入明年计划。',
          status: 'countersign',
          submittedAt: '2026-04-01T02:00:00Z',
          signedAt: '2026-04-02T02:00:00Z',
          countersigns: [{ unit: 'health', at: '2026-04-03T02:00:00Z', note: '同意。' }],
          letter: { ...letter, docNumber: '教育函〔2026〕1号', signer: '李局长' },
        },
      ],
    });
    await flushPromises();
    const text = w.text();
    expect(text).toContain('B类：正在解决');
    expect(text).toContain('会签中');
    expect(text).toContain('教育函〔2026〕1号');
    expect(text).toContain('李局长（2026年4月2日');
    expect(text).toContain('张老师，0993-1234567');
    expect(text).toContain('不予公开（涉及学生个人信息）');
    expect(text).toContain('卫生健康委员会 已会签');
    expect(text).toContain('：同意。');
    expect(text).toContain('住房和城乡建设局 待会签');
    expect(w.findAll('button').map((b) => b.text())).toEqual(['查看答复函']);
    w.unmount();
  });

  it('shows the office’s class correction', async () => {
    const w = render({
      ...base,
      replies: [
        {
          n: 1,
          round: 1,
          unit: 'education',
          replyClass: 'A',
          text: 't',
          status: 'approved',
          submittedAt: '2026-04-01T02:00:00Z',
          decidedAt: '2026-04-05T02:00:00Z',
          countersigns: [],
          classCorrection: { from: 'B', reason: '问题已解决' },
        },
      ],
    });
    await flushPromises();
    expect(w.text()).toContain('A类：已解决');
    expect(w.text()).toContain('政府办将答复类别由 B类 更正为 A类：问题已解决');
    w.unmount();
  });

  it('offers 评价二次答复 under the 二次答复 to a proposer who has not rated it, and says when follow-up was capped', async () => {
    const view = {
      ...base,
      replies: [],
      followUp: {
        open: false,
        progress: [{ text: '校医室已配备设备', resolved: true, at: '2026-09-01T02:00:00Z' }],
        secondReply: { n: 1, text: '校医室已配备设备', at: '2026-09-01T02:00:00Z' },
      },
    };
    const member = { identity: { role: 'member' as const, sub: 'm', memberId: 'm-001' } };
    const w = render(view, member);
    await flushPromises();
    expect(w.find('[aria-label="二次答复"]').text()).toContain('校医室已配备设备');
    expect(w.findAll('button').map((b) => b.text())).toContain('评价二次答复');
    w.unmount();

    const rated = { ...view, feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-09-02T00:00:00Z', second: true }] };
    const w2 = render(rated, member);
    await flushPromises();
    expect(w2.findAll('button').map((b) => b.text())).not.toContain('评价二次答复');
    w2.unmount();

    const capped = render({
      ...base,
      replies: [],
      followUp: { open: false, capped: true, progress: [{ text: '推进中', resolved: false, at: '2026-09-01T02:00:00Z' }] },
    });
    await flushPromises();
    expect(capped.text()).toContain('跟踪落实结束');
    expect(capped.find('[aria-label="二次答复"]').exists()).toBe(false);
    capped.unmount();
  });

  it('分办: shows each part’s follow-up and 二次答复 by its unit, and offers the member to rate each part’s', async () => {
    const second = (n: number, text: string) => ({
      open: false,
      progress: [{ text, resolved: true, at: '2026-09-01T02:00:00Z' }],
      secondReply: { n, text, at: '2026-09-01T02:00:00Z' },
    });
    const view = {
      ...base,
      co: [],
      leads: ['education', 'health'],
      replies: [],
      followUp: second(1, '校园安保已到位'),
      partFollowUps: { health: second(2, '校医室已配备设备') },
      // The first lead's 二次答复 is rated already.
      feedback: [{ n: 1, memberId: 'm-001', satisfaction: 'satisfied', at: '2026-09-02T00:00:00Z', second: true }],
    };
    const w = render(view, { identity: { role: 'member' as const, sub: 'm', memberId: 'm-001' } });
    await flushPromises();
    expect(w.findAll('h3').map((h) => h.text())).toEqual(['跟踪进展（教育局）', '跟踪进展（卫生健康委员会）']);
    const education = w.find('[aria-label="二次答复（教育局）"]');
    const health = w.find('[aria-label="二次答复（卫生健康委员会）"]');
    expect(education.text()).toContain('校园安保已到位');
    expect(health.text()).toContain('校医室已配备设备');
    expect(education.findAll('button').map((b) => b.text())).toEqual([]);
    expect(health.findAll('button').map((b) => b.text())).toEqual(['评价二次答复']);
    await health.find('button').trigger('click');
    await flushPromises();
    expect(document.body.querySelector('.el-dialog')?.textContent).toContain('满意度');
    w.unmount();
  });
});
