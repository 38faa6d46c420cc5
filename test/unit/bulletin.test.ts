/** The 通报's figures (bulletinVars): the same cases and the same 按时 as the statistics; earlier years' open items. */
import { describe, expect, it } from 'vitest';
import { bulletinVars } from '#domain/bulletin.ts';
import { computeStatistics } from '#domain/statistics.ts';
import { cst, dataset, NOW, proposal } from './report-fixtures.ts';

const units = [
  { id: 'health', name: '卫生健康委员会' },
  { id: 'transport', name: '交通运输局' },
  { id: 'housing', name: '住房和城乡建设局' },
];
const period = { label: '2026年11月', year: 2026 };
const lead = (unit: string) => ({
  [unit]: { role: 'lead' as const, assignedAt: cst('2026-01-12 09:00'), acknowledgedAt: cst('2026-01-13 09:00') },
});

describe('the bulletin (通报)', () => {
  it('counts only the cases the statistics count: a proposal merged after its assignment is not held against its old lead', () => {
    // Assigned to transport, then merged: it keeps `lead` and a reply deadline long past.
    const merged = proposal(20, { status: 'merged', mergedInto: 'p1', lead: 'transport', units: lead('transport') });
    const rejected = proposal(21, { status: 'rejected', lead: 'transport', units: lead('transport') });
    expect(bulletinVars(period, [merged, rejected], NOW, units).rows).toEqual([]);
  });

  it('times the reply as the statistics do: by its approval (decidedAt), not its submission', () => {
    const reply = {
      n: 1,
      round: 1,
      unit: 'housing',
      replyClass: 'A' as const,
      text: '已解决',
      status: 'approved' as const,
      submittedAt: cst('2026-04-20 10:00'),
      decidedAt: cst('2026-04-22 10:00'),
    };
    const approvedLate = proposal(22, {
      status: 'replied',
      lead: 'housing',
      units: lead('housing'),
      contacts: [{ unit: 'housing', mode: 'phone', at: cst('2026-02-01 10:00'), note: '电话', recordedAt: cst('2026-02-01 10:00') }],
      replies: [reply],
    });
    expect(bulletinVars(period, [approvedLate], NOW, units).rows).toMatchObject([{ unit: 'housing', onTimeRate: 0 }]);
    const all = [...dataset, approvedLate];
    const stats = computeStatistics(2026, all, NOW);
    for (const r of bulletinVars(period, all, NOW, units).rows)
      expect([r.unit, r.onTimeRate]).toEqual([r.unit, stats.byUnit.find((u) => u.unit === r.unit)?.onTimeRate ?? null]);
  });

  it("lists what earlier years still owe (open, overdue); the on-time rate is the reported year's", () => {
    const overdue2026 = dataset.find((p) => p.id === 'p3')!; // health: contact and reply overdue since 2026
    const vars = bulletinVars({ label: '2027年1月', year: 2027 }, [overdue2026], new Date(cst('2027-02-01 08:00')), units);
    expect(vars.rows).toEqual([{ unit: 'health', unitName: '卫生健康委员会', open: 1, overdue: 1, onTimeRate: null }]);
    expect(vars.best).toEqual([]);
  });
});
