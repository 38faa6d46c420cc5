/**
 * The measures over a small year built by hand (issue 20): eight proposals, every figure of the
 * statistics, the assessment and the 通报 worked out in the comments and asserted. Dates are China
 * Standard Time; the reply deadline is 90 days after the assignment on 2026-03-02 (day 0), i.e. the
 * end of 2026-05-31. Reviews and acknowledgements use the real working calendar (no holiday falls in
 * the review windows below: 2026 has 劳动节 on 5月1-5日 and 端午 on 6月19日).
 */
import { describe, expect, it } from 'vitest';
import { computeStatistics } from '#domain/statistics.ts';
import { bulletinVars, periodRange } from '#domain/bulletin.ts';
import { WorkingCalendar } from '#domain/calendar.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';

const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).toISOString();
const eod = (date: string) => cst(`${date} 23:59:59`);
const NOW = new Date(cst('2026-12-01 10:00'));
const calendar = new WorkingCalendar({ timeZone: 'Asia/Shanghai', extraHolidays: [], extraWorkdays: [] });

const deadlines = { acknowledge: eod('2026-03-09'), contact: eod('2026-03-31'), reply: eod('2026-05-31') };
const member = (id: string, name: string, sector?: string, cosign?: 'pending') => ({
  memberId: id,
  name,
  email: `${id}@example.com`,
  ...(sector ? { sector } : {}),
  ...(cosign ? { cosign } : {}),
});
const m1 = member('m1', '王丽', '医卫界');
const m2 = member('m2', '李建国'); // no 界别 on the proposal: the directory says 经济界
const m3 = member('m3', '赵敏', '教育界');
const m4 = member('m4', '孙强', '经济界');
const m5 = member('m5', '周婷', '教育界', 'pending'); // has not confirmed the 联名: not asked to rate
const unit = (role: 'lead' | 'co', acknowledgedAt?: string) => ({
  role,
  assignedAt: cst('2026-03-02 09:00'),
  ...(acknowledgedAt ? { acknowledgedAt: cst(acknowledgedAt) } : {}),
});
const contact = (unitId: string, mode: 'face_to_face' | 'visit' | 'phone', at: string) => ({
  unit: unitId,
  mode,
  at: cst(at),
  note: '沟通',
  recordedAt: cst(at),
});
type ReplyIn = NonNullable<ProposalInput['replies']>[number];
const reply = (n: number, unitId: string, replyClass: string, r: Partial<ReplyIn>): ReplyIn => ({
  n,
  round: 1,
  unit: unitId,
  replyClass,
  text: `答复${n}`,
  status: 'approved',
  submittedAt: r.signedAt ?? cst('2026-05-01 09:00'),
  ...r,
});

function proposal(seq: number, over: Partial<ProposalInput>): Proposal {
  return proposalSchema.parse({
    id: `y${seq}`,
    number: `2026-00${seq}`,
    year: 2026,
    seq,
    title: `提案${seq}`,
    body: '正文',
    key: false,
    proposers: [m1],
    submittedBy: { role: 'member', sub: 'm1' },
    status: 'in_progress',
    co: [],
    matches: [],
    deadlines,
    escalationLevel: 0,
    version: 1,
    createdAt: cst('2026-02-20 09:00'),
    updatedAt: cst('2026-02-20 09:00'),
    ...over,
  });
}

// 2026-001 (the scenario): health drafts on day 80, its head signs on day 85, the office
// approves on day 95. Co-unit transport signed for it a day late. Health visited the proposers (走访 = 面商).
const p1 = proposal(1, {
  category: '社会民生',
  status: 'closed',
  lead: 'health',
  co: ['transport'],
  proposers: [m1, m2],
  units: { health: unit('lead', '2026-03-03 10:00'), transport: unit('co', '2026-03-10 10:00') },
  contacts: [contact('health', 'visit', '2026-04-10 10:00')],
  replies: [
    reply(1, 'health', 'A', {
      submittedAt: cst('2026-05-21 10:00'), // day 80: the draft
      signedAt: cst('2026-05-26 10:00'), // day 85: 签发, left the unit
      reviewFrom: cst('2026-05-26 10:00'),
      reviewBy: eod('2026-06-02'), // 5 working days: 5/27, 5/28, 5/29, 6/1, 6/2
      decidedAt: cst('2026-06-05 10:00'), // day 95: approved, 8 working days after 5/26 (5/27-29, 6/1-5)
    }),
  ],
  feedback: [
    { n: 1, memberId: 'm1', satisfaction: 'satisfied', at: cst('2026-06-10 10:00') },
    { n: 1, memberId: 'm2', satisfaction: 'basically_satisfied', at: cst('2026-06-11 10:00') },
  ],
  closedAt: cst('2026-06-11 10:00'),
});

// 2026-002: health, reply deadline extended to 6/30; signed 6/22 (after the first deadline, before the
// extended one: on time); reviewed in 2 working days. Class B: followed up, ended with a 二次答复,
// which m3 rated 满意 (counted apart from the reply's 基本满意). Health only phoned: 沟通, not 面商.
const p2 = proposal(2, {
  category: '社会民生',
  status: 'closed',
  lead: 'health',
  proposers: [m3],
  deadlines: { ...deadlines, reply: eod('2026-06-30') },
  units: { health: unit('lead', '2026-03-05 10:00') },
  contacts: [contact('health', 'phone', '2026-03-20 10:00')],
  replies: [
    reply(1, 'health', 'B', {
      signedAt: cst('2026-06-22 10:00'),
      reviewFrom: cst('2026-06-22 10:00'),
      reviewBy: eod('2026-06-29'),
      decidedAt: cst('2026-06-24 10:00'),
    }),
  ],
  feedback: [
    { n: 1, memberId: 'm3', satisfaction: 'basically_satisfied', at: cst('2026-07-01 10:00') },
    { n: 1, memberId: 'm3', satisfaction: 'satisfied', at: cst('2026-10-12 10:00'), second: true },
  ],
  followUp: {
    open: false,
    progress: [{ text: '已建成', resolved: true, at: cst('2026-10-10 10:00') }],
    secondReply: { n: 1, text: '已建成', at: cst('2026-10-10 10:00') },
  },
  closedAt: cst('2026-07-01 10:00'),
});

// 2026-003: transport (late to sign for it), co-unit edu met the proposers face to face (沟通, not the
// lead's 面商). Reply 1 signed 5/20 was returned (does not count); reply 2 signed 6/10: late. m4 has
// not rated yet; m5 never confirmed the 联名 (not asked).
const p3 = proposal(3, {
  category: '城乡建设',
  status: 'replied',
  lead: 'transport',
  co: ['edu'],
  proposers: [m4, m5],
  deadlines: { ...deadlines, feedback: eod('2026-12-20') },
  units: {
    transport: unit('lead', '2026-03-12 10:00'),
    edu: { ...unit('co', '2026-03-06 10:00'), opinion: { text: '同意', at: cst('2026-03-20 10:00') } },
  },
  contacts: [contact('edu', 'face_to_face', '2026-04-01 10:00')],
  replies: [
    reply(1, 'transport', 'C', {
      status: 'returned',
      signedAt: cst('2026-05-20 10:00'),
      reviewFrom: cst('2026-05-20 10:00'),
      reviewBy: eod('2026-05-27'),
      decidedAt: cst('2026-05-22 10:00'), // 2 working days
      returnReason: '答复不具体',
    }),
    reply(2, 'transport', 'C', {
      signedAt: cst('2026-06-10 10:00'),
      reviewFrom: cst('2026-06-10 10:00'),
      reviewBy: eod('2026-06-17'),
      decidedAt: cst('2026-06-12 10:00'), // 2 working days
    }),
  ],
});

// 2026-004: edu never signed for it, never contacted the proposer, never replied: all overdue.
const p4 = proposal(4, { category: '城乡建设', lead: 'edu', proposers: [m1], units: { edu: unit('lead') } });

// 2026-005: edu (assigned in the autumn: reply due 11/30) met the proposer, signed 11/20 (on time); the
// office has not decided by its deadline 11/27: the review is late and still open. No category.
const p5 = proposal(5, {
  status: 'reply_review',
  lead: 'edu',
  proposers: [m2],
  deadlines: { ...deadlines, reply: eod('2026-11-30'), replyReview: eod('2026-11-27') },
  units: { edu: unit('lead', '2026-03-04 10:00') },
  contacts: [contact('edu', 'face_to_face', '2026-03-15 10:00')],
  replies: [
    reply(1, 'edu', 'A', {
      status: 'review',
      signedAt: cst('2026-11-20 10:00'),
      reviewFrom: cst('2026-11-20 10:00'),
      reviewBy: eod('2026-11-27'),
    }),
  ],
});

// 2026-006: registered, waiting to be assigned by hand (a case, not assigned).
const p6 = proposal(6, { category: '社会民生', status: 'triage', proposers: [m3], deadlines: {} });
// Not cases: rejected, and merged into 2026-001.
const p7 = proposal(7, { status: 'rejected', rejectReason: '不属于提案范围', deadlines: {} });
const p8 = proposal(8, { status: 'merged', mergedInto: 'y1', deadlines: {} });

const year = [p1, p2, p3, p4, p5, p6, p7, p8];
const sectors = new Map([['m2', '经济界']]);
const s = computeStatistics(2026, year, NOW, { calendar, sectors });
const unitRow = (u: string) => s.byUnit.find((r) => r.unit === u);

describe('the measures over a hand-computed year', () => {
  it("issue 20's scenario: signed on day 85 of 90 and approved on day 95 is on time for the unit; the office's review is late", () => {
    const one = computeStatistics(2026, [p1], NOW, { calendar });
    expect([one.onTime, one.replyDue, one.onTimeReplyRate]).toEqual([1, 1, 1]);
    expect(one.officeReview).toEqual({ reviews: 1, decided: 1, open: 0, averageWorkdays: 8, late: 1, lateNumbers: ['2026-001'] });
    expect(one.assessment[0]?.sources.replyOnTime).toEqual({ met: ['2026-001'], missed: [] });
  });

  it('counts: 8 submitted, 6 cases (rejected and merged out), 5 assigned (one waits in triage)', () => {
    expect([s.total, s.registered, s.rejected, s.merged, s.pendingReview, s.withdrawn, s.assigned]).toEqual([8, 6, 1, 1, 0, 0, 5]);
  });

  it('办复率 3/5, 办结率 3/6 (answered: 001, 002, 003; 005 waits for the office), closed 2 (001, 002)', () => {
    expect([s.answered, s.replyRate, s.completionRate, s.closed]).toEqual([3, 3 / 5, 3 / 6, 2]);
  });

  it('按时办复率 3/5: 001 (day 85), 002 (extended), 005 (signed before 11/30) on time; 003 (its approved reply signed late), 004 (none) late', () => {
    expect([s.onTime, s.replyDue, s.onTimeReplyRate, s.onTimeRate]).toEqual([3, 5, 3 / 5, 3 / 5]);
  });

  it('满意率 1/3, 基本满意率 2/3 over the 3 ratings (001: 满意 + 基本满意, 002: 基本满意; its 二次答复 rating apart)', () => {
    expect(s.ratings).toEqual({ satisfied: 1, basically_satisfied: 2, dissatisfied: 0 });
    expect([s.rated, s.satisfactionRate, s.basicSatisfactionRate, s.overallSatisfactionRate]).toEqual([3, 1 / 3, 2 / 3, 1]);
    expect(s.secondRatings).toEqual({ satisfied: 1, basically_satisfied: 0, dissatisfied: 0 });
  });

  it('评价反馈率 3/4: asked 001 (2), 002 (1), 003 (m4 only: m5 has not confirmed); rated 3', () => {
    expect([s.asked, s.feedbackRate]).toEqual([4, 3 / 4]);
  });

  it("面商率 2/5 (001 visit, 005 face to face, both by the lead; 003's by a co-unit does not count), 沟通率 4/5 (all but 004)", () => {
    expect([s.faceToFace, s.faceToFaceRate, s.contacted, s.contactRate]).toEqual([2, 2 / 5, 4, 4 / 5]);
  });

  it('office review: 5 reviews, 4 decided in 8 + 2 + 2 + 2 working days (3.5 on average); late: 001 (decided after 6/2), 005 (open past 11/27)', () => {
    expect(s.officeReview).toEqual({
      reviews: 5,
      decided: 4,
      open: 1,
      averageWorkdays: 3.5,
      late: 2,
      lateNumbers: ['2026-001', '2026-005'],
    });
  });

  it('classes over the city codes, 二次答复 1/1 (002), 按时签收 4/7', () => {
    expect(s.classes).toEqual({ A: 1, B: 1, C: 1, D: 0 }); // 005's reply is not approved yet
    expect(s.secondReply).toEqual({ due: 1, given: 1, rate: 1 });
    // due: 001 health ✓ transport ✗ (3/10), 002 health ✓, 003 transport ✗ (3/12) edu ✓, 004 edu ✗ (never), 005 edu ✓
    expect([s.acknowledgedOnTime, s.acknowledgements, s.acknowledgeOnTimeRate]).toEqual([4, 7, 4 / 7]);
  });

  it('per unit, as lead', () => {
    // health: 001, 002 both answered on time, 001 met in person, 3 ratings (1 满意, 2 基本满意), signed both on time
    expect(unitRow('health')).toMatchObject({
      assigned: 2,
      answered: 2,
      replyRate: 1,
      completionRate: 1,
      replyDue: 2,
      onTime: 2,
      onTimeReplyRate: 1,
      closed: 2,
      asked: 3,
      rated: 3,
      feedbackRate: 1,
      ratings: { satisfied: 1, basically_satisfied: 2, dissatisfied: 0 },
      faceToFace: 1,
      faceToFaceRate: 0.5,
      contacted: 2,
      contactRate: 1,
      co: 0,
      acknowledgements: 2,
      acknowledgedOnTime: 2,
      overdue: 0,
    });
    // transport: 003 answered late, not rated yet (1 asked), no 面商 of its own; signed 001 (co) and 003 late
    expect(unitRow('transport')).toMatchObject({
      assigned: 1,
      answered: 1,
      replyDue: 1,
      onTime: 0,
      onTimeReplyRate: 0,
      asked: 1,
      rated: 0,
      feedbackRate: 0,
      satisfactionRate: null,
      faceToFace: 0,
      contacted: 1,
      co: 1,
      acknowledgements: 2,
      acknowledgedOnTime: 0,
    });
    // edu: 004 (nothing, overdue), 005 (on time, not approved yet, met in person); co of 003
    expect(unitRow('edu')).toMatchObject({
      assigned: 2,
      answered: 0,
      replyRate: 0,
      replyDue: 2,
      onTime: 1,
      onTimeReplyRate: 0.5,
      faceToFace: 1,
      faceToFaceRate: 0.5,
      co: 1,
      acknowledgements: 3,
      acknowledgedOnTime: 2,
      overdue: 1,
    });
  });

  it("per 界别 (the first proposer's; 005's from the directory) and per theme (category)", () => {
    const sector = (x: string) => s.bySector.find((r) => r.sector === x);
    // 医卫界: 001 (answered, on time, 满意 + 基本满意), 004 (late)
    expect(sector('医卫界')).toMatchObject({
      registered: 2,
      assigned: 2,
      answered: 1,
      completionRate: 0.5,
      onTimeReplyRate: 0.5,
      satisfactionRate: 0.5,
      basicSatisfactionRate: 0.5,
    });
    // 经济界: 003 (answered late), 005 (on time, not answered)
    expect(sector('经济界')).toMatchObject({
      registered: 2,
      assigned: 2,
      answered: 1,
      completionRate: 0.5,
      onTimeReplyRate: 0.5,
      rated: 0,
    });
    // 教育界: 002 (answered on time, 基本满意), 006 (triage)
    expect(sector('教育界')).toMatchObject({
      registered: 2,
      assigned: 1,
      answered: 1,
      completionRate: 0.5,
      replyRate: 1,
      onTimeReplyRate: 1,
      satisfactionRate: 0,
      basicSatisfactionRate: 1,
    });
    expect(s.bySector).toHaveLength(3);
    const theme = (x: string | null) => s.byTheme.find((r) => r.theme === x);
    expect(theme('社会民生')).toMatchObject({ registered: 3, assigned: 2, answered: 2, completionRate: 2 / 3, onTimeReplyRate: 1 }); // 001, 002, 006
    expect(theme('城乡建设')).toMatchObject({ registered: 2, answered: 1, completionRate: 0.5, onTimeReplyRate: 0 }); // 003, 004
    expect(theme(null)).toMatchObject({ registered: 1, answered: 0, onTimeReplyRate: 1 }); // 005
    expect(s.byTheme[0]?.theme).toBe('社会民生');
  });

  it('办理考评 with the default weights (15, 20, 25, 30, 10), each figure traced to its case numbers', () => {
    expect(s.assessment.map((a) => [a.unit, a.score])).toEqual([
      ['health', 90], // (15×1 + 20×½ + 25×1 + 30×1 + 10×1) / 100
      ['edu', 54.2], // (15×⅔ + 20×½ + 25×½) / 60 = 32.5 / 60; no ratings, no 二次答复 yet: left out
      ['transport', 0], // (15×0 + 20×0 + 25×0) / 60
    ]);
    const health = s.assessment[0]!;
    expect(health.rates).toEqual({ acknowledgeOnTime: 1, contact: 0.5, replyOnTime: 1, satisfaction: 1, secondReply: 1 });
    expect(health.sources).toEqual({
      acknowledgeOnTime: { met: ['2026-001', '2026-002'], missed: [] },
      contact: { met: ['2026-001'], missed: ['2026-002'] },
      replyOnTime: { met: ['2026-001', '2026-002'], missed: [] },
      satisfaction: { met: ['2026-001', '2026-001', '2026-002'], missed: [] }, // one per rating
      secondReply: { met: ['2026-002'], missed: [] },
    });
    expect(s.assessment[1]?.sources.acknowledgeOnTime).toEqual({ met: ['2026-003', '2026-005'], missed: ['2026-004'] });
    expect(s.assessment[2]?.sources.acknowledgeOnTime).toEqual({ met: [], missed: ['2026-001', '2026-003'] });
    // Other weights: satisfaction only -> health 100, the others unscored.
    const only = computeStatistics(2026, year, NOW, {
      weights: { acknowledgeOnTime: 0, contact: 0, replyOnTime: 0, satisfaction: 1, secondReply: 0 },
    });
    expect(only.assessment.map((a) => [a.unit, a.score])).toEqual([
      ['health', 100],
      ['edu', null],
      ['transport', null],
    ]);
  });

  it('a city with other classes counts over its own codes', () => {
    const classes = [
      { code: 'A', name: '已解决', followUp: false },
      { code: 'C', name: '暂难解决', followUp: true },
    ];
    const own = computeStatistics(2026, year, NOW, { classes });
    expect(own.classes).toEqual({ A: 1, C: 1, B: 1 }); // B: a code this city does not have, still counted
    expect(own.secondReply).toEqual({ due: 0, given: 0, rate: null }); // 003 (C) is not closed yet; B is not followed up here
  });

  it('the 通报 of June counts the same: now, the month (replies signed in June) and the year to date', () => {
    const range = periodRange('monthly', '2026-06-01', 'Asia/Shanghai');
    expect(range).toEqual({ start: '2026-05-31T16:00:00.000Z', end: '2026-06-30T16:00:00.000Z' });
    const units = [
      { id: 'health', name: '卫生健康委员会' },
      { id: 'transport', name: '交通运输局' },
      { id: 'edu', name: '教育局' },
    ];
    const v = bulletinVars({ label: '2026年6月', year: 2026, ...range }, year, NOW, units);
    expect(v.rows).toEqual([
      // 004: owes 签收, 面商 and the reply, all overdue; 005 waits for the office (edu owes nothing)
      {
        unit: 'edu',
        unitName: '教育局',
        open: 1,
        followUp: 0,
        overdue: 1,
        periodAnswered: 0,
        periodOnTime: 0,
        assigned: 2,
        answered: 0,
        replyRate: 0,
        onTimeReplyRate: 0.5,
      },
      // 003's reply 2 signed 6/10, late (reply 1, returned, was signed in May and does not count)
      {
        unit: 'transport',
        unitName: '交通运输局',
        open: 0,
        followUp: 0,
        overdue: 0,
        periodAnswered: 1,
        periodOnTime: 0,
        assigned: 1,
        answered: 1,
        replyRate: 1,
        onTimeReplyRate: 0,
      },
      // 002 signed 6/22 (on time: extended); 001 signed in May
      {
        unit: 'health',
        unitName: '卫生健康委员会',
        open: 0,
        followUp: 0,
        overdue: 0,
        periodAnswered: 1,
        periodOnTime: 1,
        assigned: 2,
        answered: 2,
        replyRate: 1,
        onTimeReplyRate: 1,
      },
    ]);
    expect(v.best).toEqual(['health']);
    expect(v.criticized).toEqual(['edu']);
    // The same cumulative figures as the statistics.
    for (const r of v.rows)
      expect([r.unit, r.replyRate, r.onTimeReplyRate]).toEqual([r.unit, unitRow(r.unit)?.replyRate, unitRow(r.unit)?.onTimeReplyRate]);
    const may = bulletinVars(
      { label: '2026年5月', year: 2026, ...periodRange('monthly', '2026-05-01', 'Asia/Shanghai') },
      year,
      NOW,
      units,
    );
    expect(may.rows.map((r) => [r.unit, r.periodAnswered, r.periodOnTime])).toEqual([
      ['edu', 0, 0],
      ['transport', 0, 0],
      ['health', 1, 1], // 001, signed 5/26
    ]);
  });
});
