import { beforeAll, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import BulletinTable from './BulletinTable.vue';
import { setConfig } from '../../config';
import type { Bulletin } from './types';

const row = {
  open: 0,
  followUp: 0,
  overdue: 0,
  periodAnswered: 0,
  periodOnTime: 0,
  assigned: 0,
  answered: 0,
  replyRate: null,
  onTimeReplyRate: null,
};
const bulletin: Bulletin = {
  year: 2026,
  month: 6,
  period: '2026年6月',
  asOf: '2026-12-01T02:00:00.000Z',
  rows: [
    { ...row, unit: 'edu', unitName: '教育局', open: 1, overdue: 1, assigned: 2, replyRate: 0, onTimeReplyRate: 0.5 },
    {
      ...row,
      unit: 'health',
      unitName: '卫生健康委员会',
      followUp: 1,
      periodAnswered: 1,
      periodOnTime: 1,
      assigned: 2,
      answered: 2,
      replyRate: 1,
      onTimeReplyRate: 1,
    },
  ],
  best: ['health'],
  criticized: ['edu'],
};

beforeAll(() => setConfig({ city: { id: 'alar', name: '阿拉尔市', timeZone: 'Asia/Shanghai' }, apiBase: '', auth: { mode: 'local' } }));

describe('BulletinTable', () => {
  it('labels its column groups as now, the month and the year to date, and marks 表扬 and 批评', async () => {
    const w = mount(BulletinTable, { props: { bulletin }, global: { plugins: [ElementPlus] } });
    await flushPromises();
    const heads = w.findAll('th').map((t) => t.text());
    expect(heads).toEqual(
      expect.arrayContaining(['当前', '本期（2026年6月）', '2026年累计', '在办', '跟踪落实', '签发答复', '按时办复率']),
    );
    expect(heads).not.toContain('按时办结率');
    expect(w.text()).toContain('各承办单位在办 1 件、跟踪落实 1 件，其中逾期 1 件；2026年6月共签发答复 1 件。');
    expect(w.text()).toContain('按时办复率最高且无逾期的单位：卫生健康委员会，予以表扬。');
    expect(w.text()).toContain('有逾期事项的单位：教育局，予以批评。');
    const cells = w.findAll('tbody tr').map((r) => r.findAll('td').map((c) => c.text()));
    expect(cells[0]).toEqual(['1', '教育局 批评', '1', '0', '1', '0', '0', '2', '0%', '50%']);
    expect(cells[1]).toEqual(['2', '卫生健康委员会 表扬', '0', '1', '0', '1', '1', '2', '100%', '100%']);
  });
});
