/**
 * One bad timer must not stop the sweep: poisoned timers (a proposal that does not read, a save the
 * table refuses as too large, an item of the due index that is not a timer) among good ones, on fakes.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { submitProposal } from '#app/submit-proposal.ts';
import { react } from '#app/react.ts';
import { RETRY_AFTER_MS, sweepDueTimers } from '#app/sweep.ts';
import { createHandler as createSweep } from '#functions/sweep/handler.ts';
import type { Proposal } from '#domain/proposal.ts';
import { fakeState } from '../fakes/index.ts';
import { lambdaContext, samples } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const cst = (local: string) => new Date(`${local.replace(' ', 'T')}+08:00`);
const member = { role: 'member' as const, sub: 'm-1' };
const proposers = [{ memberId: 'm-1', name: '王委员', email: 'wang@example.com' }];
const titles = ['关于发展夜市经济促进消费的建议', '关于加强婴幼儿托育服务的建议', '关于完善公交线路的建议', '关于医院急救体系建设的建议'];

/** Assigned proposals, one per title, and a store whose `get` and `save` can be poisoned per proposal. */
async function setUp() {
  const f = fakeState(config, cst('2026-03-02 09:00'));
  const ps: Proposal[] = [];
  for (const title of titles) {
    const from = f.proposals.eventLog.length;
    const p = await submitProposal(f.state, { title, body: `${title}。建议加强管理，完善设施，带动就业。`, proposers }, member);
    for (const e of f.proposals.eventLog.slice(from)) await react(f.state, e);
    const stored = await f.proposals.get(p.id);
    if (stored?.status !== 'assigned') throw new Error(`${title}: not assigned`);
    ps.push(stored);
  }
  const unreadable = new Set<string>(); // the proposal item does not parse
  const tooLarge = new Set<string>(); // every save is refused (a proposal at 400 KB)
  const get = f.proposals.get.bind(f.proposals);
  const save = f.proposals.save.bind(f.proposals);
  f.proposals.get = async (id) => {
    if (unreadable.has(id)) throw new Error(`proposal ${id} does not parse`);
    return get(id);
  };
  f.proposals.save = async (c, fired) => {
    if (tooLarge.has(c.proposal.id)) throw new Error('ValidationException: Item size has exceeded the maximum allowed size');
    return save(c, fired);
  };
  return { f, ps, unreadable, tooLarge };
}

const dueOf = async (f: ReturnType<typeof fakeState>, at: Date) => (await f.timers.due(at.toISOString(), 10_000)).timers;
const stepEvents = (f: ReturnType<typeof fakeState>, id: string) =>
  f.proposals.eventLog.filter((e) => e.proposalId === id && (e.type === 'ReminderDue' || e.type === 'Escalated'));

describe('sweep isolation', () => {
  it('fires the good timers, counts, logs and backs off the poisoned ones, and fires them once they are mended', async () => {
    const { f, ps, unreadable, tooLarge } = await setUp();
    const [a, b, c, d] = ps as [Proposal, Proposal, Proposal, Proposal];
    unreadable.add(b.id);
    tooLarge.add(d.id);
    const now = cst('2026-03-05 10:00'); // the acknowledgements' -3wd reminders are due
    f.clock.set(now);
    f.timers.plantUnreadable({ PK: 'P#broken', SK: 'TIMER#acknowledge#x' }, cst('2026-03-01 08:00').toISOString());
    const due = await dueOf(f, now);
    const poisoned = due.filter((t) => t.kind === 'obligation' && (t.proposalId === b.id || t.proposalId === d.id));
    const good = due.filter((t) => !poisoned.includes(t));
    expect(poisoned.length).toBeGreaterThan(1);
    expect(good.length).toBeGreaterThan(1);

    const result = await sweepDueTimers(f.state);
    expect(result.failed).toBe(poisoned.length + 1);
    expect(result.fired + result.deferred + result.removed + result.skipped).toBe(good.length);
    expect(stepEvents(f, a.id).length).toBeGreaterThan(0);
    expect(stepEvents(f, c.id).length).toBeGreaterThan(0);
    expect(stepEvents(f, b.id)).toEqual([]);
    expect(stepEvents(f, d.id)).toEqual([]);
    // Backed off an hour, at the same step: not due again before then.
    const retryAt = new Date(now.getTime() + RETRY_AFTER_MS).toISOString();
    for (const t of poisoned) {
      const stored = t.kind === 'obligation' ? f.timers.items.get(`P#${t.proposalId}/TIMER#${t.obligationId}`) : undefined;
      expect(stored).toMatchObject({ step: t.step, nextAt: retryAt });
    }
    expect([...f.timers.unreadable.values()][0]?.dueKey.startsWith(`${retryAt}#`)).toBe(true);
    expect(await sweepDueTimers(f.state)).toMatchObject({ fired: 0, failed: 0 });

    // An hour later b is mended, d still refused: b's steps fire (once), d fails again, the unreadable item again.
    unreadable.delete(b.id);
    f.clock.set(new Date(now.getTime() + RETRY_AFTER_MS));
    const later = await sweepDueTimers(f.state);
    expect(later.failed).toBe(poisoned.filter((t) => t.kind === 'obligation' && t.proposalId === d.id).length + 1);
    expect(stepEvents(f, b.id).length).toBeGreaterThan(0);
    expect(stepEvents(f, d.id)).toEqual([]);
  });

  it('does not let poisoned timers hold the head of the oldest-first query: the next run reaches the good ones', async () => {
    const { f, unreadable } = await setUp();
    const now = cst('2026-03-05 10:00');
    f.clock.set(now);
    const due = await dueOf(f, now);
    const head = due[0]?.kind === 'obligation' ? due[0].proposalId : '';
    unreadable.add(head); // the proposal of the oldest due timers
    const prefix = due.findIndex((t) => t.kind !== 'obligation' || t.proposalId !== head);
    expect(prefix).toBeGreaterThan(0);
    // A limit that a run spends wholly on the poisoned head.
    const first = await sweepDueTimers(f.state, { limit: prefix });
    expect(first).toMatchObject({ failed: prefix, fired: 0 });
    const second = await sweepDueTimers(f.state, { limit: prefix });
    expect(second.failed).toBe(0);
    expect(second.fired).toBeGreaterThan(0); // the good ones, not the same poisoned head again
  });

  it('the sweep function counts the failed timers (TimersFailed, alarmed) and still answers', async () => {
    const { f, ps, tooLarge } = await setUp();
    tooLarge.add(ps[0]!.id);
    f.clock.set(cst('2026-03-05 10:00'));
    const result = await createSweep(f.state)(samples.schedule(), lambdaContext('sweep'));
    expect(result.failed).toBeGreaterThan(0);
    expect(result.fired).toBeGreaterThan(0);
    expect(f.metrics.flushed.at(-1)?.get('TimersFailed')).toBe(result.failed);
  });
});
