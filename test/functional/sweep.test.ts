/**
 * The sweep on fakes of our ports: a simulated month and a half, hour by hour, of one proposal whose
 * units acknowledge late or never; the feedback deadline closing a proposal; a late sweep at night.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '#events/domain-events.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { runCommand } from '#app/run-command.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import { acknowledge, approveReply, assign, giveOpinion, object, recordContact, submitReply } from '#domain/workflow.ts';
import { noticeVarsSchemas } from '#events/notices.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const HOUR = 3_600_000;
const member = { role: 'member' as const, sub: 'm-1' };
const proposers = [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }];
const unitActor = (unit: string) => ({ role: 'unit' as const, sub: `u-${unit}`, unit });
const office = { role: 'office' as const, sub: 'o-1' };

async function assigned(f: ReturnType<typeof fakeState>) {
  const p = await submitProposal(
    f.state,
    {
      title: '关于发展夜市经济促进消费的建议',
      body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查。夜市带动就业。',
      proposers,
    },
    member,
  );
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
  const stored = await f.proposals.get(p.id);
  if (stored?.status !== 'assigned' || !stored.lead) throw new Error('not assigned');
  return stored;
}

const timerEvents = (log: DomainEvent[]) => log.filter((e) => e.type === 'ReminderDue' || e.type === 'Escalated');
const tag = (e: DomainEvent) =>
  e.type === 'ReminderDue' || e.type === 'Escalated' ? `${e.data.obligation}#${e.data.unit ?? ''}@${e.at}` : e.type;

describe('sweep on fakes', () => {
  it('reminds, escalates level by level on working mornings, stops when fulfilled, and sends the monthly bulletin', async () => {
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const p = await assigned(f);
    const [co] = p.co;
    if (!co) throw new Error('expected a co-unit');
    expect((await f.timers.ofProposal(p.id)).map((t) => t.obligationId).sort()).toEqual(
      [`acknowledge#${p.lead}`, ...p.co.map((c) => `acknowledge#${c}`), ...p.co.map((c) => `coOpinion#${c}`), 'contact', 'reply'].sort(),
    );
    let levelOn18th = -1;
    for (let t = cst('2026-03-02 10:00'); t <= cst('2026-04-02 10:00'); t = new Date(t.getTime() + HOUR)) {
      f.clock.set(t);
      if (t.getTime() === cst('2026-03-05 10:00').getTime())
        await runCommand(f.state, p.id, unitActor(p.lead!), (x, ctx) => acknowledge(x, ctx, p.lead!));
      await sweepDueTimers(f.state);
      if (t.getTime() === cst('2026-03-18 12:00').getTime()) levelOn18th = (await f.proposals.get(p.id))?.escalationLevel ?? -1;
    }
    const fired = timerEvents(await f.proposals.events(p.id));
    const ack = (unit: string) => fired.filter((e) => e.data.obligation === 'acknowledge' && e.data.unit === unit);
    // Deadline Mar 9 (5wd from Mar 2); -10wd was already past at assignment.
    expect(ack(p.lead!).map(tag)).toEqual([`acknowledge#${p.lead}@${cst('2026-03-04 08:00').toISOString()}`]);
    expect(ack(co).map((e) => [e.type, e.at, e.type === 'Escalated' ? e.data.level : 0])).toEqual([
      ['ReminderDue', cst('2026-03-04 08:00').toISOString(), 0], // -3wd
      ['ReminderDue', cst('2026-03-06 08:00').toISOString(), 0], // -1wd
      ['Escalated', cst('2026-03-10 08:00').toISOString(), 1], // 催办 the morning after
      ['Escalated', cst('2026-03-17 08:00').toISOString(), 2], // 督办 5wd later
      ['Escalated', cst('2026-03-25 08:00').toISOString(), 3], // 10wd, over the city holiday Mar 20
      ['Escalated', cst('2026-04-01 08:00').toISOString(), 3], // repeat 5wd
    ]);
    const l1 = ack(co)[2];
    expect(l1?.type === 'Escalated' && l1.data).toMatchObject({
      deadline: p.deadlines.acknowledge,
      to: ['unit', 'unitHead'],
      key: false,
      step: 3,
    });
    expect(levelOn18th).toBe(2);
    for (const e of fired) expect(f.state.calendar.isQuiet(new Date(e.at))).toBe(false);
    expect(new Set(fired.map(tag)).size).toBe(fired.length);
    expect((await f.timers.ofProposal(p.id)).some((t) => t.obligationId === `acknowledge#${p.lead}`)).toBe(false);

    const bulletins = f.notices.sent.filter((n) => n.kind === 'bulletin');
    expect(bulletins.map((n) => [n.id, n.createdAt])).toEqual([['bulletin/2026-03', cst('2026-04-01 08:00').toISOString()]]);
    expect(bulletins[0]?.recipients).toEqual([{ kind: 'office' }, { kind: 'leaders' }]);
    const vars = noticeVarsSchemas.bulletin.parse(bulletins[0]?.vars);
    expect(vars.period).toBe('2026年3月');
    expect(vars.rows.find((r) => r.unit === co)).toMatchObject({ open: 1, overdue: 1 });
    // The lead acknowledged, but has recorded no contact (面商) by its deadline (15wd: Mar 24).
    expect(vars.rows.find((r) => r.unit === p.lead)).toMatchObject({ open: 1, overdue: 1, assigned: 1, onTimeReplyRate: null });
  });

  it('with replies.bulletinToUnits the bulletin also goes to every unit, each copy naming its unit', async () => {
    const toUnits = { ...config, replies: { ...config.replies, bulletinToUnits: true } };
    const f = fakeState(toUnits, cst('2026-03-30 09:00'));
    await sweepDueTimers(f.state);
    f.clock.set(cst('2026-04-01 09:00'));
    await sweepDueTimers(f.state);
    const bulletins = f.notices.sent.filter((n) => n.kind === 'bulletin');
    expect(bulletins.map((n) => n.id)).toEqual(['bulletin/2026-03', ...config.units.map((u) => `bulletin/2026-03/unit/${u.id}`)]);
    expect(bulletins[1]?.recipients).toEqual([{ kind: 'unit', unit: config.units[0]!.id }]);
    expect(noticeVarsSchemas.bulletin.parse(bulletins[1]?.vars).to).toBe(config.units[0]!.id);
  });

  it('the bulletin on January 2027 still lists the units behind on a 2026 proposal', async () => {
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const p = await assigned(f);
    f.clock.set(cst('2027-01-31 10:00')); // Sunday: the first sweep sets the bulletin timer for Monday Feb 1
    await sweepDueTimers(f.state);
    f.clock.set(cst('2027-02-01 09:00'));
    await sweepDueTimers(f.state);
    const bulletins = f.notices.sent.filter((n) => n.kind === 'bulletin');
    expect(bulletins.map((n) => n.id)).toEqual(['bulletin/2027-01']);
    const vars = noticeVarsSchemas.bulletin.parse(bulletins[0]?.vars);
    // Every unit still owes its 2026 签收 and more; the cumulative figures are 2027's (nothing assigned yet).
    expect(vars.rows.find((r) => r.unit === p.lead)).toMatchObject({ open: 1, overdue: 1, assigned: 0, onTimeReplyRate: null });
    expect(vars.rows.map((r) => r.unit).sort()).toEqual([p.lead, ...p.co].sort());
  });

  it('reminds the proposer to rate, with their own link, then closes at the feedback deadline and opens the follow-up of a class B reply', async () => {
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const p = await assigned(f);
    const lead = p.lead!;
    f.clock.set(cst('2026-03-03 10:00'));
    await runCommand(f.state, p.id, unitActor(lead), (x, ctx) => acknowledge(x, ctx, lead));
    for (const c of p.co) await runCommand(f.state, p.id, unitActor(c), (x, ctx) => giveOpinion(x, ctx, c, '同意'));
    await runCommand(f.state, p.id, unitActor(lead), (x, ctx) =>
      recordContact(x, ctx, { unit: lead, mode: 'phone', at: ctx.at, note: '电话沟通' }),
    );
    await runCommand(f.state, p.id, unitActor(lead), (x, ctx) => submitReply(x, ctx, lead, 'B', '列入计划'));
    // under review: only the office's review is timed (policy.replyReview)
    expect((await f.timers.ofProposal(p.id)).map((t) => (t.kind === 'obligation' ? t.obligationId : t.kind))).toEqual(['replyReview']);
    const replied = await runCommand(f.state, p.id, office, (x, ctx) => approveReply(x, ctx, 1));
    const deadline = replied.deadlines.feedback!;
    const [timer] = await f.timers.ofProposal(p.id);
    expect([timer?.obligationId, timer?.step]).toEqual(['feedback', 0]);
    expect(Date.parse(timer!.nextAt!)).toBeLessThan(Date.parse(deadline)); // the first reminder (-10wd)

    // The morning of the last working day before the deadline: one reminder (the latest due), to the proposer who has not rated.
    const lastMorning = f.state.calendar.addDuration(new Date(deadline), { amount: -1, unit: 'wd', text: '-1wd' }).at; // 08:00
    f.clock.set(new Date(lastMorning.getTime() + HOUR));
    const before = f.proposals.eventLog.length;
    expect((await sweepDueTimers(f.state)).fired).toBe(1);
    const fired = f.proposals.eventLog.slice(before);
    expect(fired.map((e) => e.type === 'ReminderDue' && [e.data.obligation, e.data.to])).toEqual([['feedback', []]]);
    for (const e of fired) await react(f.state, e);
    const reminders = f.notices.sent.filter((n) => n.kind === 'feedbackReminder');
    expect(reminders.map((n) => n.recipients)).toEqual([[{ kind: 'address', email: 'wang@example.com', name: '王委员' }]]);
    expect(noticeVarsSchemas.feedbackReminder.parse(reminders[0]?.vars)).toMatchObject({
      daysLeft: 1,
      feedbackUrl: expect.stringContaining('/v1/feedback?token='),
    });
    expect((await sweepDueTimers(f.state)).fired).toBe(0);

    f.clock.set(new Date(Date.parse(deadline) - 1));
    expect((await sweepDueTimers(f.state)).fired).toBe(0);
    f.clock.set(new Date(Date.parse(deadline) + 60_000)); // 00:00:59 at night: the close is not mail
    expect((await sweepDueTimers(f.state)).fired).toBe(1);
    const closed = await f.proposals.get(p.id);
    expect(closed?.status).toBe('closed');
    expect((await f.proposals.events(p.id)).filter((e) => e.type === 'ProposalClosed').map((e) => e.data)).toEqual([
      { reason: 'feedback_deadline', followUp: true, followUpDeadline: closed?.deadlines.followUp },
    ]);
    expect((await f.timers.ofProposal(p.id)).map((t) => t.obligationId)).toEqual(['followUp']);
    expect((await sweepDueTimers(f.state)).fired).toBe(0);
  });

  it('holds what a late night sweep finds to the next working morning, then fires only the latest step once', async () => {
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const p = await assigned(f);
    f.clock.set(cst('2026-03-07 22:00')); // Saturday night: the Mar 4 and Mar 6 reminders were missed
    const night = await sweepDueTimers(f.state);
    expect(night.fired).toBe(0);
    expect(night.deferred).toBe(1 + p.co.length);
    expect(timerEvents(await f.proposals.events(p.id))).toEqual([]);
    f.clock.set(cst('2026-03-09 07:59'));
    expect((await sweepDueTimers(f.state)).fired).toBe(0);
    f.clock.set(cst('2026-03-09 08:00'));
    // The acknowledgements' -1wd reminders (step 2; steps 0-1 skipped), and the contact's first (-10wd: Mar 9).
    expect((await sweepDueTimers(f.state)).fired).toBe(1 + p.co.length + 1);
    const fired = timerEvents(await f.proposals.events(p.id));
    expect(fired.map((e) => [e.type, e.data.obligation, e.data.step, e.at]).sort()).toEqual(
      [
        ...[p.lead, ...p.co].map(() => ['ReminderDue', 'acknowledge', 2, cst('2026-03-09 08:00').toISOString()]),
        ['ReminderDue', 'contact', 0, cst('2026-03-09 08:00').toISOString()],
      ].sort(),
    );
    expect((await sweepDueTimers(f.state)).fired).toBe(0);
  });

  it('reminds and then chases the office for an objection it has not decided (申请调整审核), and stops once it decides', async () => {
    const f = fakeState(config, cst('2026-03-02 09:00'));
    const p = await assigned(f);
    const [co] = p.co;
    if (!co) throw new Error('expected a co-unit');
    const objected = await runCommand(f.state, p.id, unitActor(co), (x, ctx) => object(x, ctx, co, '不属于本单位职责'));
    const decideBy = objected.units[co]!.objection!.decideBy!;
    const officeSteps = async () =>
      (await f.proposals.events(p.id)).filter(
        (e) => (e.type === 'ReminderDue' || e.type === 'Escalated') && e.data.obligation === 'objectionDecision',
      );
    for (let t = cst('2026-03-02 10:00'); t.getTime() <= Date.parse(decideBy) + 2 * 86_400_000; t = new Date(t.getTime() + HOUR)) {
      f.clock.set(t);
      await sweepDueTimers(f.state);
    }
    const steps = await officeSteps();
    expect(steps.map((e) => e.type)).toEqual(['ReminderDue', 'ReminderDue', 'Escalated']); // -3wd, -1wd, then 催办 on the next working morning
    for (const e of steps) await react(f.state, e);
    const sent = f.notices.sent.filter(
      (n) => (n.kind === 'reminder' || n.kind === 'escalation') && n.vars.obligation === 'objectionDecision',
    );
    // The escalation names the office once (for the unit it stands in for, and for itself).
    expect(sent.map((n) => n.recipients)).toEqual([[{ kind: 'office' }], [{ kind: 'office' }], [{ kind: 'office' }]]);
    // The office keeps the assignment: the timer goes, nothing more fires for it.
    await runCommand(f.state, p.id, office, (x, ctx) => assign(x, ctx, x.lead!, x.co));
    expect((await f.timers.ofProposal(p.id)).some((t) => t.obligation === 'objectionDecision')).toBe(false);
    f.clock.set(new Date(Date.parse(decideBy) + 30 * 86_400_000));
    await sweepDueTimers(f.state);
    expect(await officeSteps()).toHaveLength(3);
  });
});
