import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import SummaryFigures from './SummaryFigures.vue';
import type { Summary } from './types';

const summary = {
  year: 2026,
  asOf: '2026-12-07T02:00:00.000Z',
  total: 12,
  registered: 10,
  rejected: 1,
  merged: 1,
  pendingReview: 0,
  assigned: 10,
  closed: 4,
  completionRate: 0.4,
  replyDue: 3,
  onTime: 2,
  onTimeRate: 2 / 3,
  rated: 0,
  ratings: { satisfied: 0, basically_satisfied: 0, dissatisfied: 0 },
  satisfactionRate: null,
  faceToFace: 5,
  faceToFaceRate: 0.5,
  classes: { A: 1, B: 2, C: 0, D: 1 },
  rehandled: 1,
  neverReassigned: 10,
  assignmentAccuracy: 1,
  assignment: null,
  acknowledgements: 10,
  acknowledgedOnTime: 9,
  acknowledgeOnTimeRate: 0.9,
  followUpOpen: 0,
  reminders: null,
  escalations: null,
  byUnit: [],
  overdue: [],
} as unknown as Summary;

const figure = (w: ReturnType<typeof mount>, label: string) =>
  w
    .findAll('dt')
    .find((d) => d.text() === label)
    ?.element.nextElementSibling?.textContent?.trim();

describe('SummaryFigures', () => {
  it('shows counts, rates as percentages with their numerator and denominator, and a null rate as —', () => {
    const w = mount(SummaryFigures, { props: { summary } });
    expect(figure(w, '提案总数')).toBe('12');
    expect(figure(w, '办结率')).toBe('40%（4 / 10）');
    expect(figure(w, '按时办结率')).toBe('66.7%（2 / 3）');
    expect(figure(w, '满意率')).toBe('—（0 / 0）');
    expect(figure(w, '面商率')).toBe('50%（5 / 10）');
    expect(figure(w, '逾期事项')).toBe('0');
    expect(w.text()).not.toContain('办复率');
  });

  it('shows the rates the API may add when present', () => {
    const w = mount(SummaryFigures, { props: { summary: { ...summary, replyRate: 0.75, feedbackRate: null } as Summary } });
    expect(figure(w, '办复率')).toBe('75%');
    expect(figure(w, '评价反馈率')).toBe('—');
  });
});
