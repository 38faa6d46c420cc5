/**
 * 分办 in the measures, over a hand-computed pair of proposals (issue 20): each part counts for its own
 * unit; the proposal is answered when every part is, on time when every part was, met in person when
 * every lead unit met the proposers; each proposer is asked to rate every part. And the parts' own
 * rules (parts.ts): the status they give, the round of an older proposal re-handled before 分办 existed.
 * Dates are China Standard Time; the reply deadline is the end of 2026-05-31, transport's part was
 * extended to the end of 2026-06-30.
 */
import { describe, expect, it } from 'vitest';
import { computeStatistics } from '#domain/statistics.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';
import { openObligations } from '#domain/obligations.ts';
import { partRound, partState, settledStatus } from '#domain/parts.ts';

const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).toISOString();
const eod = (date: string) => cst(`${date} 23:59:59`);
const NOW = new Date(cst('2026-12-01 10:00'));
const member = (id: string, name: string) => ({ memberId: id, name, email: `${id}@example.com`, sector: '医卫界' });
const [m1, m2] = [member('m1', '王丽'), member('m2', '李建国')];
const lead = (acknowledgedAt: string) => ({
  role: 'lead' as const,
  assignedAt: cst('2026-03-02 09:00'),
  acknowledgedAt: cst(acknowledgedAt),
});
type ReplyIn = NonNullable<ProposalInput['replies']>[number];
const reply = (n: number, unit: string, signedAt: string, over: Partial<ReplyIn> = {}): ReplyIn => ({
  n,
  round: 1,
  unit,
  replyClass: 'A',
  text: `答复${n}`,
  status: 'approved',
  submittedAt: cst(signedAt),
  signedAt: cst(signedAt),
  decidedAt: cst(signedAt),
  ...over,
});
const rating = (n: number, memberId: string, satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied') => ({
  n,
  memberId,
  satisfaction,
  at: cst('2026-07-10 10:00'),
});
function proposal(seq: number, over: Partial<ProposalInput>): Proposal {
  return proposalSchema.parse({
    id: `s${seq}`,
    number: `2026-00${seq}`,
    year: 2026,
    seq,
    title: `提案${seq}`,
    body: '正文',
    category: '社会民生',
    key: false,
    proposers: [m1],
    submittedBy: { role: 'member', sub: 'm1' },
    status: 'closed',
    co: [],
    matches: [],
    deadlines: { acknowledge: eod('2026-03-09'), contact: eod('2026-03-31'), reply: eod('2026-05-31') },
    escalationLevel: 0,
    version: 1,
    createdAt: cst('2026-02-20 09:00'),
    updatedAt: cst('2026-07-10 10:00'),
    ...over,
  });
}

// 2026-001, split between health and transport. Health met the proposer face to face and answered on
// 5/20; transport only phoned, had its part extended to 6/30 and answered on 6/15: both on time.
// m1 rated health's part 满意 and transport's 基本满意.
const p1 = proposal(1, {
  lead: 'health',
  leads: ['health', 'transport'],
  units: { health: lead('2026-03-03 10:00'), transport: lead('2026-03-04 10:00') },
  deadlines: {
    acknowledge: eod('2026-03-09'),
    contact: eod('2026-03-31'),
    reply: eod('2026-05-31'),
    'contact#transport': eod('2026-03-31'),
    'reply#transport': eod('2026-06-30'),
  },
  contacts: [
    { unit: 'health', mode: 'face_to_face', at: cst('2026-03-20 10:00'), note: '面商', recordedAt: cst('2026-03-20 10:00') },
    { unit: 'transport', mode: 'phone', at: cst('2026-03-21 10:00'), note: '电话', recordedAt: cst('2026-03-21 10:00') },
  ],
  replies: [reply(1, 'health', '2026-05-20 10:00'), reply(2, 'transport', '2026-06-15 10:00')],
  feedback: [rating(1, 'm1', 'satisfied'), rating(2, 'm1', 'basically_satisfied')],
  closedAt: cst('2026-07-10 10:00'),
});
// 2026-002, health alone: visited m2 (走访), answered late on 6/10; m2 rated it 不满意.
const p2 = proposal(2, {
  lead: 'health',
  proposers: [m2],
  units: { health: lead('2026-03-03 10:00') },
  contacts: [{ unit: 'health', mode: 'visit', at: cst('2026-04-01 10:00'), note: '走访', recordedAt: cst('2026-04-01 10:00') }],
  replies: [reply(1, 'health', '2026-06-10 10:00')],
  feedback: [rating(1, 'm2', 'dissatisfied')],
  closedAt: cst('2026-07-10 10:00'),
});

const s = computeStatistics(2026, [p1, p2], NOW);
const unitRow = (u: string) => s.byUnit.find((r) => r.unit === u);

describe('分办 in the measures', () => {
  it('over the year: 办复率 2/2, 按时办复率 1/2 (001 both parts on time, 002 late), 面商率 1/2 (001: transport only phoned)', () => {
    expect(s).toMatchObject({ replyRate: 1, onTimeReplyRate: 0.5, faceToFaceRate: 0.5 });
  });
  it("评价: asked 3 (m1 for each of 001's two parts, m2 once), rated 3; 满意率 1/3, 基本满意率 1/3", () => {
    expect(s).toMatchObject({ feedbackRate: 1, satisfactionRate: 1 / 3, basicSatisfactionRate: 1 / 3 });
  });
  it('per unit, each part for its own unit', () => {
    // health: 001's part (on time, met, 满意) and 002 (late, met, 不满意)
    expect(unitRow('health')).toMatchObject({
      assigned: 2,
      answered: 2,
      replyDue: 2,
      onTime: 1,
      asked: 2,
      rated: 2,
      ratings: { satisfied: 1, basically_satisfied: 0, dissatisfied: 1 },
      faceToFace: 2,
    });
    // transport: 001's part only (on time by its extension, phoned, 基本满意)
    expect(unitRow('transport')).toMatchObject({
      assigned: 1,
      answered: 1,
      replyDue: 1,
      onTime: 1,
      asked: 1,
      rated: 1,
      ratings: { satisfied: 0, basically_satisfied: 1, dissatisfied: 0 },
      faceToFace: 0,
      contacted: 1,
    });
  });
  it('办理考评 traces each part to its case number under its own unit', () => {
    const of = (u: string) => s.assessment.find((a) => a.unit === u)!;
    expect(of('transport').sources.contact).toEqual({ met: [], missed: ['2026-001'] });
    expect(of('transport').sources.replyOnTime).toEqual({ met: ['2026-001'], missed: [] });
    expect(of('health').sources.replyOnTime).toEqual({ met: ['2026-001'], missed: ['2026-002'] });
    expect(of('health').sources.satisfaction).toEqual({ met: ['2026-001'], missed: ['2026-002'] });
  });
});

describe('parts (parts.ts)', () => {
  const open = proposal(3, {
    status: 'in_progress',
    lead: 'health',
    leads: ['health', 'transport'],
    units: { health: lead('2026-03-03 10:00'), transport: lead('2026-03-04 10:00') },
    deadlines: { reply: eod('2026-05-31'), 'reply#transport': eod('2026-06-30') },
    contacts: [],
    replies: [reply(1, 'health', '2026-05-20 10:00', { status: 'review', reviewBy: eod('2026-05-27') })],
    feedback: [],
  });
  it('a part whose reply left its unit owes nothing; the other still owes its reply by its own deadline', () => {
    expect([partState(open, 'health'), partState(open, 'transport')]).toEqual(['left', 'open']);
    expect(settledStatus(open)).toBe('in_progress');
    const owed = openObligations(open).filter((o) => o.obligation === 'reply' || o.obligation === 'replyReview');
    expect(owed).toEqual([
      { id: 'reply#transport', obligation: 'reply', unit: 'transport', deadline: eod('2026-06-30') },
      { id: 'replyReview', obligation: 'replyReview', deadline: eod('2026-05-27') },
    ]);
  });
  it('a proposal re-handled before 分办 existed keeps its round in the status and the replies', () => {
    const older = proposal(4, {
      status: 'rehandling',
      lead: 'health',
      units: { health: lead('2026-03-03 10:00') },
      rehandles: 1,
      deadlines: { reply: eod('2026-05-31'), rehandle: eod('2026-08-31') },
      replies: [reply(1, 'health', '2026-05-20 10:00')],
    });
    expect(partRound(older, 'health')).toBe(2);
    expect(settledStatus(older)).toBe('rehandling');
    expect(openObligations(older).map((o) => o.id)).toContain('rehandle');
  });
});
