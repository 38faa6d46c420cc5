/** The 通报's figures (bulletinVars): the same cases and the same 按时办复 as the statistics; earlier years' open items; who gets it. */
import { describe, expect, it } from 'vitest';
import { bulletinNotices, bulletinVars, periodRange } from '#domain/bulletin.ts';
import { computeStatistics } from '#domain/statistics.ts';
import { cst, dataset, NOW, proposal } from './report-fixtures.ts';

const units = [
  { id: 'health', name: '卫生健康委员会' },
  { id: 'transport', name: '交通运输局' },
  { id: 'housing', name: '住房和城乡建设局' },
];
const period = { label: '2026年11月', year: 2026, ...periodRange('monthly', '2026-11-01', 'Asia/Shanghai') };
const lead = (unit: string) => ({
  [unit]: { role: 'lead' as const, assignedAt: cst('2026-01-12 09:00'), acknowledgedAt: cst('2026-01-13 09:00') },
});
const phone = { unit: 'housing', mode: 'phone' as const, at: cst('2026-02-01 10:00'), note: '电话', recordedAt: cst('2026-02-01 10:00') };

describe('the bulletin (通报)', () => {
  it('counts only the cases the statistics count: a proposal merged after its assignment is not held against its old lead', () => {
    // Assigned to transport, then merged: it keeps `lead` and a reply deadline long past.
    const merged = proposal(20, { status: 'merged', mergedInto: 'p1', lead: 'transport', units: lead('transport') });
    const rejected = proposal(21, { status: 'rejected', lead: 'transport', units: lead('transport') });
    expect(bulletinVars(period, [merged, rejected], NOW, units).rows).toEqual([]);
  });

  it("times the reply as the statistics do: when it left the unit (签发), not the office's approval", () => {
    const reply = {
      n: 1,
      round: 1,
      unit: 'housing',
      replyClass: 'A',
      text: '已解决',
      status: 'approved' as const,
      submittedAt: cst('2026-04-15 10:00'),
      signedAt: cst('2026-04-18 10:00'), // the deadline is 04-20
      reviewFrom: cst('2026-04-18 10:00'),
      decidedAt: cst('2026-04-27 10:00'),
    };
    const approvedLate = proposal(22, { status: 'replied', lead: 'housing', units: lead('housing'), contacts: [phone], replies: [reply] });
    expect(bulletinVars(period, [approvedLate], NOW, units).rows).toMatchObject([{ unit: 'housing', onTimeReplyRate: 1 }]);
    const signedLate = proposal(23, {
      status: 'replied',
      lead: 'housing',
      units: lead('housing'),
      contacts: [phone],
      replies: [{ ...reply, signedAt: cst('2026-04-21 10:00') }],
    });
    expect(bulletinVars(period, [signedLate], NOW, units).rows).toMatchObject([{ unit: 'housing', onTimeReplyRate: 0 }]);
    const all = [...dataset, approvedLate];
    const stats = computeStatistics(2026, all, NOW);
    for (const r of bulletinVars(period, all, NOW, units).rows) {
      const u = stats.byUnit.find((x) => x.unit === r.unit);
      expect([r.unit, r.replyRate, r.onTimeReplyRate, r.assigned]).toEqual([
        r.unit,
        u?.replyRate ?? null,
        u?.onTimeReplyRate ?? null,
        u?.assigned ?? 0,
      ]);
    }
  });

  it('a closed case in follow-up (跟踪落实) is not 在办: it counts as follow-up, and as overdue when its report is late', () => {
    const following = proposal(24, {
      status: 'closed',
      lead: 'housing',
      units: lead('housing'),
      contacts: [phone],
      replies: [
        {
          n: 1,
          round: 1,
          unit: 'housing',
          replyClass: 'B',
          text: '列入计划',
          status: 'approved',
          submittedAt: cst('2026-04-01 10:00'),
          decidedAt: cst('2026-04-02 10:00'),
        },
      ],
      followUp: { open: true, progress: [] },
      deadlines: { reply: cst('2026-04-20 23:59:59'), followUp: cst('2026-10-20 23:59:59') },
    });
    expect(bulletinVars(period, [following], NOW, units).rows).toMatchObject([{ unit: 'housing', open: 0, followUp: 1, overdue: 1 }]);
  });

  it("lists what earlier years still owe (open, overdue); the cumulative figures are the reported year's", () => {
    const overdue2026 = dataset.find((p) => p.id === 'p3')!; // health: contact and reply overdue since 2026
    const jan = { label: '2027年1月', year: 2027, ...periodRange('monthly', '2027-01-01', 'Asia/Shanghai') };
    const vars = bulletinVars(jan, [overdue2026], new Date(cst('2027-02-01 08:00')), units);
    expect(vars.rows).toEqual([
      {
        unit: 'health',
        unitName: '卫生健康委员会',
        open: 1,
        followUp: 0,
        overdue: 1,
        periodAnswered: 0,
        periodOnTime: 0,
        assigned: 0,
        answered: 0,
        replyRate: null,
        onTimeReplyRate: null,
      },
    ]);
    expect([vars.best, vars.criticized]).toEqual([[], ['health']]);
  });

  it('goes to the office and the leaders; with replies.bulletinToUnits, also one copy to each unit, naming it', () => {
    const vars = bulletinVars(period, dataset, NOW, units);
    const config = (bulletinToUnits: boolean) => ({ units, replies: { bulletinToUnits } });
    const [office, ...none] = bulletinNotices('2026-11', vars, config(false), NOW.toISOString());
    expect(none).toEqual([]);
    expect(office).toMatchObject({ id: 'bulletin/2026-11', kind: 'bulletin', recipients: [{ kind: 'office' }, { kind: 'leaders' }], vars });
    const all = bulletinNotices('2026-11', vars, config(true), NOW.toISOString());
    expect(all.map((n) => [n.id, n.recipients])).toEqual([
      ['bulletin/2026-11', [{ kind: 'office' }, { kind: 'leaders' }]],
      ['bulletin/2026-11/unit/health', [{ kind: 'unit', unit: 'health' }]],
      ['bulletin/2026-11/unit/transport', [{ kind: 'unit', unit: 'transport' }]],
      ['bulletin/2026-11/unit/housing', [{ kind: 'unit', unit: 'housing' }]],
    ]);
    expect(all[1]?.vars).toEqual({ ...vars, to: 'health' });
  });
});
