/**
 * The committee, key proposals and leaders (issue 19) through the api and reports handlers on fakes:
 * - a city whose config says `review: committee`: the committee reviews (立案 / 不予立案), the office
 *   cannot, and the office returns a proposal outside the government's remit to the committee;
 * - only the committee or the office sets `key`, naming a configured leader (400 naming `leader`);
 * - the leading leader's 批示 reaches every assigned unit (notice, obligation with a timer, 待办) and
 *   each unit's acknowledgement ends its obligation;
 * - a leader in charge of some units sees only those units' proposals (list, detail, tasks, summary),
 *   and the key proposals they lead.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { react } from '#app/react.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const sample = loadCityConfigFile('infra/cities/alar.yaml');
/** The sample city, reviewed by the committee, with a leader in charge of 商务局 only. */
const committeeCity: CityConfig = {
  ...sample,
  review: 'committee',
  email: {
    ...sample.email,
    committee: ['tiwei@example.gov.cn'],
    leaders: [
      { name: '分管副市长', email: 'leader@example.gov.cn', units: ['commerce'] },
      { name: '市政府秘书长', email: 'mishuzhang@example.gov.cn' },
    ],
  },
};

const ctx = lambdaContext('api');
const office = { sub: 'office-1', role: 'office' };
const committee = { sub: 'committee-1', role: 'committee' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const viceMayor = { sub: 'leader-1', role: 'leader', leader: '分管副市长' };
const secretary = { sub: 'leader-2', role: 'leader', leader: '市政府秘书长' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;

function start(config: CityConfig) {
  f = fakeState(config);
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    const res = await (httpFunctionFor(method, path) === 'reports' ? reports : api)(httpEvent(method, path, opts), ctx);
    let body: unknown = res.body ?? '';
    try {
      body = JSON.parse(res.body ?? '');
    } catch {
      /* a text document */
    }
    return { status: res.statusCode ?? 0, body };
  };
}

let reacted = 0;
async function reactAll() {
  for (; reacted < f.proposals.eventLog.length; reacted++) await react(f.state, f.proposals.eventLog[reacted]!);
}

async function ok(r: Promise<{ status: number; body: any }>, status = 200) {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

/** 夜市 -> lead 商务局 (commerce) by keyword, with co-units. */
const nightMarket = { title: '关于发展夜市经济促进消费和就业的建议', body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。' };
/** 托育 -> lead 卫生健康委员会 (health). */
const childcare = { title: '关于加强婴幼儿托育服务的建议', body: '托育机构不足，婴幼儿照护难，建议加强托育服务和医疗保障。' };

async function submit(text: { title: string; body: string }) {
  const res = await ok(call('POST', '/v1/proposals', { claims: member, body: { ...text, proposers: [{ memberId: 'm-1' }] } }), 201);
  await reactAll();
  return res.id as string;
}

beforeEach(() => {
  reacted = 0;
});

describe('review by the committee (config review: committee)', () => {
  beforeEach(() => start(committeeCity));

  it('the committee reviews and registers; the office cannot, and is offered no review', async () => {
    const id = await submit(nightMarket);
    expect((await f.proposals.get(id))?.status).toBe('submitted'); // no automatic 立案
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: office }))).actions).not.toContain('review');
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: committee }))).actions).toEqual(['review', 'setKey']);
    expect((await ok(call('GET', '/v1/tasks', { claims: committee }))).items).toEqual([
      expect.objectContaining({ proposalId: id, task: 'review', name: '审查立案' }),
    ]);
    expect((await ok(call('GET', '/v1/tasks', { claims: office }))).items).toEqual([]);

    const refused = await call('POST', `/v1/proposals/${id}/review`, { claims: office, body: { decision: 'register' } });
    expect(refused.status).toBe(403);
    const registered = await ok(call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'register' } }));
    expect(registered.status).toBe('assigned');
    expect(registered.lead).toBe('commerce');
    expect(f.proposals.eventLog.find((e) => e.proposalId === id && e.type === 'ProposalRegistered')).toMatchObject({
      actor: { role: 'committee' },
      data: { mode: 'committee' },
    });
  });

  it('the committee rejects with a reason; the proposer is told', async () => {
    const id = await submit(childcare);
    const rejected = await ok(
      call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'reject', reason: '属于党委职责' } }),
    );
    expect(rejected.status).toBe('rejected');
    await reactAll();
    expect(f.notices.sent.filter((n) => n.proposalId === id && n.kind === 'reviewResult')).toHaveLength(1);
  });

  it('the office returns a proposal outside its remit to the committee, which reviews it again', async () => {
    const id = await submit(nightMarket);
    await ok(call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'register' } }));
    const assigned = await ok(call('GET', `/v1/proposals/${id}`, { claims: office }));
    expect(assigned.actions).toContain('returnToCommittee');
    const blank = await call('POST', `/v1/proposals/${id}/return-to-committee`, { claims: office, body: { reason: ' ' } });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
    const back = await ok(
      call('POST', `/v1/proposals/${id}/return-to-committee`, { claims: office, body: { reason: '属于法院职责，不属于政府职责范围' } }),
    );
    expect(back).toMatchObject({
      status: 'submitted',
      lead: null,
      co: [],
      committeeReturn: { reason: '属于法院职责，不属于政府职责范围' },
    });
    expect(back.obligations).toEqual([]);
    expect(await f.timers.ofProposal(id)).toEqual([]);
    await reactAll();
    const sent = f.notices.sent.filter((n) => n.proposalId === id);
    expect(sent.filter((n) => n.kind === 'returnedToCommittee')).toEqual([
      expect.objectContaining({
        recipients: [{ kind: 'committee' }],
        vars: expect.objectContaining({ reason: '属于法院职责，不属于政府职责范围' }),
      }),
    ]);
    // Every unit it had loses it.
    expect(sent.filter((n) => n.kind === 'reassignment').map((n) => n.recipients)).toEqual(
      [assigned.lead, ...assigned.co].map((u: string) => [{ kind: 'unit', unit: u }]),
    );
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: committee }))).actions).toContain('review');
    const rejected = await ok(
      call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'reject', reason: '退回' } }),
    );
    expect(rejected.status).toBe('rejected');
    const timeline = await ok(call('GET', `/v1/proposals/${id}/events`, { claims: committee }));
    expect(timeline.items.map((e: { type: string }) => e.type)).toContain('ReturnedToCommittee');
  });
});

describe('review in the sample city (review: auto)', () => {
  beforeEach(() => start(sample));

  it('the committee may not review, the office may not return to the committee', async () => {
    const id = await submit(nightMarket);
    expect(
      (await call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'reject', reason: 'x' } })).status,
    ).toBe(403);
    expect((await call('POST', `/v1/proposals/${id}/return-to-committee`, { claims: office, body: { reason: 'x' } })).status).toBe(409);
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: office }))).actions).not.toContain('returnToCommittee');
  });
});

describe('key proposals (重点提案) and 批示', () => {
  beforeEach(() => start(committeeCity));

  async function assigned() {
    const id = await submit(nightMarket);
    await ok(call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'register' } }));
    await reactAll();
    return id;
  }

  it('only the committee or the office sets key, naming a configured leader', async () => {
    const id = await assigned();
    for (const claims of [member, unit('commerce'), viceMayor])
      expect((await call('POST', `/v1/proposals/${id}/key`, { claims, body: { key: true } })).status).toBe(403);
    const unknown = await call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: true, leader: '市长' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: 'leader' })]);
    expect((await f.proposals.get(id))?.key).toBe(false);

    const key = await ok(call('POST', `/v1/proposals/${id}/key`, { claims: committee, body: { key: true, leader: '市政府秘书长' } }));
    expect(key).toMatchObject({ key: true, leader: '市政府秘书长' });
    const moved = await ok(call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: true, leader: '分管副市长' } }));
    expect(moved.leader).toBe('分管副市长');
    await reactAll();
    const notices = f.notices.sent.filter((n) => n.kind === 'keyProposal');
    expect(notices.map((n) => [n.recipients, n.vars])).toEqual([
      [[{ kind: 'leader', name: '市政府秘书长' }], expect.objectContaining({ change: 'set' })],
      [[{ kind: 'leader', name: '分管副市长' }], expect.objectContaining({ change: 'set' })],
      [[{ kind: 'leader', name: '市政府秘书长' }], expect.objectContaining({ change: 'cleared' })],
    ]);
    const cleared = await ok(call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: false } }));
    expect(cleared.key).toBe(false);
    expect(cleared.leader).toBeUndefined();
    expect(f.proposals.eventLog.filter((e) => e.type === 'KeyProposalSet')).toHaveLength(3);
  });

  it("the leading leader's 批示 reaches every unit, which each acknowledge it; the leader gets the notices", async () => {
    const id = await assigned();
    await ok(call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: true, leader: '分管副市长' } }));
    const p = (await f.proposals.get(id))!;
    const units = [p.lead!, ...p.co];
    expect(units.length).toBeGreaterThan(1);

    // Another leader may not instruct; the leading one is offered 批示.
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: secretary }))).actions).toEqual([]);
    expect((await call('POST', `/v1/proposals/${id}/instructions`, { claims: secretary, body: { text: '请办理' } })).status).toBe(403);
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: viceMayor }))).actions).toEqual(['instruct']);
    const given = await ok(
      call('POST', `/v1/proposals/${id}/instructions`, { claims: viceMayor, body: { text: '请商务局牵头，抓紧研究夜市规划。' } }),
    );
    expect(given.instructions).toEqual([
      expect.objectContaining({
        n: 1,
        leader: '分管副市长',
        text: '请商务局牵头，抓紧研究夜市规划。',
        units: Object.fromEntries(units.map((u) => [u, {}])),
      }),
    ]);
    expect(
      given.obligations.filter((o: { obligation: string }) => o.obligation === 'instruction').map((o: { unit: string }) => o.unit),
    ).toEqual(units);
    const timers = await f.timers.ofProposal(id);
    expect(timers.filter((t) => t.obligation === 'instruction').map((t) => t.unit)).toEqual(units);
    await reactAll();
    const sent = f.notices.sent.filter((n) => n.kind === 'instruction');
    expect(sent.map((n) => n.recipients[0])).toEqual(units.map((u) => ({ kind: 'unit', unit: u })));
    // The leading leader is copied (once) instead of all the leaders.
    expect(sent.flatMap((n) => n.recipients).filter((r) => r.kind === 'leader' || r.kind === 'leaders')).toEqual([
      { kind: 'leader', name: '分管副市长' },
    ]);

    // Each unit: a task, the action, the acknowledgement.
    for (const u of units) {
      expect((await ok(call('GET', '/v1/tasks', { claims: unit(u) }))).items).toContainEqual(
        expect.objectContaining({ proposalId: id, task: 'instruction', name: '批示签收', unit: u }),
      );
      const view = await ok(call('GET', `/v1/proposals/${id}`, { claims: unit(u) }));
      expect(view.actions).toContain('acknowledgeInstruction');
      expect(view.instructions).toHaveLength(1);
    }
    // A unit acknowledges only for itself, an unknown 批示 is a conflict, a member sees no 批示.
    expect((await call('POST', `/v1/proposals/${id}/instructions/1/acknowledge`, { claims: office })).status).toBe(403);
    expect((await call('POST', `/v1/proposals/${id}/instructions/9/acknowledge`, { claims: unit(units[0]!) })).status).toBe(409);
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: member }))).instructions).toEqual([]);
    for (const u of units) await ok(call('POST', `/v1/proposals/${id}/instructions/1/acknowledge`, { claims: unit(u) }));
    const after = await ok(call('GET', `/v1/proposals/${id}`, { claims: office }));
    expect(Object.values(after.instructions[0].units).every((x: any) => typeof x.acknowledgedAt === 'string')).toBe(true);
    expect(after.obligations.filter((o: { obligation: string }) => o.obligation === 'instruction')).toEqual([]);
    expect((await f.timers.ofProposal(id)).filter((t) => t.obligation === 'instruction')).toEqual([]);
    await reactAll();
    expect(f.notices.sent.filter((n) => n.kind === 'instructionAcknowledged').map((n) => n.recipients)).toEqual(
      units.map(() => [{ kind: 'leader', name: '分管副市长' }]),
    );
    const types = (await ok(call('GET', `/v1/proposals/${id}/events`, { claims: viceMayor }))).items.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t.startsWith('Instruction'))).toEqual([
      'InstructionGiven',
      ...units.map(() => 'InstructionAcknowledged'),
    ]);
  });

  it('a 批示 not acknowledged is reminded and escalated like any obligation', async () => {
    const id = await assigned();
    await ok(call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: true, leader: '分管副市长' } }));
    await ok(call('POST', `/v1/proposals/${id}/instructions`, { claims: viceMayor, body: { text: '请抓紧办理。' } }));
    const lead = (await f.proposals.get(id))!.lead!;
    f.clock.set(new Date('2026-03-23T10:00:00+08:00')); // a Monday, working hours
    await sweepDueTimers(f.state);
    await reactAll();
    const about = f.notices.sent.filter((n) => (n.kind === 'reminder' || n.kind === 'escalation') && n.vars.obligation === 'instruction');
    expect(about.map((n) => n.kind)).toContain('escalation');
    expect(about.some((n) => n.recipients.some((r) => r.kind === 'unit' && r.unit === lead))).toBe(true);
  });

  it('a 批示 needs a key proposal led by that leader', async () => {
    const id = await assigned();
    expect((await call('POST', `/v1/proposals/${id}/instructions`, { claims: viceMayor, body: { text: '请办理' } })).status).toBe(403);
    const anonymous = { sub: 'leader-x', role: 'leader' };
    await ok(call('POST', `/v1/proposals/${id}/key`, { claims: office, body: { key: true, leader: '分管副市长' } }));
    expect((await call('POST', `/v1/proposals/${id}/instructions`, { claims: anonymous, body: { text: '请办理' } })).status).toBe(403);
  });
});

describe('a leader in charge of some units', () => {
  beforeEach(() => start(committeeCity));

  it('sees only those units’ proposals (list, detail, tasks, summary), and the key proposals they lead', async () => {
    const commerce = await submit(nightMarket);
    const health = await submit(childcare);
    for (const id of [commerce, health])
      await ok(call('POST', `/v1/proposals/${id}/review`, { claims: committee, body: { decision: 'register' } }));
    const h = (await f.proposals.get(health))!;
    expect([h.lead, ...h.co]).not.toContain('commerce');

    const listed = async (claims: Record<string, string>) =>
      (await ok(call('GET', '/v1/proposals', { claims }))).items.map((p: { id: string }) => p.id);
    expect(await listed(viceMayor)).toEqual([commerce]);
    expect((await listed(secretary)).sort()).toEqual([commerce, health].sort());
    expect((await call('GET', `/v1/proposals/${health}`, { claims: viceMayor })).status).toBe(404);
    expect((await call('GET', `/v1/proposals/${health}/events`, { claims: viceMayor })).status).toBe(404);
    const summary = await ok(call('GET', '/v1/reports/summary', { claims: viceMayor }));
    expect(summary.total).toBe(1);
    expect((await ok(call('GET', '/v1/reports/summary', { claims: committee }))).total).toBe(2);
    const me = await ok(call('GET', '/v1/me', { claims: viceMayor }));
    expect(me).toMatchObject({ displayName: '分管副市长', identity: { role: 'leader', leader: '分管副市长', inCharge: ['commerce'] } });

    // Leading a key proposal of another unit: that one is theirs to see too.
    await ok(call('POST', `/v1/proposals/${health}/key`, { claims: office, body: { key: true, leader: '分管副市长' } }));
    expect((await listed(viceMayor)).sort()).toEqual([commerce, health].sort());
    expect((await ok(call('GET', `/v1/proposals/${health}`, { claims: viceMayor }))).actions).toEqual(['instruct']);
    // Its tasks: overdue units of the key proposals it sees only.
    f.clock.set(new Date('2026-09-01T09:00:00+08:00'));
    const tasks = (await ok(call('GET', '/v1/tasks', { claims: viceMayor }))).items;
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t: { proposalId: string }) => t.proposalId === health)).toBe(true);
  });
});
