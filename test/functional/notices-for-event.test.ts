/**
 * Which notices the events of a proposal's life cause, and to whom: a key proposal with two
 * proposers, from assignment to 办结, through the reactor on fakes of our ports.
 */
import { describe, expect, it } from 'vitest';
import { checkNotice, type Notice } from '#events/notices.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { runCommand } from '#app/run-command.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';
import { acknowledge, approveReply, giveFeedback, giveOpinion, recordContact, submitReply } from '#domain/workflow.ts';
import { renderNotice } from '#render/emails.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const proposers = [
  { memberId: 'm-1', name: '王委员', email: 'wang@example.com' },
  { memberId: 'm-2', name: '李委员', email: 'li@example.com' },
];
const member = { role: 'member' as const, sub: 'm-1' };
const office = { role: 'office' as const, sub: 'o-1' };
const unitActor = (unit: string) => ({ role: 'unit' as const, sub: `u-${unit}`, unit });
const city = {
  name: config.name,
  linkBase: config.email.linkBase,
  unitName: (id: string) => config.units.find((u) => u.id === id)?.name ?? id,
};

/** A proposal assigned by keyword to a lead and co-units, its events fed to the reactor as they come. */
async function assigned(key: boolean) {
  const f = fakeState(config, cst('2026-03-02 09:00'));
  let fed = 0;
  const reactAll = async () => {
    while (fed < f.proposals.eventLog.length) await react(f.state, f.proposals.eventLog[fed++]!);
  };
  const p = await submitProposal(
    f.state,
    {
      title: '关于发展夜市经济促进消费的建议',
      body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查。夜市带动就业。',
      proposers,
      key,
    },
    member,
  );
  await reactAll();
  const stored = (await f.proposals.get(p.id))!;
  if (!stored.lead || !stored.co.length) throw new Error('expected a lead and co-units');
  const lead = stored.lead;
  const run = async (actor: Parameters<typeof runCommand>[2], decide: Parameters<typeof runCommand>[3]) => {
    const next = await runCommand(f.state, p.id, actor, decide);
    await reactAll();
    return next;
  };
  /** Handles the proposal up to an approved reply (round 1 or, while re-handling, round 2). */
  const replyAndApprove = async (text: string) => {
    const x = (await f.proposals.get(p.id))!;
    if (x.status !== 'rehandling') {
      await run(unitActor(lead), (y, ctx) => acknowledge(y, ctx, lead));
      for (const c of x.co) await run(unitActor(c), (y, ctx) => giveOpinion(y, ctx, c, '同意'));
      await run(unitActor(lead), (y, ctx) => recordContact(y, ctx, { unit: lead, mode: 'phone', at: ctx.at, note: '电话沟通' }));
    }
    const n = (await run(unitActor(lead), (y, ctx) => submitReply(y, ctx, lead, 'A', text))).replies.length;
    await run(office, (y, ctx) => approveReply(y, ctx, n));
    return n;
  };
  const rate = (n: number, memberId: string, satisfaction: 'satisfied' | 'dissatisfied') =>
    run({ role: 'member', sub: memberId }, (y, ctx) => giveFeedback(y, ctx, { n, memberId, satisfaction }));
  return { f, p: stored, replyAndApprove, rate };
}

const eventOf = (n: Notice) => n.id.split('/')[0];
const toLeaders = (n: Notice) => n.recipients.some((r) => r.kind === 'leaders');
const toProposer = (n: Notice) => n.recipients.some((r) => r.kind === 'address');

describe('notices for the events of a proposal', () => {
  it('key proposal: the leaders get each event once, never on a proposer’s notice; the 办结 through the lead unit’s notice', async () => {
    const { f, p, replyAndApprove, rate } = await assigned(true);
    const n = await replyAndApprove('已解决。');
    for (const x of proposers) await rate(n, x.memberId, 'satisfied');
    expect((await f.proposals.get(p.id))?.status).toBe('closed');

    const sent = f.notices.sent;
    for (const event of new Set(sent.map(eventOf)))
      expect(sent.filter((x) => eventOf(x) === event && toLeaders(x)).length, event).toBeLessThanOrEqual(1);
    expect(sent.filter((x) => toProposer(x) && toLeaders(x))).toEqual([]);

    const closed = sent.filter((x) => x.kind === 'closed');
    expect(closed).toHaveLength(proposers.length + 1);
    expect(closed.filter(toLeaders).map((x) => x.recipients)).toEqual([[{ kind: 'unit', unit: p.lead }, { kind: 'leaders' }]]);
    const assignment = sent.filter((x) => x.kind === 'assignment');
    expect(assignment).toHaveLength(1 + p.co.length);
    expect(assignment.filter(toLeaders).map((x) => x.recipients[0])).toEqual([{ kind: 'unit', unit: p.lead }]);
    // What the types promise, the mailer's check confirms: every notice made fits its kind's schema.
    for (const x of sent) expect(() => checkNotice(x), x.id).not.toThrow();
  });

  it('not a key proposal: no leaders', async () => {
    const { f } = await assigned(false);
    expect(f.notices.sent.filter(toLeaders)).toEqual([]);
  });

  it('assignment: the objection deadline (7wd, not the 5wd sign-off), the lead’s contact and the co-units’ opinion deadlines', async () => {
    const { f, p } = await assigned(false);
    const assignment = f.notices.sent.filter((x) => x.kind === 'assignment');
    const forUnit = (unit: string) => assignment.find((x) => x.recipients[0]?.kind === 'unit' && x.recipients[0].unit === unit)!;
    const day = (iso: string | undefined) => f.state.calendar.localDate(new Date(iso!));
    const { acknowledge: ack, objection, contact, coOpinion, reply } = p.deadlines;
    expect(day(ack)).toBe('2026-03-09');
    expect(day(objection)).toBe('2026-03-11');
    expect(forUnit(p.lead!).vars.deadlines).toEqual({
      acknowledge: day(ack),
      objection: day(objection),
      contact: day(contact),
      reply: day(reply),
    });
    expect(forUnit(p.co[0]!).vars.deadlines).toEqual({ acknowledge: day(ack), objection: day(objection), coOpinion: day(coOpinion) });

    const lead = renderNotice(forUnit(p.lead!), city).text;
    expect(lead).toContain('请于2026年3月11日前提出调整申请');
    expect(lead).not.toContain('签收期限内');
    const co = renderNotice(forUnit(p.co[0]!), city).text;
    expect(co).toContain(`会签意见期限：${chinese(day(coOpinion))}`);
  });

  it('the reply email promises a re-handling only while one is still possible', async () => {
    const { f, replyAndApprove, rate } = await assigned(false);
    const first = await replyAndApprove('已研究。');
    await rate(first, 'm-1', 'dissatisfied');
    const second = await replyAndApprove('再次研究，已落实。');
    const replies = f.notices.sent.filter((x) => x.kind === 'replyApproved');
    expect(replies.map((x) => [x.id.split('/')[0], x.vars.rehandlePossible])).toEqual([
      [expect.any(String), true],
      [expect.any(String), true],
      [expect.any(String), false],
      [expect.any(String), false],
    ]);
    const [one, , two] = replies.map((x) => renderNotice(x, city).text);
    expect(one).toContain('如不满意，承办单位将重新办理');
    expect(two).not.toContain('重新办理');
    expect(two).toContain('最终答复');
    // A 不满意 on the last round closes the proposal, as the email says.
    await rate(second, 'm-1', 'dissatisfied');
    await rate(second, 'm-2', 'satisfied');
    expect(f.notices.sent.filter((x) => x.kind === 'rehandling')).toHaveLength(1);
    expect(f.notices.sent.filter((x) => x.kind === 'closed').length).toBeGreaterThan(0);
  });

  it('评价提醒: only the proposers who have not rated, each with their own link, never the leaders; nothing once closed', async () => {
    const { f, p, replyAndApprove, rate } = await assigned(true);
    const n = await replyAndApprove('已研究。');
    await rate(n, 'm-1', 'satisfied');
    const replied = (await f.proposals.get(p.id))!;
    const deadline = replied.deadlines.feedback!;
    const reminder = (at: string) => ({
      eventId: `${p.id}:98`,
      proposalId: p.id,
      seq: 98,
      type: 'ReminderDue' as const,
      at,
      actor: { role: 'system' as const, sub: 'sweep' },
      data: { obligation: 'feedback' as const, deadline, step: 2, key: true, to: [] },
    });
    const notices = noticesForEvent(f.state, reminder(new Date(Date.parse(deadline) - 86_400_000 * 3).toISOString()), replied);
    expect(notices.map((x) => [x.kind, x.recipients])).toEqual([
      ['feedbackReminder', [{ kind: 'address', email: 'li@example.com', name: '李委员' }]],
    ]);
    const mail = renderNotice(notices[0]!, city);
    expect(mail.text).toContain('尊敬的李委员：');
    expect(mail.text).toContain('距到期还有3天');
    const reply = f.notices.sent.find(
      (x) => x.kind === 'replyApproved' && x.recipients.some((r) => r.kind === 'address' && r.email === 'li@example.com'),
    );
    expect(notices[0]).toMatchObject({
      kind: 'feedbackReminder',
      vars: { feedbackUrl: reply?.kind === 'replyApproved' ? reply.vars.feedbackUrl : 'none' },
    }); // the same link as in the reply email
    await rate(n, 'm-2', 'satisfied');
    expect(noticesForEvent(f.state, reminder(deadline), (await f.proposals.get(p.id))!)).toEqual([]);
  });

  it("报分管领导: a unit's escalation goes to the leaders in charge of that unit", async () => {
    const { f, p } = await assigned(false);
    const lead = p.lead!;
    const event = {
      eventId: `${p.id}:97`,
      proposalId: p.id,
      seq: 97,
      type: 'Escalated' as const,
      at: '2026-04-20T02:00:00.000Z',
      actor: { role: 'system' as const, sub: 'sweep' },
      data: {
        obligation: 'reply' as const,
        unit: lead,
        deadline: '2026-04-01T15:59:59.999Z',
        step: 5,
        key: false,
        level: 3,
        to: ['unitHead' as const, 'office' as const, 'leaders' as const],
      },
    };
    expect(noticesForEvent(f.state, event, p).map((n) => n.recipients)).toEqual([
      [{ kind: 'unitHead', unit: lead }, { kind: 'office' }, { kind: 'leaders', unit: lead }],
    ]);
  });

  it('an escalation of an obligation the office owes names the office once', async () => {
    const { f, p } = await assigned(false);
    const event = {
      eventId: `${p.id}:96`,
      proposalId: p.id,
      seq: 96,
      type: 'Escalated' as const,
      at: '2026-04-20T02:00:00.000Z',
      actor: { role: 'system' as const, sub: 'sweep' },
      data: {
        obligation: 'objectionDecision' as const,
        deadline: '2026-04-01T15:59:59.999Z',
        step: 5,
        key: false,
        level: 2,
        to: ['unitHead' as const, 'office' as const, 'leaders' as const],
      },
    };
    expect(noticesForEvent(f.state, event, p).map((n) => n.recipients)).toEqual([[{ kind: 'office' }, { kind: 'leaders' }]]);
  });

  it('a rejection without a reason: no 理由 block, no "undefined"', async () => {
    const { f, p } = await assigned(false);
    const event = {
      eventId: `${p.id}:99`,
      proposalId: p.id,
      seq: 99,
      type: 'ProposalRejected' as const,
      at: '2026-03-02T02:00:00.000Z',
      actor: office,
      data: { reason: ' ' },
    };
    const notices = noticesForEvent(f.state, event, { ...p, status: 'rejected' });
    expect(notices).toHaveLength(proposers.length);
    for (const n of notices) {
      expect(n.vars).not.toHaveProperty('reason');
      const mail = renderNotice(n, city);
      expect(mail.text).toContain('不予立案');
      expect(mail.text + mail.html).not.toMatch(/理由|undefined/);
    }
  });
});

function chinese(d: string) {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}
