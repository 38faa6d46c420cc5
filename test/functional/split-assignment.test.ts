/**
 * 分办 through the api function on fakes (issue 20): the office splits a proposal between two lead
 * units; each answers its own part with its own deadline, each part reaches the proposers as it is
 * approved and is rated on its own; a 不满意 re-handles that part only; the proposal is answered (and
 * its feedback period starts) when every part is, and closes when every part is rated. Each part
 * counts for its own unit in the statistics; a followed-up class gives that part its own follow-up
 * and 二次答复.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { react } from '#app/react.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const alar = loadCityConfigFile('infra/cities/alar.yaml');
const office = { sub: 'office-1', role: 'office' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
const DAY = 86_400_000;
const [A, B] = ['commerce', 'transport'];

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;
let reacted = 0;
beforeEach(() => {
  f = fakeState({ ...alar, cosign: { confirm: false } });
  reacted = 0;
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    const fn = httpFunctionFor(method, path.split('?')[0]!) === 'reports' ? reports : api;
    const res = await fn(httpEvent(method, path, opts), lambdaContext('api'));
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? 'null') };
  };
});
async function reactAll() {
  for (; reacted < f.proposals.eventLog.length; reacted++) await react(f.state, f.proposals.eventLog[reacted]!);
}
async function ok(r: Promise<{ status: number; body: any }>, status = 200) {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
const sentSince = (from: number) => f.notices.sent.slice(from);

/** A proposal the office split between A and B (both signed for it). */
async function split() {
  const { id } = await ok(
    call('POST', '/v1/proposals', {
      claims: member,
      body: { title: '关于夜市经济与公交接驳的建议', body: '夜市管理，促进消费，公交线路，停车场。', proposers: [{ memberId: 'm-1' }] },
    }),
    201,
  );
  await reactAll();
  const mark = f.notices.sent.length;
  const assigned = await ok(
    call('POST', `/v1/proposals/${id}/assignment`, { claims: office, body: { lead: A, leads: [B], co: [], reason: '分两部分办理' } }),
  );
  await reactAll();
  for (const u of [A, B]) await ok(call('POST', `/v1/proposals/${id}/units/${u}/acknowledge`, { claims: unit(u) }));
  return { id, assigned, notices: sentSince(mark) };
}
const reply = (id: string, u: string, cls = 'A', text = `${u} 的答复。`) =>
  ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit(u), body: { class: cls, text } }));
const approve = (id: string, n: number) => ok(call('POST', `/v1/proposals/${id}/replies/${n}/approve`, { claims: office, body: {} }));
const rate = (id: string, n: number, satisfaction: string) =>
  ok(call('POST', `/v1/proposals/${id}/feedback`, { claims: member, body: { n, satisfaction } }));

describe('分办: several lead units, each answering its own part', () => {
  it('gives each lead unit its own deadlines and tells a unit it now leads a part; a bad unit is named by its field', async () => {
    const { id, assigned, notices } = await split();
    expect(assigned).toMatchObject({ lead: A, leads: [A, B], units: { [A]: { role: 'lead' }, [B]: { role: 'lead' } } });
    expect(assigned.deadlines[`reply#${B}`]).toBe(assigned.deadlines.reply);
    const p = await ok(call('GET', `/v1/proposals/${id}`, { claims: office }));
    expect(p.obligations.map((o: any) => o.id).sort()).toEqual(['contact', `contact#${B}`, 'reply', `reply#${B}`].sort());
    // B (a co-unit by keyword) is told it now leads its own part.
    expect(notices.map((n) => [n.kind, n.recipients, (n.vars as any).role])).toEqual([
      ['reassignment', [{ kind: 'unit', unit: B }], 'lead'],
    ]);
    // B sees its own part as a lead: it may reply.
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: unit(B) }))).actions).toContain('reply');

    const bad = await call('POST', `/v1/proposals/${id}/assignment`, { claims: office, body: { lead: A, leads: [B, 'nowhere'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'leads[1]', message: '没有编号为 nowhere 的承办单位' }]);
  });

  it('answers part by part: each reaches the proposers when approved; the feedback period starts with the last', async () => {
    const { id } = await split();
    const afterA = await reply(id, A);
    expect(afterA.status).toBe('in_progress'); // B's part is still open
    // A's part is with the office; A may not answer it again, B still may.
    expect((await call('POST', `/v1/proposals/${id}/replies`, { claims: unit(A), body: { class: 'A', text: '再答一次' } })).status).toBe(
      409,
    );

    let mark = f.notices.sent.length;
    const approvedA = await approve(id, 1);
    expect(approvedA.status).toBe('in_progress');
    expect(approvedA.deadlines.feedback).toBeUndefined();
    await reactAll();
    const toProposer = sentSince(mark).filter((n) => n.kind === 'replyApproved');
    expect(toProposer).toHaveLength(1);
    expect(toProposer[0]!.vars).toMatchObject({ unit: A, parts: 2 });
    // The member may rate A's part already, and may no longer withdraw the proposal (answered in part).
    const asMember = await ok(call('GET', `/v1/proposals/${id}`, { claims: member }));
    expect(asMember.actions).toContain('rate');
    expect(asMember.actions).not.toContain('withdraw');
    const withdraw = await call('POST', `/v1/proposals/${id}/withdraw`, { claims: member, body: { reason: '不再需要' } });
    expect([withdraw.status, withdraw.body.detail]).toEqual([409, expect.stringContaining('不能撤回')]);

    f.clock.advance(3 * DAY);
    const afterB = await reply(id, B);
    expect(afterB.status).toBe('reply_review');
    mark = f.notices.sent.length;
    const replied = await approve(id, 2);
    expect(replied.status).toBe('replied');
    expect(replied.deadlines.feedback).toEqual(expect.any(String));
    await reactAll();
    const last = sentSince(mark).filter((n) => n.kind === 'replyApproved');
    expect(last.map((n) => n.vars)).toEqual([expect.objectContaining({ unit: B })]);
    expect((last[0]!.vars as any).parts).toBeUndefined();

    // Rated part by part: one rating does not close it, the second does.
    const once = await rate(id, 1, 'satisfied');
    expect(once.status).toBe('replied');
    const closed = await rate(id, 2, 'basically_satisfied');
    expect(closed.status).toBe('closed');
  });

  it('re-handles only the part rated 不满意, and closes once its new answer is rated', async () => {
    const { id } = await split();
    await reply(id, A);
    await reply(id, B);
    await approve(id, 1);
    await approve(id, 2);
    await rate(id, 1, 'satisfied');
    const mark = f.notices.sent.length;
    const rehandling = await rate(id, 2, 'dissatisfied');
    expect(rehandling.status).toBe('rehandling');
    expect(rehandling.obligations.map((o: any) => o.id)).toEqual([`rehandle#${B}`]);
    await reactAll();
    expect(
      sentSince(mark)
        .filter((n) => n.kind === 'rehandling')
        .map((n) => n.recipients[0]),
    ).toEqual([{ kind: 'unit', unit: B }]);
    // A's part stands: A has nothing to answer.
    expect((await call('POST', `/v1/proposals/${id}/replies`, { claims: unit(A), body: { class: 'A', text: '补充' } })).status).toBe(409);

    const again = await reply(id, B, 'A', '重新办理后的答复。');
    expect(again.replies.at(-1)).toMatchObject({ n: 3, unit: B, round: 2 });
    const replied = await approve(id, 3);
    expect(replied.status).toBe('replied');
    expect((await rate(id, 3, 'satisfied')).status).toBe('closed');
  });

  it('lets the office re-handle and extend one part by naming its unit, as long as some part still may', async () => {
    const { id } = await split();
    const extended = await ok(
      call('POST', `/v1/proposals/${id}/extension`, { claims: office, body: { until: '2026-07-31', reason: '需协调资金', unit: B } }),
    );
    expect(extended.deadlines[`reply#${B}`] > extended.deadlines.reply).toBe(true);
    await reply(id, A);
    // A's part left its unit; B's still owes its first reply: 延期 is still offered.
    expect((await ok(call('GET', `/v1/proposals/${id}`, { claims: office }))).actions).toContain('extend');
    await reply(id, B);
    await approve(id, 1);
    await approve(id, 2);
    const ordered = await ok(call('POST', `/v1/proposals/${id}/rehandle`, { claims: office, body: { reason: '答复过于笼统', unit: B } }));
    expect(ordered.obligations.map((o: any) => o.id)).toEqual([`rehandle#${B}`]);
    await reply(id, B, 'A', '补充具体措施。');
    const replied = await approve(id, 3);
    expect(replied.status).toBe('replied');
    // B's part used the city's one re-handling; A's has not: 重新办理 is still offered (for A).
    expect(replied.actions).toContain('rehandle');
    const again = await call('POST', `/v1/proposals/${id}/rehandle`, { claims: office, body: { reason: '再次', unit: B } });
    expect(again.status).toBe(409);
    expect((await ok(call('POST', `/v1/proposals/${id}/rehandle`, { claims: office, body: { reason: '请补充', unit: A } }))).status).toBe(
      'rehandling',
    );
  });

  it('counts each part for its own unit; a followed-up class gives that part its own follow-up and 二次答复', async () => {
    const { id } = await split();
    await reply(id, A, 'A');
    await reply(id, B, 'B', '列入计划逐步解决。');
    await approve(id, 1);
    await approve(id, 2);
    await rate(id, 1, 'satisfied');
    const closed = await rate(id, 2, 'satisfied');
    expect(closed.status).toBe('closed');
    expect(closed.followUp).toBeUndefined();
    expect(closed.partFollowUps[B]).toMatchObject({ open: true, progress: [] });
    expect(closed.obligations.map((o: any) => o.id)).toEqual([`followUp#${B}`]);
    // A's part is not followed up.
    expect((await call('POST', `/v1/proposals/${id}/progress`, { claims: unit(A), body: { text: '无', resolved: true } })).status).toBe(
      409,
    );

    const mark = f.notices.sent.length;
    const done = await ok(
      call('POST', `/v1/proposals/${id}/progress`, { claims: unit(B), body: { text: '线路已开通。', resolved: true } }),
    );
    expect(done.partFollowUps[B]).toMatchObject({ open: false, secondReply: { n: 2, text: '线路已开通。' } });
    await reactAll();
    expect(
      sentSince(mark)
        .filter((n) => n.kind === 'secondReply')
        .map((n) => n.vars),
    ).toEqual([expect.objectContaining({ unit: B, text: '线路已开通。' })]);
    const rated = await ok(
      call('POST', `/v1/proposals/${id}/feedback`, { claims: member, body: { n: 2, satisfaction: 'satisfied', second: true } }),
    );
    expect(rated.feedback.filter((x: any) => x.second)).toEqual([expect.objectContaining({ n: 2, satisfaction: 'satisfied' })]);

    const summary = await ok(call('GET', '/v1/reports/summary', { claims: office, query: { year: '2026' } }));
    const row = (u: string) => summary.byUnit.find((r: any) => r.unit === u);
    expect(row(A)).toMatchObject({ assigned: 1, answered: 1 });
    expect(row(B)).toMatchObject({ assigned: 1, answered: 1 });
    expect(summary).toMatchObject({ replyRate: 1, feedbackRate: 1 });
  });
});
