import { describe, expect, it } from 'vitest';
import { computeStatistics, lastRatings, replyTimeliness } from '#domain/statistics.ts';
import type { Proposal } from '#domain/proposal.ts';
import { assignedBy, dataset, events, eventsOf, NOW } from './report-fixtures.ts';

const byId = (id: string) => dataset.find((p) => p.id === id)!;
const s = computeStatistics(2026, dataset, NOW, { events });

describe('statistics of a known year', () => {
  it('counts: other years out; merged counted once (through the main), rejected and unreviewed out of the cases', () => {
    expect(s.total).toBe(8);
    expect([s.registered, s.rejected, s.merged, s.pendingReview, s.assigned, s.closed]).toEqual([5, 1, 1, 1, 4, 2]);
  });

  it('办结率 = answered / registered (as the seed: every proposal answered), 办复率 = answered / assigned; closed apart', () => {
    expect(s.answered).toBe(3); // p1, p2, p7 have an approved reply
    expect(s.completionRate).toBe(3 / 5);
    expect(s.replyRate).toBe(3 / 4);
    expect(s.closed).toBe(2); // p1, p2: their feedback round is done
  });

  it('按时办复率: the reply left the unit by the reply deadline (older replies: their submission), over replies due', () => {
    expect([s.onTime, s.replyDue]).toEqual([2, 4]);
    expect(s.onTimeReplyRate).toBe(0.5);
    expect(s.onTimeRate).toBe(0.5); // the older name, the same figure
    expect(replyTimeliness(byId('p1'), NOW)).toBe('on_time');
    expect(replyTimeliness(byId('p2'), NOW)).toBe('late'); // first approved reply after the deadline, though re-handled later
    expect(replyTimeliness(byId('p3'), NOW)).toBe('late'); // no reply and the deadline passed
    expect(replyTimeliness(byId('p3'), new Date('2026-03-01T00:00:00Z'))).toBeUndefined();
  });

  it("满意率 uses each proposer's last rating", () => {
    expect(lastRatings(byId('p2')).sort()).toEqual(['dissatisfied', 'satisfied']);
    expect(s.ratings).toEqual({ satisfied: 2, basically_satisfied: 1, dissatisfied: 1 });
    expect(s.rated).toBe(4);
    expect(s.satisfactionRate).toBe(2 / 4); // 满意 only
    expect(s.basicSatisfactionRate).toBe(1 / 4);
    expect(s.overallSatisfactionRate).toBe(3 / 4);
    // asked: p1 two proposers, p2 two, p7 one (answered, not rated yet)
    expect([s.asked, s.feedbackRate]).toEqual([5, 4 / 5]);
  });

  it('面商率 = assigned proposals with a face-to-face contact / assigned (a phone call does not count)', () => {
    expect(s.faceToFace).toBe(2);
    expect(s.faceToFaceRate).toBe(0.5);
  });

  it('class mix of the last approved reply; re-handled; follow-ups; assignment accuracy; acknowledgements', () => {
    expect(s.classes).toEqual({ A: 1, B: 1, C: 1, D: 0 });
    expect(s.replyClasses.map((c) => c.code)).toEqual(['A', 'B', 'C', 'D']);
    expect(s.rehandled).toBe(1);
    expect(s.followUpOpen).toBe(1);
    expect([s.neverReassigned, s.assignmentAccuracy]).toEqual([3, 3 / 4]);
    // p1 health+transport, p3 health, p7 housing on time; p2 commerce late; p7 health never acknowledged
    expect([s.acknowledgedOnTime, s.acknowledgements]).toEqual([4, 6]);
  });

  it('per unit (as lead) with co counts and overdue items', () => {
    const row = (u: string) => s.byUnit.find((r) => r.unit === u);
    expect(row('health')).toEqual({
      unit: 'health',
      assigned: 2,
      answered: 1,
      replyRate: 0.5,
      replyDue: 2,
      onTime: 1,
      onTimeReplyRate: 0.5,
      onTimeRate: 0.5,
      closed: 1,
      completionRate: 0.5,
      asked: 2,
      rated: 2,
      feedbackRate: 1,
      ratings: { satisfied: 1, basically_satisfied: 1, dissatisfied: 0 },
      satisfactionRate: 0.5,
      basicSatisfactionRate: 0.5,
      overallSatisfactionRate: 1,
      faceToFace: 1,
      faceToFaceRate: 0.5,
      contacted: 1,
      contactRate: 0.5,
      co: 1,
      acknowledgements: 3, // p1 and p3 as lead on time; p7 as co never signed
      acknowledgedOnTime: 2,
      overdue: 1,
      supervisions: 0,
    });
    expect(row('commerce')).toMatchObject({
      assigned: 1,
      closed: 1,
      replyDue: 1,
      onTime: 0,
      onTimeRate: 0,
      ratings: { satisfied: 1, basically_satisfied: 0, dissatisfied: 1 },
      overdue: 0,
    });
    expect(row('housing')).toMatchObject({ assigned: 1, closed: 0, answered: 1, completionRate: 1, onTimeRate: 1, overdue: 0 });
    expect(row('transport')).toMatchObject({ assigned: 0, co: 1, completionRate: null, onTimeRate: null });
    expect(s.byUnit.map((r) => r.unit)).toEqual(['health', 'commerce', 'housing', 'transport']);
  });

  it('lists each overdue obligation, most overdue first', () => {
    expect(s.overdue.map((o) => [o.number, o.unit, o.obligation])).toEqual([
      ['2026-003', 'health', 'contact'],
      ['2026-003', 'health', 'reply'],
    ]);
    expect(s.overdue[1]?.daysOverdue).toBe(224); // 2026-04-20 end of day -> 2026-12-01 10:00
  });

  it('counts reminders and escalations by level from the events, null without events', () => {
    expect(s.reminders).toBe(2);
    expect(s.escalations).toEqual({ '1': 1, '2': 1, '3': 2 });
    const noEvents = computeStatistics(2026, dataset, NOW);
    expect([noEvents.reminders, noEvents.escalations]).toEqual([null, null]);
  });

  it("how the assigned proposals were assigned (by keyword / by the office) and changed on a unit's objection, from the events", () => {
    expect(s.assignment).toEqual({ byKeywords: 3, byOffice: 1, changedOnObjection: 1 });
    expect(computeStatistics(2026, dataset, NOW).assignment).toBeNull();
  });

  it('a change of units is counted as made on an objection only when it removed (or re-roled) a unit whose objection was pending', () => {
    const changed = (data: Record<string, unknown>): [string, Record<string, unknown>] => ['AssignmentChanged', { deadlines: {}, ...data }];
    const objected = (unit: string): [string, Record<string, unknown>] => ['UnitObjected', { unit, reason: '不属于' }];
    const count = (list: [string, Record<string, unknown>][]) =>
      computeStatistics(2026, [byId('p2')], NOW, {
        events: new Map([['p2', eventsOf('p2', [assignedBy('keywords', 'commerce'), ...list])]]),
      }).assignment?.changedOnObjection;
    expect(count([changed({ lead: 'commerce', co: ['transport'], previous: { lead: 'commerce', co: [] } })])).toBe(0); // the office added a co-unit
    expect(
      count([
        objected('commerce'),
        ['ObjectionDeclined', { unit: 'commerce' }],
        changed({ lead: 'commerce', co: ['transport'], previous: { lead: 'commerce', co: [] } }),
      ]),
    ).toBe(0);
    expect(
      count([
        objected('commerce'),
        changed({ lead: 'commerce', co: ['transport'], previous: { lead: 'commerce', co: [] } }),
        ['ObjectionDeclined', { unit: 'commerce' }],
      ]),
    ).toBe(0); // kept: declined
    expect(count([objected('transport'), changed({ lead: 'commerce', co: [], previous: { lead: 'commerce', co: ['transport'] } })])).toBe(
      1,
    );
    expect(count([objected('commerce'), changed({ lead: 'transport', co: ['commerce'], previous: { lead: 'commerce', co: [] } })])).toBe(1); // lead became co
  });

  it('an empty year has zero counts and null rates', () => {
    const empty = computeStatistics(2030, dataset, NOW);
    expect([empty.total, empty.completionRate, empty.onTimeRate, empty.satisfactionRate, empty.faceToFaceRate]).toEqual([
      0,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe('按时签收 after an objection (申请调整)', () => {
  const p3 = byId('p3');
  const withUnits = (units: Proposal['units']): Proposal => ({ ...p3, id: 'px', co: ['transport'], units });
  const health = p3.units.health!;
  const late = '2026-01-22T02:00:00.000Z'; // after the proposal's 签收 deadline (01-20)

  it('a unit whose objection waits for the office owes no 签收 yet: not in the denominator', () => {
    const pending = withUnits({
      health,
      transport: { role: 'co', assignedAt: health.assignedAt, objection: { reason: '不属于本单位职责', at: health.assignedAt } },
    });
    const r = computeStatistics(2026, [pending], NOW);
    expect([r.acknowledgedOnTime, r.acknowledgements]).toEqual([1, 1]);
  });

  it('a unit that signs by its own later deadline (the office kept the assignment) signed on time', () => {
    const declined = withUnits({
      health,
      transport: {
        role: 'co',
        assignedAt: health.assignedAt,
        acknowledgedAt: late,
        acknowledgeBy: '2026-01-29T15:59:59.999Z',
        objection: { reason: '不属于本单位职责', at: health.assignedAt, decidedAt: '2026-01-21T02:00:00.000Z' },
      },
    });
    const r = computeStatistics(2026, [declined], NOW);
    expect([r.acknowledgedOnTime, r.acknowledgements]).toEqual([2, 2]);
  });
});
