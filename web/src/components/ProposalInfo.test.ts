import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type { ProposalView } from '../api/types';
import ProposalInfo from './ProposalInfo.vue';

const names: Record<string, string> = { commerce: '商务局', transport: '交通运输局', housing: '住房和城乡建设局' };
const unitName = (id: string) => names[id] ?? id;
const view = (over: object) =>
  ({
    number: '2026-001',
    status: 'in_progress',
    title: '关于夜市经济与公交接驳的建议',
    proposers: [{ memberId: 'm-1', name: '陈静' }],
    lead: 'commerce',
    leads: [],
    co: ['housing'],
    units: {
      commerce: { role: 'lead', assignedAt: '2026-03-01T00:00:00Z', acknowledgedAt: '2026-03-02T00:00:00Z' },
      housing: { role: 'co', assignedAt: '2026-03-01T00:00:00Z' },
    },
    instructions: [],
    obligations: [],
    createdAt: '2026-03-01T00:00:00Z',
    ...over,
  }) as unknown as ProposalView;
const render = (v: ProposalView) =>
  mount(ProposalInfo, {
    props: { view: v, timeZone: 'Asia/Shanghai', unitName },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  });
/** The 主办单位 row's content, a line per element. */
const leadRow = (w: ReturnType<typeof render>) => {
  const label = w.findAll('.el-descriptions__label').find((l) => l.text() === '主办单位');
  return [...(label?.element.nextElementSibling?.children ?? [])].map((e) => e.textContent?.replace(/\s+/g, ' ').trim());
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ProposalInfo', () => {
  it('shows the one lead unit with its state, no 分办 note', async () => {
    const w = render(view({}));
    await flushPromises();
    expect(leadRow(w)).toEqual(['商务局 已签收']);
    w.unmount();
  });

  it('分办: shows every lead unit with its own state and says each answers its own part', async () => {
    const w = render(
      view({
        leads: ['commerce', 'transport'],
        units: {
          commerce: { role: 'lead', assignedAt: '2026-03-01T00:00:00Z', acknowledgedAt: '2026-03-02T00:00:00Z' },
          transport: { role: 'lead', assignedAt: '2026-03-01T00:00:00Z' },
          housing: { role: 'co', assignedAt: '2026-03-01T00:00:00Z' },
        },
      }),
    );
    await flushPromises();
    expect(leadRow(w)).toEqual(['商务局 已签收', '交通运输局 未签收', '分办（各单位分别答复各自承办的部分）']);
    w.unmount();
  });
});
