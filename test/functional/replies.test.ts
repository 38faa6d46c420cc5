/**
 * The reply steps through the api function on fakes (issue 20): 起草 (a draft, edited), 签发 by the
 * unit head (the 文号 numbered per unit without gaps), 会签 by the co-units, the office's review with
 * its own deadline (in 我的待办 with a light, reminded by the sweep), a class correction; who is told
 * at each step; the steps a city leaves out.
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

const alar = loadCityConfigFile('infra/cities/alar.yaml');
const withSteps: CityConfig = { ...alar, cosign: { confirm: false }, replies: { ...alar.replies, signOff: true, countersign: true } };
const office = { sub: 'office-1', role: 'office' };
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
const head = (u: string) => ({ sub: `h-${u}`, role: 'unit', unit: u, unitHead: 'true', name: '李局长' });
const DAY = 86_400_000;
const letter = { contactName: '王五', contactPhone: '0997-1234567', disclosure: 'on_request', disclosureReason: '涉及在建项目' };

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;
let reacted = 0;
function start(config: CityConfig) {
  f = fakeState(config);
  reacted = 0;
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    const fn = httpFunctionFor(method, path.split('?')[0]!) === 'reports' ? reports : api;
    const res = await fn(httpEvent(method, path, opts), lambdaContext('api'));
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? 'null') };
  };
}
async function reactAll() {
  for (; reacted < f.proposals.eventLog.length; reacted++) await react(f.state, f.proposals.eventLog[reacted]!);
}
async function ok(r: Promise<{ status: number; body: any }>, status = 200) {
  const res = await r;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}
/** A proposal handled by its lead, with every co-unit's opinion given. */
async function handling() {
  const { id } = await ok(
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
  const p = (await f.proposals.get(id))!;
  await ok(call('POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, { claims: unit(p.lead!) }));
  for (const co of p.co) await ok(call('POST', `/v1/proposals/${id}/units/${co}/opinion`, { claims: unit(co), body: { text: '同意。' } }));
  return { id, lead: p.lead!, co: p.co };
}
const sentSince = (from: number) => f.notices.sent.slice(from);

describe('with 签发 and 会签', () => {
  beforeEach(() => start(withSteps));

  it('draft -> 签发 (文号) -> 会签 -> the office reviews within its deadline -> sent, class corrected', async () => {
    const { id, lead, co } = await handling();
    expect(co.length).toBeGreaterThan(0);
    const draft = await ok(
      call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'B', text: '初稿。', draft: true, ...letter } }),
    );
    expect(draft.status).toBe('in_progress');
    expect(draft.replies[0]).toMatchObject({ status: 'draft', letter: { disclosure: 'on_request', disclosureReason: '涉及在建项目' } });
    expect(draft.actions).toEqual(expect.arrayContaining(['reply', 'draftReply']));

    let mark = f.notices.sent.length;
    const signing = await ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'B', text: '答复正文。' } }));
    expect(signing.replies).toHaveLength(1);
    expect(signing.replies[0]).toMatchObject({ n: 1, status: 'signing', text: '答复正文。', letter: { contactName: '王五' } });
    expect(signing.actions).not.toContain('signReply'); // not the head
    await reactAll();
    expect(sentSince(mark).map((n) => [n.kind, n.recipients])).toEqual([['replyForSignOff', [{ kind: 'unitHead', unit: lead }]]]);

    // Only the head signs; the head's view offers it, and it is in the head's 我的待办.
    expect((await call('POST', `/v1/proposals/${id}/replies/1/sign`, { claims: unit(lead) })).status).toBe(403);
    const me = await ok(call('GET', '/v1/me', { claims: head(lead) }));
    expect(me).toMatchObject({ identity: { unitHead: true, name: '李局长' }, displayName: expect.stringMatching(/负责人$/) });
    const asHead = await ok(call('GET', `/v1/proposals/${id}`, { claims: head(lead) }));
    expect(asHead.actions).toContain('signReply');
    const tasks = await ok(call('GET', '/v1/tasks', { claims: head(lead) }));
    expect(tasks.items.map((t: any) => t.task)).toContain('signReply');

    f.clock.advance(2 * DAY);
    mark = f.notices.sent.length;
    const signed = await ok(call('POST', `/v1/proposals/${id}/replies/1/sign`, { claims: head(lead) }));
    expect(signed.status).toBe('reply_review');
    expect(signed.replies[0]).toMatchObject({
      status: 'countersign',
      letter: { signer: '李局长', docNumber: expect.stringMatching(/^.+函〔2026〕1号$/) },
    });
    expect(signed.obligations.map((o: any) => o.id)).toEqual(co.map((c) => `countersign#${c}`));
    await reactAll();
    expect(sentSince(mark).map((n) => n.kind)).toEqual(co.map(() => 'replyForCountersign'));

    mark = f.notices.sent.length;
    for (const c of co)
      await ok(call('POST', `/v1/proposals/${id}/replies/1/countersign`, { claims: unit(c), body: { note: '无意见。' } }));
    await reactAll();
    expect(sentSince(mark).map((n) => n.kind)).toEqual(['replyForReview']);
    const inReview = (await f.proposals.get(id))!;
    const reviewBy = inReview.replies[0]!.reviewBy!;
    expect(inReview.deadlines.replyReview).toBe(reviewBy);
    const officeTasks = await ok(call('GET', '/v1/tasks', { claims: office }));
    expect(officeTasks.items).toContainEqual(expect.objectContaining({ proposalId: id, task: 'approveReply', deadline: reviewBy }));

    // The office's review has reminders and escalations of its own.
    // (a few days past it, sweeping as the schedule does: nothing is sent at night or on a day off)
    f.clock.set(new Date(Date.parse(reviewBy)));
    for (let i = 0; i < 24; i++) {
      f.clock.advance(6 * 3_600_000);
      await sweepDueTimers(f.state);
    }
    const late = (await f.proposals.events(id)).filter((e) => e.type === 'Escalated' || e.type === 'ReminderDue');
    expect(late.some((e) => e.data.obligation === 'replyReview')).toBe(true);

    expect((await call('POST', `/v1/proposals/${id}/replies/1/approve`, { claims: office, body: { class: 'A' } })).body.errors).toEqual([
      { path: 'reason', message: expect.stringContaining('理由') },
    ]);
    const approved = await ok(
      call('POST', `/v1/proposals/${id}/replies/1/approve`, { claims: office, body: { class: 'A', reason: '已解决。' } }),
    );
    expect(approved.replies[0]).toMatchObject({ status: 'approved', replyClass: 'A', classCorrection: { from: 'B', reason: '已解决。' } });
  });

  it("numbers a unit's letters in order, without gaps, across its proposals", async () => {
    const a = await handling();
    const b = await handling();
    expect(b.lead).toBe(a.lead);
    for (const p of [b, a]) {
      await ok(call('POST', `/v1/proposals/${p.id}/replies`, { claims: unit(p.lead), body: { class: 'A', text: '答复。' } }));
      await ok(call('POST', `/v1/proposals/${p.id}/replies/1/sign`, { claims: head(p.lead), body: { signer: '张局长' } }));
    }
    const numbers = await Promise.all([b, a].map(async (p) => (await f.proposals.get(p.id))!.replies[0]!.letter!.docNumber));
    expect(numbers.map((n) => n?.match(/〔2026〕(\d+)号/)?.[1])).toEqual(['1', '2']);
  });

  it('bad input names the field in Chinese and changes nothing', async () => {
    const { id, lead } = await handling();
    const before = (await f.proposals.get(id))!.version;
    const bad = await call('POST', `/v1/proposals/${id}/replies`, {
      claims: unit(lead),
      body: { class: 'Z', text: '答复。', disclosure: 'private' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(['disclosureReason']);
    const badClass = await call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'Z', text: '答复。' } });
    expect(badClass.status).toBe(400);
    expect(badClass.body.errors).toEqual([{ path: 'class', message: expect.stringContaining('A、B、C、D') }]);
    expect((await f.proposals.get(id))!.version).toBe(before);
  });
});

describe('without the steps (the default)', () => {
  beforeEach(() => start({ ...alar, cosign: { confirm: false } }));

  it('a reply goes to the office at once, signed and numbered', async () => {
    const { id, lead } = await handling();
    const sent = await ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'A', text: '答复。' } }));
    expect(sent.status).toBe('reply_review');
    expect(sent.replies[0]).toMatchObject({
      status: 'review',
      signedAt: expect.any(String),
      letter: { disclosure: 'public', docNumber: expect.stringContaining('〔2026〕1号') },
    });
  });
});

describe('二次答复', () => {
  beforeEach(() => start({ ...alar, cosign: { confirm: false } }));

  it('a B reply followed by a resolved progress report reaches the proposer as a second reply, which they may rate', async () => {
    const { id, lead } = await handling();
    await ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'B', text: '列入明年计划。' } }));
    await ok(call('POST', `/v1/proposals/${id}/replies/1/approve`, { claims: office }));
    const closed = await ok(
      call('POST', `/v1/proposals/${id}/feedback`, { claims: member, body: { n: 1, satisfaction: 'basically_satisfied' } }),
    );
    expect(closed.status).toBe('closed');
    expect(closed.followUp.open).toBe(true);
    await reactAll();

    const mark = f.notices.sent.length;
    await ok(
      call('POST', `/v1/proposals/${id}/progress`, { claims: unit(lead), body: { text: '项目完工，夜市已开放。', resolved: false } }),
    );
    await reactAll();
    expect(sentSince(mark).filter((n) => n.kind === 'secondReply')).toEqual([]); // not final: no second reply
    await ok(
      call('POST', `/v1/proposals/${id}/progress`, { claims: unit(lead), body: { text: '夜市运营正常，问题已解决。', resolved: true } }),
    );
    await reactAll();
    const second = sentSince(mark).filter((n) => n.kind === 'secondReply');
    expect(second).toEqual([
      expect.objectContaining({
        recipients: [{ kind: 'address', email: expect.any(String), name: expect.any(String) }],
        vars: expect.objectContaining({ text: '夜市运营正常，问题已解决。', unit: lead }),
      }),
    ]);

    const rated = await ok(
      call('POST', `/v1/proposals/${id}/feedback`, { claims: member, body: { n: 1, satisfaction: 'satisfied', second: true } }),
    );
    expect(rated.feedback.filter((x: any) => x.second)).toEqual([expect.objectContaining({ memberId: 'm-1', satisfaction: 'satisfied' })]);
    expect(
      (await call('POST', `/v1/proposals/${id}/feedback`, { claims: member, body: { n: 1, satisfaction: 'satisfied', second: true } }))
        .status,
    ).toBe(409);
  });
});

describe('who was late: the unit by its sign-off, the office by its review', () => {
  beforeEach(() => start({ ...withSteps, replies: { ...withSteps.replies, countersign: false } }));

  it("drafted on day 80, signed on day 85, approved on day 95: the unit on time, the office's review late", async () => {
    const assignedAt = f.clock.now().getTime();
    const { id, lead } = await handling();
    const day = (n: number) => f.clock.set(new Date(assignedAt + n * DAY));
    const deadline = (await f.proposals.get(id))!.deadlines.reply!;
    expect(Date.parse(deadline)).toBeGreaterThan(assignedAt + 85 * DAY); // 3 months

    day(80);
    await ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit(lead), body: { class: 'A', text: '已解决。' } }));
    day(85);
    await ok(call('POST', `/v1/proposals/${id}/replies/1/sign`, { claims: head(lead) }));
    day(95); // the review was due 5 working days after day 85
    await ok(call('POST', `/v1/proposals/${id}/replies/1/approve`, { claims: office }));
    expect(Date.parse(deadline)).toBeLessThan(f.clock.now().getTime()); // approved after the unit's deadline

    const summary = await ok(call('GET', '/v1/reports/summary', { claims: office, query: { year: '2026' } }));
    expect(summary).toMatchObject({ replyDue: 1, onTime: 1, onTimeReplyRate: 1 });
    expect(summary.officeReview).toMatchObject({ reviews: 1, decided: 1, late: 1, lateNumbers: [expect.any(String)] });
    expect(summary.byUnit.find((u: any) => u.unit === lead)).toMatchObject({ onTime: 1 });
  });
});
