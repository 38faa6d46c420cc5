/**
 * The office's powers through the api function on fakes of our ports (issue 19): a unit's extension
 * request decided by the office, reminded and escalated while it waits (the fakes' clock and the
 * sweep); 重新办理 ordered by the office within the city's cap; 督办记录 in the statistics; edits keeping
 * the old value; withdrawal before the reply (and 409 after it); contacts after the reply.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DomainEvent } from '#events/domain-events.ts';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import { react } from '#app/react.ts';
import { sweepDueTimers } from '#app/sweep.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

// 联名确认 off here (each proposer counts at once), as in api-http.test.ts.
const alar = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const office = { sub: 'office-1', role: 'office' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
const HOUR = 3_600_000;

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;

function start(config: CityConfig = alar) {
  f = fakeState(config);
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    const res = await (httpFunctionFor(method, path) === 'reports' ? reports : api)(httpEvent(method, path, opts), lambdaContext('api'));
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? 'null') };
  };
}
beforeEach(() => start());

/** Reacts to every event not reacted to yet (the stream's part), as often as called. */
let reacted = 0;
async function reactAll() {
  for (; reacted < f.proposals.eventLog.length; reacted++) await react(f.state, f.proposals.eventLog[reacted]!);
}
beforeEach(() => {
  reacted = 0;
});

async function ok(r: Promise<{ status: number; body: any }>, status = 200) {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

async function assigned() {
  const res = await ok(
    call('POST', '/v1/proposals', {
      claims: member,
      body: {
        title: '关于发展夜市经济促进消费和就业的建议',
        body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。',
        proposers: [{ memberId: 'm-1' }],
      },
    }),
    201,
  );
  await reactAll();
  const p = (await f.proposals.get(res.id))!;
  expect(p.status).toBe('assigned');
  return p;
}

async function replied() {
  const p = await assigned();
  const lead = p.lead!;
  await ok(call('POST', `/v1/proposals/${p.id}/units/${lead}/acknowledge`, { claims: unit(lead) }));
  for (const co of p.co)
    await ok(call('POST', `/v1/proposals/${p.id}/units/${co}/opinion`, { claims: unit(co), body: { text: '同意。' } }));
  await ok(call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(lead), body: { class: 'B', text: '列入计划。' } }));
  await ok(call('POST', `/v1/proposals/${p.id}/replies/1/approve`, { claims: office }));
  await reactAll();
  return p;
}

const decisionSteps = (log: DomainEvent[]) =>
  log.filter((e) => (e.type === 'ReminderDue' || e.type === 'Escalated') && e.data.obligation === 'extensionDecision');

describe('申请延期: the lead unit asks, the office decides', () => {
  it('is reminded and escalated to the office while it waits, then approved: the reply deadline moves, the unit is told', async () => {
    const p = await assigned();
    const lead = p.lead!;
    const day = (iso: string, plusDays = 0) => f.state.calendar.localDate(new Date(Date.parse(iso) + plusDays * 86_400_000));
    const until = day(p.deadlines.reply!, 30);
    const asked = await ok(
      call('POST', `/v1/proposals/${p.id}/extension-requests`, { claims: unit(lead), body: { until, reason: '需会同有关部门专题调研。' } }),
    );
    expect(asked.actions).not.toContain('requestExtension');
    const decideBy: string = asked.extensionRequests[0].decideBy;
    expect(asked.obligations).toContainEqual(expect.objectContaining({ id: 'extensionDecision', deadline: decideBy }));
    await reactAll();
    expect(f.notices.sent.filter((n) => n.kind === 'extensionRequested')).toEqual([
      expect.objectContaining({ recipients: [{ kind: 'office' }], vars: expect.objectContaining({ unit: lead, until, n: 1 }) }),
    ]);
    // 我的待办 of the office: the request to decide, named 延期审批; the office is offered 审批延期.
    const tasks = (await ok(call('GET', '/v1/tasks', { claims: office }))).items;
    expect(tasks).toContainEqual(
      expect.objectContaining({ proposalId: p.id, task: 'extensionDecision', name: '延期审批', deadline: decideBy }),
    );
    expect((await ok(call('GET', `/v1/proposals/${p.id}`, { claims: office }))).actions).toContain('decideExtension');
    // a second request while one waits: 409
    await ok(call('POST', `/v1/proposals/${p.id}/extension-requests`, { claims: unit(lead), body: { until, reason: '再次申请。' } }), 409);

    // The office does not decide: the sweep reminds it before decideBy and chases it after.
    for (let t = f.clock.now(); t.getTime() <= Date.parse(decideBy) + 3 * 86_400_000; t = new Date(t.getTime() + HOUR)) {
      f.clock.set(t);
      await sweepDueTimers(f.state);
    }
    const steps = decisionSteps(await f.proposals.events(p.id));
    expect(steps.map((e) => e.type)).toEqual(['ReminderDue', 'ReminderDue', 'Escalated']);
    await reactAll();
    const chased = f.notices.sent.filter(
      (n) => (n.kind === 'reminder' || n.kind === 'escalation') && n.vars.obligation === 'extensionDecision',
    );
    expect(chased.map((n) => [n.kind, n.recipients])).toEqual([
      ['reminder', [{ kind: 'office' }]],
      ['reminder', [{ kind: 'office' }]],
      ['escalation', [{ kind: 'office' }]],
    ]);
    expect((await f.proposals.get(p.id))?.escalationLevel).toBe(1);

    // Approved: the reply deadline is the end of the day asked for; the timer goes; the unit is told.
    const decided = await ok(
      call('POST', `/v1/proposals/${p.id}/extension-requests/1/decision`, { claims: office, body: { approve: true, reason: '同意。' } }),
    );
    expect(decided.deadlines.reply).toBe(f.state.calendar.deadlineOn(until).toISOString());
    expect(decided.obligations.some((o: { id: string }) => o.id === 'extensionDecision')).toBe(false);
    expect((await f.timers.ofProposal(p.id)).some((t) => t.obligation === 'extensionDecision')).toBe(false);
    await reactAll();
    expect(f.notices.sent.filter((n) => n.kind === 'extensionDecided')).toEqual([
      expect.objectContaining({ recipients: [{ kind: 'unit', unit: lead }], vars: expect.objectContaining({ approve: true, until }) }),
    ]);
    // The other answer now is a conflict; the same answer again changes nothing.
    const again = (approve: boolean) =>
      call('POST', `/v1/proposals/${p.id}/extension-requests/1/decision`, { claims: office, body: { approve } });
    await ok(again(false), 409);
    await ok(again(true));
    // Nothing more fires for the decided request.
    f.clock.set(new Date(Date.parse(decideBy) + 30 * 86_400_000));
    await sweepDueTimers(f.state);
    expect(decisionSteps(await f.proposals.events(p.id))).toHaveLength(3);
  });

  it('refuses a date past replyMax (409), a co-unit (409), and the office or a member asking (403)', async () => {
    const p = await assigned();
    const body = { until: '2027-06-30', reason: '需要调研。' };
    await ok(call('POST', `/v1/proposals/${p.id}/extension-requests`, { claims: unit(p.lead!), body }), 409);
    await ok(
      call('POST', `/v1/proposals/${p.id}/extension-requests`, { claims: unit(p.co[0]!), body: { ...body, until: '2026-07-01' } }),
      409,
    );
    await ok(call('POST', `/v1/proposals/${p.id}/extension-requests`, { claims: office, body }), 403);
    await ok(call('POST', `/v1/proposals/${p.id}/extension-requests/1/decision`, { claims: unit(p.lead!), body: { approve: true } }), 403);
    await ok(call('POST', `/v1/proposals/${p.id}/extension-requests/1/decision`, { claims: office, body: { approve: true } }), 409);
  });
});

describe('重新办理 ordered by the office', () => {
  it('re-handles the reply sent; the unit is told why; the cap (policy.maxRehandles, default 1) holds', async () => {
    const p = await replied();
    const lead = p.lead!;
    const v = await ok(call('POST', `/v1/proposals/${p.id}/rehandle`, { claims: office, body: { reason: '答复未回应停车问题。' } }));
    expect(v.status).toBe('rehandling');
    await reactAll();
    expect(f.notices.sent.filter((n) => n.kind === 'rehandling')).toEqual([
      expect.objectContaining({
        recipients: [{ kind: 'unit', unit: lead }],
        vars: expect.objectContaining({ orderedBy: 'office', reason: '答复未回应停车问题。' }),
      }),
    ]);
    await ok(call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(lead), body: { class: 'A', text: '二次答复。' } }));
    await ok(call('POST', `/v1/proposals/${p.id}/replies/2/approve`, { claims: office }));
    const capped = await call('POST', `/v1/proposals/${p.id}/rehandle`, { claims: office, body: { reason: '再次。' } });
    expect(capped.status).toBe(409);
    expect(capped.body.currentStatus).toBe('replied');
    expect((await ok(call('GET', `/v1/proposals/${p.id}`, { claims: office }))).actions).not.toContain('rehandle');
  });

  it('a city allowing two re-handlings lets the office order a second one', async () => {
    start({ ...alar, policy: { ...alar.policy, maxRehandles: 2 } });
    const p = await replied();
    const lead = p.lead!;
    await ok(call('POST', `/v1/proposals/${p.id}/rehandle`, { claims: office, body: { reason: '第一次。' } }));
    await ok(call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(lead), body: { class: 'A', text: '二次答复。' } }));
    await ok(call('POST', `/v1/proposals/${p.id}/replies/2/approve`, { claims: office }));
    expect((await ok(call('POST', `/v1/proposals/${p.id}/rehandle`, { claims: office, body: { reason: '第二次。' } }))).status).toBe(
      'rehandling',
    );
  });
});

describe('督办记录, edits, withdrawal, contacts', () => {
  it('counts supervision records in the summary, per unit, and tells the unit', async () => {
    const p = await assigned();
    const lead = p.lead!;
    const at = '2026-03-05T10:00:00+08:00';
    await ok(
      call('POST', `/v1/proposals/${p.id}/supervision`, { claims: office, body: { mode: 'onsite', note: '现场查看夜市选址。', at } }),
    );
    await ok(call('POST', `/v1/proposals/${p.id}/supervision`, { claims: office, body: { mode: 'meeting', note: '召开座谈会。', at } }));
    await ok(call('POST', `/v1/proposals/${p.id}/supervision`, { claims: unit(lead), body: { mode: 'phone', note: 'x', at } }), 403);
    await reactAll();
    expect(f.notices.sent.filter((n) => n.kind === 'supervision').map((n) => n.recipients)).toEqual([
      [{ kind: 'unit', unit: lead }],
      [{ kind: 'unit', unit: lead }],
    ]);
    const summary = await ok(call('GET', '/v1/reports/summary', { claims: office, query: { year: '2026' } }));
    expect(summary.supervisions).toEqual({ total: 2, onsite: 1, phone: 0, meeting: 1 });
    expect(summary.byUnit.find((r: { unit: string }) => r.unit === lead).supervisions).toBe(2);
    const events = (await ok(call('GET', `/v1/proposals/${p.id}/events`, { claims: office }))).items;
    expect(events.filter((e: { type: string }) => e.type === 'SupervisionRecorded')).toHaveLength(2);
  });

  it('an edit keeps the old title in the event; a unit may not edit', async () => {
    const p = await assigned();
    const v = await ok(
      call('POST', `/v1/proposals/${p.id}/edit`, {
        claims: office,
        body: { title: '关于发展夜市经济的建议', category: '经济', reason: '标题过长' },
      }),
    );
    expect(v).toMatchObject({ title: '关于发展夜市经济的建议', category: '经济' });
    const events = (await ok(call('GET', `/v1/proposals/${p.id}/events`, { claims: office }))).items;
    expect(events.find((e: { type: string }) => e.type === 'ProposalEdited').data).toEqual({
      changes: { title: '关于发展夜市经济的建议', category: '经济' },
      previous: { title: p.title },
      reason: '标题过长',
    });
    await ok(call('POST', `/v1/proposals/${p.id}/edit`, { claims: unit(p.lead!), body: { title: 'x', reason: 'y' } }), 403);
    const empty = await call('POST', `/v1/proposals/${p.id}/edit`, { claims: office, body: { reason: '无' } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe('title');
  });

  it('a proposer withdraws before the reply: status withdrawn, timers deleted, the units and the office told', async () => {
    const p = await assigned();
    expect((await f.timers.ofProposal(p.id)).length).toBeGreaterThan(0);
    await ok(call('POST', `/v1/proposals/${p.id}/withdraw`, { claims: office, body: { reason: 'x' } }), 403);
    const v = await ok(call('POST', `/v1/proposals/${p.id}/withdraw`, { claims: member, body: { reason: '问题已解决。' } }));
    expect(v).toMatchObject({ status: 'withdrawn', withdrawal: { memberId: 'm-1', reason: '问题已解决。' }, obligations: [], actions: [] });
    expect(await f.timers.ofProposal(p.id)).toEqual([]);
    await reactAll();
    const told = f.notices.sent.filter((n) => n.kind === 'withdrawn').map((n) => n.recipients[0]);
    expect(told).toEqual([...[p.lead!, ...p.co].map((u) => ({ kind: 'unit', unit: u })), { kind: 'office' }]);
    // Nothing can happen to it any more.
    await ok(call('POST', `/v1/proposals/${p.id}/units/${p.lead}/acknowledge`, { claims: unit(p.lead!) }), 409);
  });

  it('after the reply a withdrawal is refused (409), and the lead still records a contact (回访)', async () => {
    const p = await replied();
    const refused = await call('POST', `/v1/proposals/${p.id}/withdraw`, { claims: member, body: { reason: '不想要了。' } });
    expect(refused.status).toBe(409);
    expect(refused.body.currentStatus).toBe('replied');
    const v = await ok(
      call('POST', `/v1/proposals/${p.id}/contacts`, {
        claims: unit(p.lead!),
        body: { unit: p.lead, mode: 'visit', at: '2026-03-20T10:00:00+08:00', note: '办后回访提案人。' },
      }),
    );
    expect(v.contacts.at(-1)).toMatchObject({ mode: 'visit', note: '办后回访提案人。' });
  });
});
