import { describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import AssessmentTable from './AssessmentTable.vue';
import type { AssessmentRow } from './types';

const none = { met: [], missed: [] };
const rows: AssessmentRow[] = [
  {
    unit: 'health',
    unitName: '卫生健康委员会',
    score: 90,
    rates: { acknowledgeOnTime: 1, contact: 0.5, replyOnTime: 1, satisfaction: 1, secondReply: null },
    sources: {
      acknowledgeOnTime: { met: ['2026-001', '2026-002'], missed: [] },
      contact: { met: ['2026-001'], missed: ['2026-002'] },
      replyOnTime: { met: ['2026-001', '2026-002'], missed: [] },
      satisfaction: { met: ['2026-001', '2026-001', '2026-002'], missed: [] },
      secondReply: none,
    },
  },
];

describe('AssessmentTable', () => {
  it('shows the rates and the score, and opens a row to the case numbers behind each rate', async () => {
    const w = mount(AssessmentTable, { props: { rows }, global: { plugins: [ElementPlus] }, attachTo: document.body });
    await flushPromises();
    const cells = w
      .findAll('tbody tr')[0]!
      .findAll('td')
      .map((c) => c.text());
    expect(cells.slice(1)).toEqual(['卫生健康委员会', '100%', '50%', '100%', '100%', '—', '90.0']);
    await w.find('.el-table__expand-icon').trigger('click');
    const text = w.text();
    expect(text).toContain('达标：2026-001');
    expect(text).toContain('未达标：2026-002');
    expect(text).toContain('达标：2026-001×2、2026-002'); // satisfaction: one per rating
    expect(text).toContain('无可计数的提案');
    w.unmount();
  });
});
