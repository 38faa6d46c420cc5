/**
 * The reactor reads a proposal only for events newer than the state it has seen: the registration
 * and assignment it wrote itself (stored in the same transaction as their events) need no read, and
 * their notices are the ones the stored proposal gives.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';
import { commit } from '#domain/commit.ts';
import { fakeState } from '../fakes/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const member = { role: 'member' as const, sub: 'm-1' };
const input = {
  title: '关于发展夜市经济促进消费的建议',
  body: '建议规范夜市管理，完善夜市周边停车场。',
  proposers: [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }],
};

function countingGets(f: ReturnType<typeof fakeState>) {
  const reads: string[] = [];
  const get = f.proposals.get.bind(f.proposals);
  f.proposals.get = (id: string) => {
    reads.push(id);
    return get(id);
  };
  return reads;
}

describe('reactor reads', () => {
  it('handles the events of its own registration and assignment without a read, with the notices of the stored proposal', async () => {
    const f = fakeState(config);
    const p = await submitProposal(f.state, input, member);
    const reads = countingGets(f);
    await react(f.state, f.proposals.eventLog[0]!); // ProposalSubmitted: one read, then register + assign
    expect(reads).toHaveLength(1);
    const later = f.proposals.eventLog.slice(1);
    expect(later.map((e) => e.type)).toEqual(expect.arrayContaining(['ProposalRegistered', 'ProposalAssigned']));
    for (const e of later) await react(f.state, e);
    expect(reads).toHaveLength(1);
    const stored = (await f.proposals.get(p.id))!;
    expect(f.notices.sent.map((n) => n.kind)).toContain('assignment');
    expect(f.notices.sent).toEqual(later.flatMap((e) => noticesForEvent(f.state, e, stored)));
  });

  it('sends nothing for a proposal that is not stored', async () => {
    const f = fakeState(config);
    const p = await submitProposal(f.state, input, member);
    f.proposals.proposals.delete(p.id);
    for (const e of [...f.proposals.eventLog]) await react(f.state, e);
    expect(f.notices.sent).toEqual([]);
  });

  it('reads when the event is newer than what it has seen', async () => {
    const f = fakeState(config);
    const p = await submitProposal(f.state, input, member);
    for (const e of [...f.proposals.eventLog]) await react(f.state, e);
    const office = { role: 'office' as const, sub: 'o-1' };
    const before = (await f.proposals.get(p.id))!;
    // A change the reactor did not make (another container): its event is beyond the remembered version.
    const events = [
      {
        type: 'UnitObjected' as const,
        at: new Date().toISOString(),
        actor: office,
        data: { unit: before.lead!, reason: '不属于本单位职责' },
      },
    ];
    await f.proposals.save(commit(before, { next: { ...before, updatedAt: new Date().toISOString() }, events }, f.state.schedule));
    const reads = countingGets(f);
    await react(f.state, f.proposals.eventLog.at(-1)!);
    expect(reads).toEqual([p.id]);
    expect(f.notices.sent.at(-1)?.kind).toBe('objection');
  });
});
