/**
 * The submit -> register/assign -> notice -> email path through the use cases, on fakes of our
 * ports (no I/O). The same path on the real emulators is test/integration/pipeline.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { deliverNotice } from '#app/deliver-notice.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const member = { role: 'member' as const, sub: 'm-1' };
const proposers = [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }];

async function runReactor(f: ReturnType<typeof fakeState>) {
  // Feed every event (in order) to the reactor until no new ones appear, like the stream would.
  for (let i = 0; i < f.proposals.eventLog.length; i++) {
    const e = f.proposals.eventLog[i];
    if (e) await react(f.state, e);
  }
}

describe('pipeline on fakes', () => {
  it('assigns a night-market proposal to commerce with co-units and emails each unit once', async () => {
    const f = fakeState(config);
    const p = await submitProposal(
      f.state,
      {
        title: '关于发展夜市经济促进消费的建议',
        body: '建议规范夜市管理，完善夜市周边停车场和公交线路，加强食品安全检查。夜市带动就业。',
        proposers,
      },
      member,
    );
    expect(p.number).toBe('2026-001');
    expect(p.status).toBe('submitted');
    await runReactor(f);
    const stored = await f.proposals.get(p.id);
    expect(stored?.status).toBe('assigned');
    expect(stored?.lead).toBe('commerce');
    expect(stored?.matches[0]?.keywords).toContain('夜市');
    expect(stored?.deadlines.acknowledge).toBeDefined();
    expect(stored?.deadlines.reply).toBeDefined();
    const assignment = f.notices.sent.filter((n) => n.kind === 'assignment');
    expect(assignment.map((n) => n.recipients[0])).toEqual([stored?.lead, ...(stored?.co ?? [])].map((unit) => ({ kind: 'unit', unit })));

    for (const n of f.notices.sent) await deliverNotice(f.state, n);
    const commerceMail = f.mail.outbox.find((m) => m.to.includes('swj@example.gov.cn'));
    expect(f.mail.outbox).toHaveLength(assignment.length);
    expect(commerceMail?.subject).toContain('2026-001');
    expect(commerceMail?.text).toContain('主办');
  });

  it('sends nothing twice when every event and every notice is delivered twice', async () => {
    const f = fakeState(config);
    await submitProposal(f.state, { title: '关于加强婴幼儿托育服务的建议', body: '托育机构不足，婴幼儿照护难。', proposers }, member);
    await runReactor(f);
    const eventsBefore = f.proposals.eventLog.length;
    await runReactor(f); // repeated stream delivery
    expect(f.proposals.eventLog).toHaveLength(eventsBefore);
    for (const n of [...f.notices.sent, ...f.notices.sent]) await deliverNotice(f.state, n);
    const ids = new Set(f.notices.sent.map((n) => n.id));
    expect(f.mail.outbox).toHaveLength(ids.size);
  });

  it('sends the proposal to triage and tells the office when no keyword matches', async () => {
    const f = fakeState(config);
    const p = await submitProposal(f.state, { title: '一点想法', body: '希望大家多多关心。', proposers }, member);
    await runReactor(f);
    expect((await f.proposals.get(p.id))?.status).toBe('triage');
    expect(f.notices.sent.map((n) => [n.kind, n.recipients])).toEqual([['triage', [{ kind: 'office' }]]]);
    await deliverNotice(f.state, f.notices.sent[0]!);
    expect(f.mail.outbox[0]?.to).toEqual(config.email.office);
  });

  it('numbers proposals per year without gaps', async () => {
    const f = fakeState(config);
    const a = await submitProposal(f.state, { title: '甲', body: '甲', proposers }, member);
    const b = await submitProposal(f.state, { title: '乙', body: '乙', proposers }, member);
    f.clock.set(new Date('2027-01-04T10:00:00+08:00'));
    const c = await submitProposal(f.state, { title: '丙', body: '丙', proposers }, member);
    expect([a.number, b.number, c.number]).toEqual(['2026-001', '2026-002', '2027-001']);
  });

  it('releases the claim when sending fails, so the retry sends', async () => {
    const f = fakeState(config);
    await submitProposal(f.state, { title: '关于法律援助的建议', body: '扩大法律援助覆盖面，法律援助进社区。', proposers }, member);
    await runReactor(f);
    const n = f.notices.sent[0]!;
    f.mail.failNext.push(new Error('SES down'));
    await expect(deliverNotice(f.state, n)).rejects.toThrow('SES down');
    expect(await deliverNotice(f.state, n)).toBe('sent');
    expect(await deliverNotice(f.state, n)).toBe('duplicate');
    expect(f.mail.outbox).toHaveLength(1);
  });
});
