import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '#domain/calendar.ts';
import { parseDuration, type Duration } from '#domain/city-config.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';
import { isOverdue, openObligations, trafficLight } from '#domain/obligations.ts';
import { escalationLevel, TimerSchedule, timerChanges } from '#domain/timer-schedule.ts';
import { reportProgress } from '#domain/workflow.ts';

function dur(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new Error(`bad duration ${text}`);
  return d;
}
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const endOf = (date: string) => cst(`${date} 23:59:59.999`).toISOString();

const calendar = new WorkingCalendar({
  timeZone: 'Asia/Shanghai',
  extraHolidays: [],
  extraWorkdays: [],
  quietHours: { from: '20:00', to: '08:00' },
});
const schedule = new TimerSchedule(
  {
    reminders: [dur('-3wd')],
    escalation: [
      { after: dur('0wd'), level: 1, to: ['unit'] },
      { after: dur('5wd'), level: 2, to: ['office'] },
    ],
    key: { addLeaders: true },
  },
  calendar,
);

const deadlines = {
  acknowledge: endOf('2026-03-09'),
  contact: endOf('2026-03-23'),
  coOpinion: endOf('2026-04-02'),
  reply: endOf('2026-06-02'),
};
function proposal(over: Partial<ProposalInput> = {}): Proposal {
  return proposalSchema.parse({
    id: 'p1',
    number: '2026-001',
    year: 2026,
    seq: 1,
    title: '标题',
    body: '正文',
    key: false,
    proposers: [{ memberId: 'm1', name: '王委员', email: 'wang@example.com' }],
    submittedBy: { role: 'member', sub: 'm1' },
    status: 'assigned',
    lead: 'health',
    co: ['transport'],
    matches: [],
    deadlines,
    escalationLevel: 0,
    units: {
      health: { role: 'lead', assignedAt: cst('2026-03-02 09:00').toISOString() },
      transport: { role: 'co', assignedAt: cst('2026-03-02 09:00').toISOString() },
    },
    version: 3,
    createdAt: cst('2026-03-02 09:00').toISOString(),
    updatedAt: cst('2026-03-02 09:00').toISOString(),
    ...over,
  });
}
const ids = (p: Proposal) =>
  openObligations(p)
    .map((o) => o.id)
    .sort();

describe('open obligations', () => {
  it('are every acknowledgement, the contact, each co-unit opinion and the reply while assigned', () => {
    expect(ids(proposal())).toEqual(['acknowledge#health', 'acknowledge#transport', 'coOpinion#transport', 'contact', 'reply']);
    expect(openObligations(proposal()).find((o) => o.id === 'coOpinion#transport')).toEqual({
      id: 'coOpinion#transport',
      obligation: 'coOpinion',
      unit: 'transport',
      deadline: deadlines.coOpinion,
    });
  });

  it('drop what has been done: acknowledged, contacted, opinion given', () => {
    const at = cst('2026-03-03 10:00').toISOString();
    const p = proposal({
      status: 'in_progress',
      units: {
        health: { role: 'lead', assignedAt: at, acknowledgedAt: at },
        transport: { role: 'co', assignedAt: at, acknowledgedAt: at, opinion: { text: '同意', at } },
      },
      contacts: [{ unit: 'health', mode: 'phone', at, note: '电话沟通', recordedAt: at }],
    });
    expect(ids(p)).toEqual(['reply']);
  });

  it('follow the status: review (none), replied (feedback), rehandling, closed with a follow-up', () => {
    expect(ids(proposal({ status: 'reply_review' }))).toEqual([]);
    expect(openObligations(proposal({ status: 'replied', deadlines: { ...deadlines, feedback: endOf('2026-06-20') } }))).toEqual([
      { id: 'feedback', obligation: 'feedback', deadline: endOf('2026-06-20') },
    ]);
    const at = cst('2026-03-03 10:00').toISOString();
    const acked = {
      health: { role: 'lead' as const, assignedAt: at, acknowledgedAt: at },
      transport: { role: 'co' as const, assignedAt: at, acknowledgedAt: at },
    };
    expect(ids(proposal({ status: 'rehandling', units: acked, deadlines: { ...deadlines, rehandle: endOf('2026-07-20') } }))).toEqual([
      'rehandle',
    ]);
    const followUp = { ...deadlines, followUp: endOf('2026-09-20') };
    expect(ids(proposal({ status: 'closed', deadlines: followUp, followUp: { open: true, progress: [] } }))).toEqual(['followUp']);
    expect(ids(proposal({ status: 'closed', deadlines: followUp, followUp: { open: false, progress: [] } }))).toEqual([]);
    expect(ids(proposal({ status: 'submitted', deadlines: {} }))).toEqual([]);
  });

  it('in re-handling are the re-handling of the lead only: a sign-off never made is not chased again', () => {
    expect(ids(proposal({ status: 'rehandling', deadlines: { ...deadlines, rehandle: endOf('2026-07-20') } }))).toEqual(['rehandle']);
  });

  it('suspend the 签收 of a unit while its objection (申请调整) waits for the office, and restart it with its own deadline after', () => {
    const at = cst('2026-03-03 10:00').toISOString();
    const objecting = proposal({
      units: { ...proposal().units, transport: { role: 'co', assignedAt: at, objection: { reason: '不属于', at } } },
    });
    expect(ids(objecting)).toEqual(['acknowledge#health', 'coOpinion#transport', 'contact', 'reply']);
    const declined = proposal({
      units: {
        ...proposal().units,
        transport: { role: 'co', assignedAt: at, objection: { reason: '不属于', at, decidedAt: at }, acknowledgeBy: endOf('2026-03-16') },
      },
    });
    expect(openObligations(declined).filter((o) => o.obligation === 'acknowledge')).toEqual([
      { id: 'acknowledge#health', obligation: 'acknowledge', unit: 'health', deadline: deadlines.acknowledge },
      { id: 'acknowledge#transport', obligation: 'acknowledge', unit: 'transport', deadline: endOf('2026-03-16') },
    ]);
    // A later reassignment that moves every 签收 deadline past the unit's own: the later one counts.
    const moved = { ...declined, deadlines: { ...deadlines, acknowledge: endOf('2026-03-20') } };
    expect(openObligations(moved).find((o) => o.id === 'acknowledge#transport')?.deadline).toBe(endOf('2026-03-20'));
    // The timer goes while the objection waits and comes back fresh (not escalated) after the decision.
    expect(timerChanges(proposal(), objecting, schedule)).toEqual({ put: [], remove: ['acknowledge#transport'] });
    const back = timerChanges(objecting, { ...declined, updatedAt: cst('2026-03-05 10:00').toISOString() }, schedule);
    expect(back.remove).toEqual([]);
    expect(back.put).toMatchObject([{ obligationId: 'acknowledge#transport', deadline: endOf('2026-03-16'), step: 0 }]);
  });

  it('give the office the decision on a pending objection (申请调整审核), with its deadline and no unit, until it decides', () => {
    const at = cst('2026-03-03 10:00').toISOString();
    const objection = { reason: '不属于', at, decideBy: endOf('2026-03-10') };
    const pending = proposal({ units: { ...proposal().units, transport: { role: 'co', assignedAt: at, objection } } });
    expect(openObligations(pending).find((o) => o.obligation === 'objectionDecision')).toEqual({
      id: 'objectionDecision#transport',
      obligation: 'objectionDecision',
      deadline: endOf('2026-03-10'),
    });
    expect(timerChanges(proposal(), pending, schedule).put.map((t) => t.obligationId)).toEqual(['objectionDecision#transport']);
    const decided = proposal({
      units: { ...proposal().units, transport: { role: 'co', assignedAt: at, objection: { ...objection, decidedAt: at } } },
    });
    expect(openObligations(decided).some((o) => o.obligation === 'objectionDecision')).toBe(false);
    expect(timerChanges(pending, decided, schedule).remove).toEqual(['objectionDecision#transport']);
  });
});

describe('traffic light and overdue', () => {
  const p = proposal();
  it('is green before the reminder window, yellow in it, red past a deadline', () => {
    expect(trafficLight(p, cst('2026-03-03 10:00'), schedule)).toBe('green');
    expect(trafficLight(p, cst('2026-03-04 08:00'), schedule)).toBe('yellow'); // -3wd of Mar 9
    expect(isOverdue(p, cst('2026-03-09 23:00'))).toBe(false);
    expect(trafficLight(p, cst('2026-03-10 00:00'), schedule)).toBe('red');
    expect(isOverdue(p, cst('2026-03-10 00:00'))).toBe(true);
  });

  it('ignores the proposers feedback deadline (it closes the proposal instead)', () => {
    const replied = proposal({ status: 'replied', deadlines: { ...deadlines, feedback: endOf('2026-03-05') } });
    expect(trafficLight(replied, cst('2026-03-20 10:00'), schedule)).toBe('green');
  });
});

describe('timers follow the state', () => {
  it('put a timer per new obligation, keep unchanged ones, delete fulfilled ones, re-put a moved deadline', () => {
    const before = proposal();
    expect(
      timerChanges(undefined, before, schedule)
        .put.map((t) => t.obligationId)
        .sort(),
    ).toEqual(ids(before));
    const at = cst('2026-03-05 10:00').toISOString();
    const after = proposal({
      updatedAt: at,
      units: { ...before.units, health: { role: 'lead', assignedAt: at, acknowledgedAt: at } },
      deadlines: { ...deadlines, reply: endOf('2026-07-02') },
    });
    const c = timerChanges(before, after, schedule);
    expect(c.remove).toEqual(['acknowledge#health']);
    expect(c.put.map((t) => t.obligationId)).toEqual(['reply']);
    expect(c.put[0]).toMatchObject({ kind: 'obligation', proposalId: 'p1', deadline: endOf('2026-07-02'), step: 0 });
  });

  it('re-arms the follow-up timer when a progress report starts the next period', () => {
    const closed = proposal({
      status: 'closed',
      deadlines: { ...deadlines, followUp: endOf('2026-09-01') },
      followUp: { open: true, progress: [] },
      updatedAt: cst('2026-06-01 10:00').toISOString(),
    });
    const at = cst('2026-09-15 10:00'); // late: the old period is escalated
    const due = () => endOf('2026-12-15');
    const c = {
      at: at.toISOString(),
      actor: { role: 'unit' as const, sub: 'u', unit: 'health' },
      due,
      replyWaitsForCoOpinions: false,
      maxRehandles: 1,
    };
    const reported = reportProgress(closed, c, 'health', '一期工程完工', false).next;
    expect(escalationLevel(closed, at, schedule)).toBe(2);
    expect(escalationLevel(reported, at, schedule)).toBe(0);
    expect(timerChanges(closed, reported, schedule).put).toMatchObject([
      { obligationId: 'followUp', deadline: endOf('2026-12-15'), step: 0 },
    ]);
  });

  it('re-puts every timer when the proposal becomes a key proposal', () => {
    const before = proposal();
    expect(timerChanges(before, { ...before, key: true }, schedule).put).toHaveLength(5);
  });

  it('sets the escalation level to the highest level reached by an open obligation', () => {
    const p = proposal();
    expect(escalationLevel(p, cst('2026-03-10 09:00'), schedule)).toBe(1);
    expect(escalationLevel(p, cst('2026-03-17 09:00'), schedule)).toBe(2);
    const at = cst('2026-03-17 09:00').toISOString();
    const done = proposal({
      status: 'in_progress',
      units: {
        health: { role: 'lead', assignedAt: at, acknowledgedAt: at },
        transport: { role: 'co', assignedAt: at, acknowledgedAt: at },
      },
    });
    expect(escalationLevel(done, cst('2026-03-17 09:00'), schedule)).toBe(0);
  });
});
