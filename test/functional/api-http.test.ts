/**
 * The api function's HTTP edges on the fakes: path parameters (malformed escapes, invalid values named
 * by parameter), review without a reason, Idempotency-Key scopes of public routes, 405, and real
 * answers against the response schemas the OpenAPI document is generated from.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createFeedbackToken } from '#app/feedback-token.ts';
import { react } from '#app/react.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import * as S from '#functions/api/schemas.ts';
import { summaryView } from '#functions/reports/schemas.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

// 联名确认 off here (each proposer counts at once); its flow is test/functional/members.test.ts's.
const config = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const ctx = lambdaContext('api');
const office = { sub: 'office-1', role: 'office' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
// By 委员编号 only: names and addresses come from the fake directory (test/fakes/members.ts).
const proposers = [{ memberId: 'm-1' }, { memberId: 'm-2' }];

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any; headers: Record<string, unknown> }>;

beforeEach(() => {
  f = fakeState(config);
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    // As API Gateway routes (shared/wiring.ts): the reports to their function, the rest to the api.
    const res = await (httpFunctionFor(method, path) === 'reports' ? reports : api)(httpEvent(method, path, opts), ctx);
    const text = res.body ?? '';
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* a text document */
    }
    return { status: res.statusCode ?? 0, body, headers: res.headers ?? {} };
  };
});

async function reactAll() {
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
}

/** A proposal submitted through the api and assigned by the reactor (lead commerce, with co-units). */
async function assigned() {
  const res = await call('POST', '/v1/proposals', {
    claims: member,
    body: { title: '关于发展夜市经济促进消费和就业的建议', body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。', proposers },
  });
  expect(res.status).toBe(201);
  await reactAll();
  const p = (await f.proposals.get(res.body.id))!;
  expect(p.status).toBe('assigned');
  return p;
}

/** The same, with reply 1 approved (status replied): the proposers may rate it. */
async function replied() {
  const p = await assigned();
  const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
  const ok = async (r: Promise<{ status: number; body: unknown }>) => expect((await r).status, JSON.stringify((await r).body)).toBe(200);
  await ok(call('POST', `/v1/proposals/${p.id}/units/${p.lead}/acknowledge`, { claims: unit(p.lead!) }));
  for (const co of p.co)
    await ok(call('POST', `/v1/proposals/${p.id}/units/${co}/opinion`, { claims: unit(co), body: { text: '同意。' } }));
  await ok(call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(p.lead!), body: { class: 'A', text: '已解决。' } }));
  await ok(call('POST', `/v1/proposals/${p.id}/replies/1/approve`, { claims: office }));
  return p;
}

describe('what each caller sees of a proposal', () => {
  it('a proposer: approved replies only, their own rating only, no similar proposals; the office sees all', async () => {
    const first = await assigned();
    // Another member's proposal on the same subject: m-1's is similar to it.
    const other = { sub: 'm-3', role: 'member', memberId: 'm-3' };
    const res = await call('POST', '/v1/proposals', {
      claims: other,
      body: {
        title: '关于发展夜市经济促进消费和就业的建议',
        body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。',
        proposers: [{ memberId: 'm-3' }],
      },
    });
    await reactAll();
    expect((await call('GET', `/v1/proposals/${res.body.id}`, { claims: office })).body.similar.map((x: { id: string }) => x.id)).toContain(
      first.id,
    );
    expect((await call('GET', `/v1/proposals/${res.body.id}`, { claims: other })).body.similar).toEqual([]);

    const lead = { sub: `u-${first.lead}`, role: 'unit', unit: first.lead! };
    await call('POST', `/v1/proposals/${first.id}/units/${first.lead}/acknowledge`, { claims: lead });
    for (const co of first.co)
      await call('POST', `/v1/proposals/${first.id}/units/${co}/opinion`, {
        claims: { sub: `u-${co}`, role: 'unit', unit: co },
        body: { text: '同意。' },
      });
    expect((await call('POST', `/v1/proposals/${first.id}/replies`, { claims: lead, body: { class: 'A', text: '内部草稿' } })).status).toBe(
      200,
    );
    expect(
      (await call('POST', `/v1/proposals/${first.id}/replies/1/return`, { claims: office, body: { reason: '内部退回意见' } })).status,
    ).toBe(200);
    const seen = (await call('GET', `/v1/proposals/${first.id}`, { claims: member })).body;
    expect(seen.replies).toEqual([]);
    expect(JSON.stringify(seen)).not.toContain('内部退回意见');
    expect(
      (await call('GET', `/v1/proposals/${first.id}`, { claims: lead })).body.replies.map((r: { status: string }) => r.status),
    ).toEqual(['returned']);

    expect((await call('POST', `/v1/proposals/${first.id}/replies`, { claims: lead, body: { class: 'A', text: '已解决。' } })).status).toBe(
      200,
    );
    expect((await call('POST', `/v1/proposals/${first.id}/replies/2/approve`, { claims: office })).status).toBe(200);
    for (const x of proposers) {
      const token = createFeedbackToken(f.state.feedbackSecret, {
        proposalId: first.id,
        memberId: x.memberId,
        n: 2,
        expiresAt: new Date(Date.now() + 86_400_000 * 400),
      });
      expect(
        (await call('POST', '/v1/feedback', { body: { token, satisfaction: 'satisfied', comment: `${x.memberId}的意见` } })).status,
      ).toBe(200);
    }
    const rated = (await call('GET', `/v1/proposals/${first.id}`, { claims: member })).body;
    expect(rated.replies.map((r: { n: number }) => r.n)).toEqual([2]);
    expect(rated.feedback.map((x: { memberId: string }) => x.memberId)).toEqual(['m-1']);
    expect((await call('GET', `/v1/proposals/${first.id}`, { claims: office })).body.feedback).toHaveLength(2);
    expect(
      (await call('GET', '/v1/proposals', { claims: member })).body.items[0].feedback.map((x: { memberId: string }) => x.memberId),
    ).toEqual(['m-1']);
  });
});

describe('Idempotency-Key of one subject in two roles', () => {
  it("does not replay one role's answer to the other (a city's own OIDC issuer may give one subject two roles)", async () => {
    const body = { title: '关于另一件事的建议', body: '正文。', proposers };
    const asMember = await call('POST', '/v1/proposals', { claims: member, headers: { 'idempotency-key': 'k-1' }, body });
    const asOffice = await call('POST', '/v1/proposals', {
      claims: { sub: member.sub, role: 'office' },
      headers: { 'idempotency-key': 'k-1' },
      body,
    });
    expect([asMember.status, asOffice.status]).toEqual([201, 201]);
    expect(asOffice.headers['idempotent-replayed']).toBeUndefined();
    expect(asOffice.body.id).not.toBe(asMember.body.id);
    const again = await call('POST', '/v1/proposals', {
      claims: { sub: member.sub, role: 'office' },
      headers: { 'idempotency-key': 'k-1' },
      body,
    });
    expect([again.headers['idempotent-replayed'], again.body.id]).toEqual(['true', asOffice.body.id]);
  });
});

describe('path parameters', () => {
  it('answers a malformed percent-escape with 400 naming the parameter', async () => {
    const res = await call('GET', '/v1/proposals/%zz/events', { claims: office });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'id', message: '不是有效的百分号编码' }]);
  });

  it('names the invalid parameter (id, unit, n), not (root)', async () => {
    const p = await assigned();
    expect((await call('GET', '/v1/proposals/not-an-id', { claims: office })).body.errors).toEqual([
      { path: 'id', message: '不是有效的提案编号' },
    ]);
    expect((await call('POST', `/v1/proposals/${p.id}/replies/0/approve`, { claims: office })).body.errors).toEqual([
      { path: 'n', message: '不是有效的答复序号' },
    ]);
    const bad = await call('POST', `/v1/proposals/${p.id}/units/Not_A_Unit/acknowledge`, {
      claims: { sub: 'u', role: 'unit', unit: 'commerce' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'unit', message: '不是有效的承办单位编号' }]);
  });

  it('answers an unknown method with a 405 problem', async () => {
    const res = await call('DELETE', '/v1/proposals', { claims: office });
    expect(res.status).toBe(405);
    expect(res.body).toMatchObject({ status: 405, title: '方法不允许' });
  });
});

describe('review', () => {
  it('rejects without a reason (API.md: reason?) but still needs mergeInto to merge', async () => {
    const res = await call('POST', '/v1/proposals', { claims: member, body: { title: '一点想法', body: '希望大家多多关心。', proposers } });
    const merge = await call('POST', `/v1/proposals/${res.body.id}/review`, { claims: office, body: { decision: 'merge' } });
    expect(merge.body.errors).toEqual([{ path: 'mergeInto', message: '并案（decision 为 merge）时必填' }]);
    const reject = await call('POST', `/v1/proposals/${res.body.id}/review`, { claims: office, body: { decision: 'reject' } });
    expect(reject.status, JSON.stringify(reject.body)).toBe(200);
    expect(reject.body.status).toBe('rejected');
  });
});

describe('Idempotency-Key on a public route', () => {
  it('keeps two proposers who use the same key apart, and still replays a repeat', async () => {
    const p = await replied();
    const rate = (memberId: string, satisfaction: string) => {
      const token = createFeedbackToken(f.state.feedbackSecret, {
        proposalId: p.id,
        memberId,
        n: 1,
        expiresAt: new Date('2026-12-31T00:00:00Z'),
      });
      return call('POST', '/v1/feedback', { body: { token, satisfaction }, headers: { 'idempotency-key': 'rate-1' } });
    };
    expect((await rate('m-1', 'satisfied')).status).toBe(200);
    const second = await rate('m-2', 'dissatisfied');
    expect(second.status).toBe(200);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect((await rate('m-1', 'satisfied')).headers['idempotent-replayed']).toBe('true');
    const feedback = (await f.proposals.get(p.id))!.feedback.map((x) => [x.memberId, x.satisfaction]);
    expect(feedback).toEqual([
      ['m-1', 'satisfied'],
      ['m-2', 'dissatisfied'],
    ]);
  });
});

describe('the middlewares of the api and reports functions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers an unexpected error 500 as problem+json with the request id, and abandons its Idempotency-Key', async () => {
    const p = await assigned();
    vi.spyOn(f.proposals, 'save').mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    const ack = () =>
      call('POST', `/v1/proposals/${p.id}/units/${p.lead}/acknowledge`, {
        claims: { sub: 'u-1', role: 'unit', unit: p.lead! },
        headers: { 'idempotency-key': 'ack-1' },
      });
    const failed = await ack();
    expect(failed.status).toBe(500);
    expect(failed.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(failed.body).toMatchObject({ status: 500, title: '服务器错误', requestId: 'XyZ1aBcDoAMEbQw=' });
    // The key was released: the retry runs (and is not a replay of the 500).
    const retried = await ack();
    expect(retried.status).toBe(200);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('flushes the metrics each invocation counted', async () => {
    await assigned();
    expect(f.metrics.flushed.some((m) => m.get('ProposalsSubmitted') === 1)).toBe(true);
    expect(f.metrics.counts.size).toBe(0);
  });

  it('answers a report error as problem+json too (the reports function)', async () => {
    const res = await call('GET', '/v1/reports/summary', { claims: office, query: { year: 'soon' } });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(res.body.errors[0].path).toBe('year');
  });
});

describe('answers match the documented responses', () => {
  it('submit, list, events, summary and the annual report', async () => {
    const submitted = await call('POST', '/v1/proposals', {
      claims: member,
      body: { title: '关于托育服务的建议', body: '托育机构不足。', proposers },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.headers.location).toBe(`/v1/proposals/${submitted.body.id}`);
    expect(S.submittedView.safeParse(submitted.body).success).toBe(true);
    await reactAll();
    const list = await call('GET', '/v1/proposals', { claims: office });
    expect(S.proposalList.safeParse(list.body).error).toBeUndefined();
    const events = await call('GET', `/v1/proposals/${submitted.body.id}/events`, { claims: office });
    expect(events.body.items.length).toBeGreaterThan(1);
    expect(S.eventList.safeParse(events.body).error).toBeUndefined();
    const summary = await call('GET', '/v1/reports/summary', { claims: office });
    expect(summaryView.safeParse(summary.body).error).toBeUndefined();
    const annual = await call('GET', '/v1/reports/annual', { claims: office, query: { format: 'md' } });
    expect(annual.headers['content-type']).toMatch(/^text\/markdown/);
  });
});

describe("the console's API: who am I, what do I owe, what may I do", () => {
  const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
  const actions = async (id: string, claims: Record<string, string>) => (await call('GET', `/v1/proposals/${id}`, { claims })).body.actions;
  const tasks = async (claims: Record<string, string>) => (await call('GET', '/v1/tasks', { claims })).body.items as any[];

  it('GET /v1/me names the identity, the city, its units and the current year', async () => {
    const me = await call('GET', '/v1/me', { claims: unit('commerce') });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      identity: { role: 'unit', unit: 'commerce' },
      displayName: '商务局',
      city: { id: 'alar', name: '阿拉尔市', timeZone: 'Asia/Shanghai' },
      year: 2026,
    });
    expect(me.body.units).toContainEqual({ id: 'commerce', name: '商务局' });
    expect(S.meView.safeParse(me.body).success).toBe(true);
  });

  it('offers each role exactly the steps the workflow accepts now, and lists them as tasks, most urgent first', async () => {
    const p = await assigned();
    const lead = p.lead!;
    const co = p.co[0]!;
    expect(await actions(p.id, office)).toEqual(['assign', 'supervision', 'edit', 'extend', 'setKey']);
    expect(await actions(p.id, unit(lead))).toEqual(['acknowledge', 'object', 'contact', 'requestExtension']);
    expect(await actions(p.id, unit(co))).toEqual(['acknowledge', 'object', 'opinion', 'contact']);
    expect(await actions(p.id, member)).toEqual(['withdraw']);
    expect((await tasks(unit(lead))).map((t) => t.task)).toEqual(['acknowledge', 'contact', 'reply']);
    expect((await tasks(unit(lead)))[0]).toMatchObject({
      proposalId: p.id,
      name: '签收',
      unit: lead,
      unitName: '商务局',
      trafficLight: 'yellow',
      overdue: false,
    });

    // Signed and met; the co-units' opinions are awaited before the reply (replyWaitsForCoOpinions): a draft may be saved meanwhile.
    await call('POST', `/v1/proposals/${p.id}/units/${lead}/acknowledge`, { claims: unit(lead) });
    expect(await actions(p.id, unit(lead))).toEqual(['contact', 'draftReply', 'requestExtension']);
    for (const c of p.co) await call('POST', `/v1/proposals/${p.id}/units/${c}/opinion`, { claims: unit(c), body: { text: '同意。' } });
    expect(await actions(p.id, unit(lead))).toEqual(['contact', 'reply', 'draftReply', 'requestExtension']);

    // Six weeks on, the 面商 is overdue: red for the unit, and a 督办 task for the office.
    f.clock.advance(42 * 86_400_000);
    const late = await tasks(unit(lead));
    expect(late[0]).toMatchObject({ task: 'contact', trafficLight: 'red', overdue: true });
    expect(await tasks(office)).toContainEqual(
      expect.objectContaining({ task: 'supervise', obligation: 'contact', name: '督办：面商联系', unit: lead }),
    );
    expect((await call('GET', `/v1/proposals/${p.id}`, { claims: office })).body.obligations).toContainEqual(
      expect.objectContaining({ id: 'contact', unit: lead, trafficLight: 'red' }),
    );

    await call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(lead), body: { class: 'A', text: '已解决。' } });
    expect(await actions(p.id, office)).toEqual(['approveReply', 'returnReply', 'supervision', 'edit', 'setKey']);
    // The office's review has its own deadline (policy.replyReview), so it has a light like the units' obligations.
    expect(await tasks(office)).toContainEqual(
      expect.objectContaining({ task: 'approveReply', name: '审核答复', deadline: expect.any(String), overdue: false }),
    );
    await call('POST', `/v1/proposals/${p.id}/replies/1/approve`, { claims: office });
    expect(await actions(p.id, member)).toEqual(['rate']);
    expect(await tasks(member)).toEqual([expect.objectContaining({ task: 'feedback', name: '评价', proposalId: p.id })]);
  });

  it('lets a proposer rate in the console; a second rating, or one for another reply, is refused', async () => {
    const p = await replied();
    const bad = await call('POST', `/v1/proposals/${p.id}/feedback`, { claims: member, body: { n: 1, satisfaction: 'great' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toContainEqual(expect.objectContaining({ path: 'satisfaction' }));
    const wrong = await call('POST', `/v1/proposals/${p.id}/feedback`, { claims: member, body: { n: 2, satisfaction: 'satisfied' } });
    expect(wrong.status).toBe(409);
    const rated = await call('POST', `/v1/proposals/${p.id}/feedback`, {
      claims: member,
      body: { n: 1, satisfaction: 'satisfied', comment: '很好' },
    });
    expect(rated.status).toBe(200);
    expect(rated.body.feedback).toEqual([expect.objectContaining({ memberId: 'm-1', satisfaction: 'satisfied', comment: '很好' })]);
    expect(rated.body.actions).toEqual([]);
    expect(await tasks(member)).toEqual([]);
    expect(
      (await call('POST', `/v1/proposals/${p.id}/feedback`, { claims: member, body: { n: 1, satisfaction: 'satisfied' } })).status,
    ).toBe(409);
    // A unit may not rate; a member who is not a proposer does not see the proposal.
    expect(
      (await call('POST', `/v1/proposals/${p.id}/feedback`, { claims: unit(p.lead!), body: { n: 1, satisfaction: 'satisfied' } })).status,
    ).toBe(403);
    expect(
      (
        await call('POST', `/v1/proposals/${p.id}/feedback`, {
          claims: { sub: 'm-9', role: 'member', memberId: 'm-9' },
          body: { n: 1, satisfaction: 'satisfied' },
        })
      ).status,
    ).toBe(404);
  });

  it('filters the list by text and by key', async () => {
    const p = await assigned();
    const q = async (query: Record<string, string>) =>
      (await call('GET', '/v1/proposals', { claims: office, query })).body.items.map((x: any) => x.id);
    expect(await q({ q: '夜市' })).toEqual([p.id]);
    expect(await q({ q: '李强' })).toEqual([p.id]);
    expect(await q({ q: '养老' })).toEqual([]);
    expect(await q({ key: 'true' })).toEqual([]);
    expect(await q({ key: 'false' })).toEqual([p.id]);
    expect((await call('GET', '/v1/proposals', { claims: office, query: { q: 'x'.repeat(101) } })).body.errors).toContainEqual(
      expect.objectContaining({ path: 'q' }),
    );
  });
});
