/**
 * A poison stream record (an item that does not parse, a reaction that always throws) among good
 * ones, through the reactor on fakes: it is set aside whole on the stream-poison queue, counted, and
 * the proposal's later records still flow; only when that queue fails too is the record reported.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { keys } from '#adapters/keys.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { createHandler as createReactor } from '#functions/reactor/handler.ts';
import type { DomainEvent } from '#events/domain-events.ts';
import { fakeState } from '../fakes/index.ts';
import { lambdaContext, streamBatch } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const at = new Date('2026-03-02T09:00:00+08:00');
const proposers = [{ memberId: 'm-001', name: '王丽', email: 'wangli@example.com' }];

const item = (e: DomainEvent) => ({ ...keys.event(e.proposalId, e.seq), ...e });

/** A proposal submitted and registered by the reactor (batch 1); its later events (registration, assignment) not yet delivered. */
async function submitted() {
  const f = fakeState(config, at);
  const reactor = createReactor(f.state);
  const p = await submitProposal(
    f.state,
    { title: '关于发展夜市经济促进消费的建议', body: '建议规范夜市管理，完善夜市周边停车场和公交线路。', proposers },
    { role: 'member', sub: 'm-001' },
  );
  const first = await reactor(streamBatch([item(f.proposals.eventLog[0]!)]), lambdaContext('reactor'));
  expect(first.batchItemFailures).toEqual([]);
  const later = f.proposals.eventLog.slice(1).map(item);
  expect(later.map((e) => e.type)).toContain('ProposalAssigned');
  // An event item of the same proposal that does not parse (ProposalAssigned without its data).
  const poison = {
    ...keys.event(p.id, 90),
    eventId: `${p.id}:90`,
    proposalId: p.id,
    seq: 90,
    type: 'ProposalAssigned',
    at: at.toISOString(),
  };
  return { f, p, reactor, later, poison };
}

const assignments = (f: ReturnType<typeof fakeState>) => f.notices.sent.filter((n) => n.kind === 'assignment');

describe('a poison stream record', () => {
  it('is set aside whole (key, proposal id, event type and seq, the item) and the proposal’s later records still flow', async () => {
    const { f, p, reactor, later, poison } = await submitted();
    const out = await reactor(streamBatch([poison, ...later], { firstSeq: 100 }), lambdaContext('reactor'));
    expect(out.batchItemFailures).toEqual([]);
    expect(assignments(f).length).toBeGreaterThan(0); // the assignment after the poison was handled
    expect(f.poison.sent).toHaveLength(1);
    expect(f.poison.sent[0]).toMatchObject({
      table: 'proposals-alar',
      key: keys.event(p.id, 90),
      proposalId: p.id,
      type: 'ProposalAssigned',
      seq: 90,
      sequenceNumber: '100',
      attempts: 1, // it does not parse: not tried again
      error: expect.stringMatching(/^does not parse: .*data/),
      item: poison,
    });
    const counted = f.metrics.flushed.at(-1);
    expect(counted?.get('EventsPoisoned')).toBe(1);
    expect(counted?.get('EventsHandled')).toBe(later.length);
  });

  it('tries a reaction that throws three times, then sets it aside; one that throws once is just handled', async () => {
    const { f, reactor, later } = await submitted();
    const send = f.notices.send.bind(f.notices);
    let failures = 1;
    f.notices.send = async (ns) => {
      if (failures-- > 0) throw new Error('SQS: service unavailable');
      return send(ns);
    };
    expect((await reactor(streamBatch(later, { firstSeq: 100 }), lambdaContext('reactor'))).batchItemFailures).toEqual([]);
    expect(f.poison.sent).toEqual([]);
    expect(assignments(f).length).toBeGreaterThan(0);

    f.notices.send = () => Promise.reject(new Error('SQS: access denied'));
    const assigned = later.find((e) => e.type === 'ProposalAssigned')!;
    expect((await reactor(streamBatch([assigned], { firstSeq: 200 }), lambdaContext('reactor'))).batchItemFailures).toEqual([]);
    expect(f.poison.sent.map((r) => [r.type, r.attempts, r.error])).toEqual([['ProposalAssigned', 3, 'Error: SQS: access denied']]);
  });

  it('is reported when the stream-poison queue fails too: the stream retries it, the other proposals go on', async () => {
    const { f, p, reactor, later, poison } = await submitted();
    const other = await submitProposal(
      f.state,
      { title: '关于加强婴幼儿托育服务的建议', body: '建议增加托育机构，完善补贴。', proposers },
      { role: 'member', sub: 'm-001' },
    );
    const otherSubmitted = f.proposals.eventLog.find((e) => e.proposalId === other.id)!;
    f.poison.failNext = 1;
    const out = await reactor(streamBatch([poison, ...later, item(otherSubmitted)], { firstSeq: 100 }), lambdaContext('reactor'));
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
    expect(f.poison.sent).toEqual([]);
    expect(assignments(f).filter((n) => n.proposalId === p.id)).toEqual([]); // waits behind the poison for the retry
    expect((await f.proposals.get(other.id))?.status).toBe('assigned');
  });
});
