import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import SummaryFigures from './SummaryFigures.vue';
import type { Summary } from './types';

const ratings = { satisfied: 2, basically_satisfied: 1, dissatisfied: 1 };
const summary = {
  year: 2026,
  asOf: '2026-12-07T02:00:00.000Z',
  total: 12,
  registered: 10,
  rejected: 1,
  merged: 1,
  pendingReview: 0,
  withdrawn: 0,
  assigned: 8,
  answered: 6,
  replyRate: 0.75,
  replyDue: 3,
  onTime: 2,
  onTimeReplyRate: 2 / 3,
  onTimeRate: 2 / 3,
  closed: 4,
  completionRate: 0.6,
  asked: 5,
  rated: 4,
  feedbackRate: 0.8,
  ratings,
  satisfactionRate: 0.5,
  basicSatisfactionRate: 0.25,
  overallSatisfactionRate: 0.75,
  faceToFace: 4,
  faceToFaceRate: 0.5,
  contacted: 6,
  contactRate: 0.75,
  classes: { A: 1, B: 2, C: 0, D: 1 },
  replyClasses: [],
  secondReply: { due: 0, given: 0, rate: null },
  secondRatings: { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 },
  officeReview: { reviews: 5, decided: 4, open: 1, averageWorkdays: 3.5, late: 2, lateNumbers: ['2026-001', '2026-005'] },
  rehandled: 1,
  neverReassigned: 8,
  assignmentAccuracy: 1,
  assignment: null,
  acknowledgements: 10,
  acknowledgedOnTime: 9,
  acknowledgeOnTimeRate: 0.9,
  followUpOpen: 0,
  supervisions: { total: 0, onsite: 0, phone: 0, meeting: 0 },
  reminders: null,
  escalations: null,
  byUnit: [],
  bySector: [],
  byTheme: [],
  assessment: [],
  overdue: [],
} satisfies Summary;

const figure = (w: ReturnType<typeof mount>, label: string) =>
  w
    .findAll('dt')
    .find((d) => d.text() === label)
    ?.element.nextElementSibling?.textContent?.trim();

describe('SummaryFigures', () => {
  it('shows each measure as docs/reports.md defines it, with what it counts', () => {
    const w = mount(SummaryFigures, { props: { summary } });
    expect(figure(w, '提案总数')).toBe('12');
    expect(figure(w, '办结率')).toBe('60%（6 / 10）'); // answered / registered
    expect(figure(w, '办复率')).toBe('75%（6 / 8）'); // answered / assigned
    expect(figure(w, '按时办复率')).toBe('66.7%（2 / 3）');
    expect(figure(w, '已完成评价')).toBe('4');
    expect(figure(w, '满意率')).toBe('50%（2 / 4）');
    expect(figure(w, '基本满意率')).toBe('25%（1 / 4）');
    expect(figure(w, '评价反馈率')).toBe('80%（4 / 5）');
    expect(figure(w, '面商率')).toBe('50%（4 / 8）');
    expect(figure(w, '沟通率')).toBe('75%（6 / 8）');
    expect(figure(w, '答复审核平均用时')).toBe('3.5 个工作日（已审结 4）');
    expect(figure(w, '审核超期')).toBe('2（审核中 1）');
    expect(figure(w, '二次答复')).toBe('—（0 / 0）');
    expect(figure(w, '逾期事项')).toBe('0');
    expect(w.text()).not.toContain('按时办结率');
  });

  it('a rate with nothing to count shows —', () => {
    const none = { ...summary, rated: 0, ratings: { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 }, satisfactionRate: null };
    expect(figure(mount(SummaryFigures, { props: { summary: none } }), '满意率')).toBe('—（0 / 0）');
  });
});
