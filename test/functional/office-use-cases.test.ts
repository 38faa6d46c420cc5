/**
 * The use cases behind three routes, without HTTP, on fakes of our ports: 交办 with the city's units
 * only (assignUnits), 延期答复 within replyMax (extendReplyDeadline), and the feedback page a
 * proposer opens from the reply email (feedbackPage).
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { runCommand } from '#app/run-command.ts';
import { assignUnits } from '#app/assign-units.ts';
import { extendReplyDeadline, replyDeadlineLimit } from '#app/extend-reply.ts';
import { feedbackPage } from '#app/feedback-page.ts';
import { createFeedbackToken } from '#app/feedback-token.ts';
import { InvalidInput } from '#app/errors.ts';
import { acknowledge, approveReply, giveFeedback, giveOpinion, recordContact, submitReply, WorkflowConflict } from '#domain/workflow.ts';
import type { Proposal } from '#domain/proposal.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const office = { role: 'office' as const, sub: 'o-1' };
const proposers = [{ memberId: 'm-1', name: '王丽', email: 'wangli@example.com' }];
const unitActor = (unit: string) => ({ role: 'unit' as const, sub: `u-${unit}`, unit });

/** A proposal submitted and assigned by keyword (lead 商务局), as the reactor leaves it. */
async function assigned() {
  const f = fakeState(config, new Date('2026-03-02T09:00:00+08:00'));
  const p = await submitProposal(
    f.state,
    { title: '关于发展夜市经济促进消费的建议', body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查。', proposers },
    { role: 'member', sub: 'm-1' },
  );
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
  const stored = await f.proposals.get(p.id);
  if (stored?.status !== 'assigned' || !stored.lead) throw new Error('not assigned');
  return { f, p: stored, load: async (): Promise<Proposal> => (await f.proposals.get(p.id))! };
}

describe('assignUnits (交办)', () => {
  it('refuses units the city does not have, naming each by its field, before reading the proposal', async () => {
    const { f, p } = await assigned();
    let loaded = false;
    const load = async () => {
      loaded = true;
      return p;
    };
    const err = await assignUnits(f.state, load, office, { lead: 'nope', co: ['commerce', 'ghost'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).errors).toEqual([
      { path: 'lead', message: '没有编号为 nope 的承办单位' },
      { path: 'co[1]', message: '没有编号为 ghost 的承办单位' },
    ]);
    expect(loaded).toBe(false);
    expect((await f.proposals.get(p.id))?.version).toBe(p.version);
  });

  it('changes the units of an assigned proposal', async () => {
    const { f, p, load } = await assigned();
    const other = config.units.find((u) => u.id !== p.lead)!.id;
    const next = await assignUnits(f.state, load, office, { lead: other, co: [], reason: '调整' });
    expect(next.lead).toBe(other);
    expect(f.proposals.eventLog.at(-1)?.type).toBe('AssignmentChanged');
  });
});

describe('extendReplyDeadline (延期答复)', () => {
  it('moves the reply deadline to the end of the working day asked for, within replyMax of the assignment', async () => {
    const { f, p, load } = await assigned();
    const limit = replyDeadlineLimit(f.state, p);
    expect(limit).toBe(f.state.calendar.addDuration(new Date(p.units[p.lead!]!.assignedAt), config.policy.replyMax).at.toISOString());
    const next = await extendReplyDeadline(f.state, load, office, { until: '2026-07-01', reason: '需要调研' });
    expect(next.deadlines.reply).toBe(f.state.calendar.deadlineOn('2026-07-01').toISOString());
    expect(f.proposals.eventLog.at(-1)).toMatchObject({ type: 'ReplyDeadlineExtended', data: { reason: '需要调研' } });
  });

  it('refuses a deadline past replyMax, naming the latest allowed, and changes nothing', async () => {
    const { f, p, load } = await assigned();
    const err = await extendReplyDeadline(f.state, load, office, { until: '2027-03-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowConflict);
    expect((err as Error).message).toContain(replyDeadlineLimit(f.state, p));
    expect((await f.proposals.get(p.id))?.deadlines.reply).toBe(p.deadlines.reply);
  });
});

describe('feedbackPage (满意度测评页)', () => {
  /** An assigned proposal with the lead's first reply. */
  async function replied() {
    const { f, p } = await assigned();
    const lead = p.lead!;
    await runCommand(f.state, p.id, unitActor(lead), (x, c) => acknowledge(x, c, lead));
    for (const co of p.co) await runCommand(f.state, p.id, unitActor(co), (x, c) => giveOpinion(x, c, co, '同意'));
    await runCommand(f.state, p.id, unitActor(lead), (x, c) =>
      recordContact(x, c, { unit: lead, mode: 'phone', at: c.at, note: '电话沟通' }),
    );
    await runCommand(f.state, p.id, unitActor(lead), (x, c) => submitReply(x, c, lead, 'A', '已解决'));
    const token = (n: number) =>
      createFeedbackToken(f.state.feedbackSecret, { proposalId: p.id, memberId: 'm-1', n, expiresAt: new Date('2026-12-31T00:00:00Z') });
    return { f, p, token };
  }

  it('shows the proposal, the replying unit by name and the reply', async () => {
    const { f, p, token } = await replied();
    const page = await feedbackPage(f.state, token(1));
    expect(page).toEqual({
      ok: true,
      city: config.name,
      number: p.number,
      title: p.title,
      unit: config.units.find((u) => u.id === p.lead)!.name,
      replyText: '已解决',
      token: token(1),
    });
  });

  it("shows the proposer's own rating once given", async () => {
    const { f, p, token } = await replied();
    await runCommand(f.state, p.id, office, (x, c) => approveReply(x, c, 1));
    await runCommand(f.state, p.id, { role: 'member', sub: 'm-1' }, (x, c) =>
      giveFeedback(x, c, { n: 1, memberId: 'm-1', satisfaction: 'basically_satisfied' }),
    );
    expect(await feedbackPage(f.state, token(1))).toMatchObject({ ok: true, rated: '基本满意' });
  });

  it('is a bad link for a token that does not verify, and no reply for a reply that does not exist', async () => {
    const { f, token } = await replied();
    expect(await feedbackPage(f.state, 'not-a-token')).toEqual({
      ok: false,
      city: config.name,
      problem: 'badLink',
      reason: '链接无效或已过期',
    });
    expect(await feedbackPage(f.state, token(2))).toEqual({ ok: false, city: config.name, problem: 'noReply', reason: '找不到对应的答复' });
  });
});
