/**
 * commit: what one save writes (events numbered, version, escalation level, timer puts and deletes),
 * and `firing`: the fired timer's own write when the sweep's change is committed.
 */
import { describe, expect, it } from 'vitest';
import { WorkingCalendar } from '#domain/calendar.ts';
import { parseDuration, type Duration } from '#domain/city-config.ts';
import { proposalSchema, type Proposal, type ProposalInput } from '#domain/proposal.ts';
import { TimerSchedule, timerChanges } from '#domain/timer-schedule.ts';
import { commit, firing } from '#domain/commit.ts';
import type { NewEvent } from '#events/domain-events.ts';

function dur(text: string): Duration {
  const d = parseDuration(text);
  if (!d) throw new Error(`bad duration ${text}`);
  return d;
}
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`).toISOString();
const endOf = (date: string) => cst(`${date} 23:59:59.999`);

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

const deadlines = { acknowledge: endOf('2026-03-09'), contact: endOf('2026-03-23'), reply: endOf('2026-06-02') };
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
    co: [],
    matches: [],
    deadlines,
    escalationLevel: 0,
    units: { health: { role: 'lead', assignedAt: cst('2026-03-02 09:00') } },
    version: 3,
    createdAt: cst('2026-03-02 09:00'),
    updatedAt: cst('2026-03-02 09:00'),
    ...over,
  });
}
const office = { role: 'office' as const, sub: 'o-1' };
const noted = (at: string): NewEvent => ({
  type: 'RecipientSuppressed',
  at,
  actor: office,
  data: { noticeId: 'n-1', kind: 'assignment', emails: ['a@example.com'] },
});
const acknowledged = (at: string): NewEvent => ({
  type: 'UnitAcknowledged',
  at,
  actor: { role: 'unit', sub: 'u', unit: 'health' },
  data: { unit: 'health' },
});

describe('commit', () => {
  it('numbers the events after the stored version and moves the version by their count', () => {
    const before = proposal();
    const at = cst('2026-03-03 10:00');
    const c = commit(before, { next: { ...before, updatedAt: at }, events: [acknowledged(at), acknowledged(at)] }, schedule);
    expect(c.expectedVersion).toBe(3);
    expect(c.proposal.version).toBe(5);
    expect(c.events.map((e) => [e.eventId, e.proposalId, e.seq])).toEqual([
      ['p1:4', 'p1', 4],
      ['p1:5', 'p1', 5],
    ]);
  });

  it('makes a new proposal version 1 of 1 event, from expected version 0, with a timer per open obligation', () => {
    const fresh = proposal({ version: 0 });
    const c = commit(undefined, { next: fresh, events: [acknowledged(fresh.updatedAt)] }, schedule);
    expect(c.expectedVersion).toBe(0);
    expect(c.proposal.version).toBe(1);
    expect(c.events[0]).toMatchObject({ eventId: 'p1:1', seq: 1 });
    expect(c.timers.put.map((t) => t.obligationId).sort()).toEqual(['acknowledge#health', 'contact', 'reply']);
    expect(c.timers.remove).toEqual([]);
  });

  it('sets the escalation level the open obligations have reached at the change (not what the decision said)', () => {
    const before = proposal();
    const late = cst('2026-03-17 10:00'); // acknowledge (Mar 9) is 5wd overdue: level 2
    expect(
      commit(before, { next: { ...before, updatedAt: late, escalationLevel: 0 }, events: [noted(late)] }, schedule).proposal
        .escalationLevel,
    ).toBe(2);
    const early = cst('2026-03-03 10:00');
    expect(
      commit(before, { next: { ...before, updatedAt: early, escalationLevel: 7 }, events: [noted(early)] }, schedule).proposal
        .escalationLevel,
    ).toBe(0);
  });

  it('puts and deletes the timers timerChanges works out between the stored and the new state', () => {
    const before = proposal();
    const at = cst('2026-03-03 10:00');
    const next = {
      ...before,
      updatedAt: at,
      units: { health: { role: 'lead' as const, assignedAt: before.units.health!.assignedAt, acknowledgedAt: at } },
    };
    const c = commit(before, { next, events: [acknowledged(at)] }, schedule);
    expect(c.timers).toEqual(timerChanges(before, c.proposal, schedule));
    expect(c.timers).toEqual({ put: [], remove: ['acknowledge#health'] });
  });
});

describe('firing', () => {
  const before = proposal();
  const at = cst('2026-03-06 10:00');
  const [ackTimer] = commit(undefined, { next: before, events: [noted(at)] }, schedule).timers.put.filter(
    (t) => t.obligationId === 'acknowledge#health',
  );

  it('moves the fired timer on when the change leaves its obligation as it was', () => {
    const c = commit(before, { next: { ...before, updatedAt: at }, events: [noted(at)] }, schedule);
    const { commit: rest, fired } = firing(c, ackTimer!, { step: 2, nextAt: cst('2026-03-10 08:00') });
    expect(fired).toEqual({ timer: ackTimer, then: { step: 2, nextAt: cst('2026-03-10 08:00') } });
    expect(rest).toEqual(c);
  });

  it('deletes the fired timer, guarded, when the change fulfils its obligation (and the commit no longer deletes it)', () => {
    const next = {
      ...before,
      updatedAt: at,
      units: { health: { role: 'lead' as const, assignedAt: before.units.health!.assignedAt, acknowledgedAt: at } },
    };
    const c = commit(before, { next, events: [acknowledged(at)] }, schedule);
    const { commit: rest, fired } = firing(c, ackTimer!, { step: 2 });
    expect(fired.then).toBe('delete');
    expect(rest.timers.remove).toEqual([]);
    expect(rest.proposal).toEqual(c.proposal);
  });

  it('writes the fresh timer in its place, guarded, when the change moves its deadline', () => {
    const next = { ...before, updatedAt: at, deadlines: { ...deadlines, acknowledge: endOf('2026-03-20') } };
    const c = commit(before, { next, events: [noted(at)] }, schedule);
    const fresh = c.timers.put.find((t) => t.obligationId === 'acknowledge#health')!;
    const { commit: rest, fired } = firing(c, ackTimer!, { step: 2 });
    expect(fired).toEqual({ timer: ackTimer, then: { put: fresh } });
    expect(rest.timers.put.some((t) => t.obligationId === 'acknowledge#health')).toBe(false);
  });
});
