/**
 * The handling workflow on the real local stack: a full lifecycle with 不满意 -> 重新办理 -> second
 * reply -> closed; a B-class reply with follow-up; merge; objection and reassignment; the role
 * matrix; concurrent writes; a repeated stream delivery of every event changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appState } from '#adapters/aws-state.ts';
import { allOutbound } from '#adapters/aws-outbound.ts';
import { createHandler as createReactor } from '#functions/reactor/handler.ts';
import { acceptCosigns, byId, startApi, type Api } from './support.ts';
import { lambdaContext, streamBatch } from '../events/index.ts';

let api: Api;
let office: string;
beforeAll(async () => {
  api = await startApi();
  office = await api.token('office');
});
afterAll(async () => {
  await api?.stack.stop();
});

const proposers = [
  { memberId: 'm-li', name: '李建国', email: 'lijianguo@example.com' },
  { memberId: 'm-zhao', name: '赵敏', email: 'zhaomin@example.com' },
];
const tokenFromEmail = (text: string) => /token=([\w.-]+)/.exec(text)?.[1] ?? '';

async function submitted(title: string, body: string, who = proposers) {
  const member = await api.token('member', { memberId: who[0]!.memberId });
  const res = await api.call('POST', '/v1/proposals', { token: member, body: { title, body, proposers: byId(who) } });
  expect(res.status).toBe(201);
  await acceptCosigns(api, res.body.id, who); // 联名确认: the co-proposers confirm
  await api.settle();
  const got = await api.call('GET', `/v1/proposals/${res.body.id}`, { token: office });
  return got.body;
}

async function asUnit(unit: string) {
  return api.token('unit', { unit });
}

async function ok(res: Promise<{ status: number; body: any }>, status = 200) {
  const r = await res;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return r.body;
}

describe('a full lifecycle', () => {
  it('runs from submit to closed through 不满意 and 重新办理', async () => {
    const p = await submitted(
      '关于加强婴幼儿托育服务和托育就业的建议',
      '托育机构不足，婴幼儿照护难，建议加强托育服务，扩大托育从业人员就业和技能培训，就业补贴。',
    );
    expect(p.status).toBe('assigned');
    const lead = await asUnit(p.lead);
    const id = p.id as string;

    // co-units first: their opinions (会签) are awaited before the lead may reply
    await ok(api.call('POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, { token: lead }));
    expect(p.co.length).toBeGreaterThan(0);
    {
      const early = await api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'A', text: '已解决。' } });
      expect(early.status).toBe(409);
      for (const co of p.co as string[]) {
        await ok(
          api.call('POST', `/v1/proposals/${id}/units/${co}/opinion`, {
            token: await asUnit(co),
            body: { text: `${co} 同意主办单位意见。` },
          }),
        );
      }
    }
    await ok(
      api.call('POST', `/v1/proposals/${id}/contacts`, {
        token: lead,
        body: { unit: p.lead, mode: 'face_to_face', at: '2026-03-10T10:00:00+08:00', note: '与提案人当面沟通。' },
      }),
    );
    const r1 = await ok(api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'A', text: '新增托育机构三家。' } }));
    expect(r1.status).toBe('reply_review');

    // office returns it once, then approves the corrected reply
    await ok(api.call('POST', `/v1/proposals/${id}/replies/1/return`, { token: office, body: { reason: '请补充面商情况。' } }));
    await ok(api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'A', text: '已面商，新增托育机构三家。' } }));
    const approved = await ok(api.call('POST', `/v1/proposals/${id}/replies/2/approve`, { token: office }));
    expect(approved.status).toBe('replied');
    await api.settle();

    const mails = await api.emails();
    const toLi = mails.filter((m) => m.to.includes('lijianguo@example.com') && m.subject.includes(p.number) && m.subject.includes('答复'));
    expect(toLi).toHaveLength(1);
    const liToken = tokenFromEmail(toLi[0]!.text);
    const zhaoToken = tokenFromEmail(
      mails.find((m) => m.to.includes('zhaomin@example.com') && m.subject.includes(p.number) && m.subject.includes('提案答复'))!.text,
    );
    expect(liToken).not.toBe(zhaoToken);

    // the link in the email opens the rating page; a forged one says the link is unusable
    const link = /(http\S+\/v1\/feedback\?token=[\w.-]+)/.exec(toLi[0]!.text)?.[1] ?? '';
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(p.title);
    expect(html).toContain('基本满意');
    const bad = await fetch(link.replace(/token=[\w-]+/, 'token=AAAA'));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('链接无效或已过期');

    // forged and reused tokens are rejected
    const forged = await api.call('POST', '/v1/feedback', { body: { token: `${liToken.split('.')[0]}.AAAA`, satisfaction: 'satisfied' } });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].path).toBe('token');
    await ok(api.call('POST', '/v1/feedback', { body: { token: liToken, satisfaction: 'satisfied' } }));
    expect(await (await fetch(link)).text()).toContain('您已评价：满意');
    const reused = await api.call('POST', '/v1/feedback', { body: { token: liToken, satisfaction: 'dissatisfied' } });
    expect(reused.status).toBe(409);

    // 不满意 -> 重新办理 -> second reply -> rated again -> closed
    const dis = await ok(
      api.call('POST', '/v1/feedback', { body: { token: zhaoToken, satisfaction: 'dissatisfied', comment: '托育价格仍然太高。' } }),
    );
    expect(dis.status).toBe('rehandling');
    await ok(api.call('POST', `/v1/proposals/${id}/replies`, { token: lead, body: { class: 'A', text: '出台普惠托育补贴。' } }));
    await ok(api.call('POST', `/v1/proposals/${id}/replies/3/approve`, { token: office }));
    await api.settle();
    const second = (await api.emails()).filter((m) => m.subject.includes(p.number) && m.subject.includes('提案答复'));
    const tokens = second.map((m) => tokenFromEmail(m.text)).filter((t) => t !== liToken && t !== zhaoToken);
    expect(tokens).toHaveLength(2);
    for (const t of tokens) await ok(api.call('POST', '/v1/feedback', { body: { token: t, satisfaction: 'basically_satisfied' } }));
    const closed = await ok(api.call('GET', `/v1/proposals/${id}`, { token: office }));
    expect(closed.status).toBe('closed');
    expect(closed.replies.map((r: { status: string }) => r.status)).toEqual(['returned', 'approved', 'approved']);

    const trail = await ok(api.call('GET', `/v1/proposals/${id}/events`, { token: office }));
    const types = trail.items.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('ProposalSubmitted');
    expect(types).toEqual(expect.arrayContaining(['ReplyReturned', 'RehandlingStarted', 'ProposalClosed']));
    expect(trail.items.map((e: { seq: number }) => e.seq)).toEqual(trail.items.map((_: unknown, i: number) => i + 1));
  });

  it('keeps a follow-up open for a class B reply until progress is resolved (二次答复)', async () => {
    const single = [proposers[0]!];
    const p = await submitted('关于法律援助进社区的建议', '扩大法律援助覆盖面，法律援助进社区，完善公共法律服务。', single);
    const lead = await asUnit(p.lead);
    await ok(api.call('POST', `/v1/proposals/${p.id}/units/${p.lead}/acknowledge`, { token: lead }));
    for (const co of p.co as string[])
      await ok(api.call('POST', `/v1/proposals/${p.id}/units/${co}/opinion`, { token: await asUnit(co), body: { text: '同意。' } }));
    await ok(api.call('POST', `/v1/proposals/${p.id}/replies`, { token: lead, body: { class: 'B', text: '列入明年计划。' } }));
    await ok(api.call('POST', `/v1/proposals/${p.id}/replies/1/approve`, { token: office }));
    await api.settle();
    const mail = (await api.emails()).find((m) => m.subject.includes(p.number) && m.subject.includes('提案答复'))!;
    const closed = await ok(api.call('POST', '/v1/feedback', { body: { token: tokenFromEmail(mail.text), satisfaction: 'satisfied' } }));
    expect(closed.status).toBe('closed');
    const open = await ok(api.call('GET', `/v1/proposals/${p.id}`, { token: office }));
    expect(open.followUp).toEqual({ open: true, progress: [] });
    expect(open.deadlines.followUp).toBeDefined();
    await ok(api.call('POST', `/v1/proposals/${p.id}/progress`, { token: lead, body: { text: '已完成一半。', resolved: false } }));
    const done = await ok(
      api.call('POST', `/v1/proposals/${p.id}/progress`, { token: lead, body: { text: '已全部落实。', resolved: true } }),
    );
    expect(done.followUp.open).toBe(false);
    const again = await api.call('POST', `/v1/proposals/${p.id}/progress`, { token: lead, body: { text: '再报。', resolved: true } });
    expect(again.status).toBe(409);
  });
});

describe('review, merge, objection', () => {
  it('merges a proposal into another: it points to the main one and its proposers are told', async () => {
    const main = await submitted('关于发展夜市经济的建议', '发展夜市，繁荣夜间消费。', [proposers[0]!]);
    const dup = await submitted('关于发展夜市经济的建议', '建议发展夜市，促进夜间消费。', [proposers[1]!]);
    expect(dup.similar.map((s: { id: string }) => s.id)).toContain(main.id);
    // merging requires the office; the reason matters for the notice
    const m = await ok(
      api.call('POST', `/v1/proposals/${dup.id}/review`, {
        token: office,
        body: { decision: 'merge', mergeInto: main.id, reason: '内容相近' },
      }),
    );
    expect(m.status).toBe('merged');
    expect(m.mergedInto).toBe(main.id);
    const mainNow = await ok(api.call('GET', `/v1/proposals/${main.id}`, { token: office }));
    expect(mainNow.mergedFrom).toEqual([dup.id]);
    expect(mainNow.proposers.map((x: { memberId: string }) => x.memberId)).toEqual(['m-li', 'm-zhao']);
    await api.settle();
    const told = (await api.emails()).filter((e) => e.to.includes('zhaomin@example.com') && e.subject.includes('并案'));
    expect(told).toHaveLength(1);
    const illegal = await api.call('POST', `/v1/proposals/${dup.id}/review`, {
      token: office,
      body: { decision: 'reject', reason: '重复' },
    });
    expect(illegal.status).toBe(409);
    expect(illegal.body.currentStatus).toBe('merged');
  });

  it('objection -> office told -> reassignment: the losing unit and the gaining unit are told', async () => {
    const p = await submitted('关于电动汽车充电桩建设的建议', '小区充电桩不足，建议加快充电桩建设。');
    const losing = p.lead as string;
    await ok(
      api.call('POST', `/v1/proposals/${p.id}/units/${losing}/objection`, {
        token: await asUnit(losing),
        body: { reason: '不属于我单位职责。' },
      }),
    );
    const changed = await ok(
      api.call('POST', `/v1/proposals/${p.id}/assignment`, { token: office, body: { lead: 'transport', co: [], reason: '根据申请调整' } }),
    );
    expect(changed.lead).toBe('transport');
    expect(changed.status).toBe('assigned');
    await api.settle();
    const mails = (await api.emails()).filter((m) => m.subject.includes(p.number));
    expect(mails.some((m) => m.subject.includes('申请调整') && m.to.includes('zhengfuban@example.gov.cn'))).toBe(true);
    expect(mails.some((m) => m.subject.includes('交办调整') && m.text.includes('不再'))).toBe(true);
    expect(mails.filter((m) => m.subject.includes('交办通知') && m.text.includes('交通运输局'))).toHaveLength(1);
    const bad = await api.call('POST', `/v1/proposals/${p.id}/assignment`, { token: office, body: { lead: 'nowhere', co: ['transport'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('lead');
  });

  it('manual register, reject with reason, and illegal transitions answer 409 with the status', async () => {
    const p = await submitted('一点想法', '希望多关心。');
    expect(p.status).toBe('triage');
    const rejected = await ok(
      api.call('POST', `/v1/proposals/${p.id}/review`, { token: office, body: { decision: 'reject', reason: '不属于提案范围' } }),
    );
    expect(rejected.status).toBe('rejected');
    const again = await api.call('POST', `/v1/proposals/${p.id}/assignment`, { token: office, body: { lead: 'commerce', co: [] } });
    expect(again.status).toBe(409);
    expect(again.body.currentStatus).toBe('rejected');
    // The reason is optional (API.md: reason?); rejecting twice is not possible.
    const twice = await api.call('POST', `/v1/proposals/${p.id}/review`, { token: office, body: { decision: 'reject' } });
    expect(twice.status).toBe(409);
    expect(twice.body.currentStatus).toBe('rejected');
  });
});

describe('access, concurrency, repeats', () => {
  it('enforces the role matrix: each write for its role, reads scoped', async () => {
    const p = await submitted('关于夜市食品安全的建议', '夜市食品安全检查，夜市管理。', [proposers[0]!]);
    const tokens = {
      office,
      leader: await api.token('leader'),
      committee: await api.token('committee'),
      lead: await asUnit(p.lead),
      other: await asUnit('education'),
      owner: await api.token('member', { memberId: 'm-li' }),
      stranger: await api.token('member', { memberId: 'm-x' }),
    };
    const id = p.id as string;
    const matrix: [string, string, keyof typeof tokens, number, unknown?][] = [
      ['GET', `/v1/proposals/${id}`, 'office', 200],
      ['GET', `/v1/proposals/${id}`, 'leader', 200],
      ['GET', `/v1/proposals/${id}`, 'lead', 200],
      ['GET', `/v1/proposals/${id}`, 'other', 404],
      ['GET', `/v1/proposals/${id}`, 'owner', 200],
      ['GET', `/v1/proposals/${id}`, 'stranger', 404],
      ['GET', `/v1/proposals/${id}/events`, 'office', 200],
      ['GET', `/v1/proposals/${id}/events`, 'leader', 200],
      ['GET', `/v1/proposals/${id}/events`, 'lead', 403],
      ['GET', `/v1/proposals/${id}/events`, 'owner', 403],
      ['POST', `/v1/proposals/${id}/review`, 'leader', 403, { decision: 'register' }],
      ['POST', `/v1/proposals/${id}/review`, 'lead', 403, { decision: 'register' }],
      ['POST', `/v1/proposals/${id}/assignment`, 'owner', 403, { lead: 'commerce', co: [] }],
      ['POST', `/v1/proposals/${id}/assignment`, 'lead', 403, { lead: 'commerce', co: [] }],
      ['POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, 'office', 403],
      ['POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, 'other', 403],
      ['POST', `/v1/proposals/${id}/units/${p.lead}/acknowledge`, 'owner', 403],
      ['POST', `/v1/proposals/${id}/units/education/acknowledge`, 'other', 404],
      ['POST', `/v1/proposals/${id}/replies`, 'office', 403, { class: 'A', text: 'x' }],
      ['POST', `/v1/proposals/${id}/replies/1/approve`, 'lead', 403],
      ['POST', `/v1/proposals/${id}/replies/1/approve`, 'leader', 403],
      ['POST', `/v1/proposals/${id}/progress`, 'office', 403, { text: 'x', resolved: true }],
      // The office's powers (issue 19), the lead's 申请延期 and a proposer's 撤案: each for its role only.
      ['POST', `/v1/proposals/${id}/rehandle`, 'lead', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/rehandle`, 'leader', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/rehandle`, 'owner', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/rehandle`, 'office', 409, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/supervision`, 'lead', 403, { mode: 'phone', note: 'x', at: '2026-03-10T10:00:00+08:00' }],
      ['POST', `/v1/proposals/${id}/supervision`, 'owner', 403, { mode: 'phone', note: 'x', at: '2026-03-10T10:00:00+08:00' }],
      ['POST', `/v1/proposals/${id}/supervision`, 'office', 200, { mode: 'phone', note: '电话督办', at: '2026-03-10T10:00:00+08:00' }],
      ['POST', `/v1/proposals/${id}/extension-requests`, 'office', 403, { until: '2026-08-01', reason: 'x' }],
      ['POST', `/v1/proposals/${id}/extension-requests`, 'leader', 403, { until: '2026-08-01', reason: 'x' }],
      ['POST', `/v1/proposals/${id}/extension-requests`, 'owner', 403, { until: '2026-08-01', reason: 'x' }],
      ['POST', `/v1/proposals/${id}/extension-requests`, 'other', 404, { until: '2026-08-01', reason: 'x' }],
      ['POST', `/v1/proposals/${id}/extension-requests/1/decision`, 'lead', 403, { approve: true }],
      ['POST', `/v1/proposals/${id}/extension-requests/1/decision`, 'owner', 403, { approve: true }],
      ['POST', `/v1/proposals/${id}/extension-requests/1/decision`, 'office', 409, { approve: true }],
      ['POST', `/v1/proposals/${id}/edit`, 'lead', 403, { title: 'x', reason: 'y' }],
      ['POST', `/v1/proposals/${id}/edit`, 'leader', 403, { title: 'x', reason: 'y' }],
      ['POST', `/v1/proposals/${id}/edit`, 'owner', 403, { title: 'x', reason: 'y' }],
      ['POST', `/v1/proposals/${id}/edit`, 'office', 200, { title: '关于夜市食品安全管理的建议', reason: '更正标题' }],
      ['POST', `/v1/proposals/${id}/withdraw`, 'office', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/withdraw`, 'lead', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/withdraw`, 'stranger', 404, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/rehandle`, 'committee', 403, { reason: 'x' }],
      ['POST', `/v1/proposals/${id}/extension-requests/1/decision`, 'committee', 403, { approve: true }],
      ['POST', '/v1/proposals', 'lead', 403, { title: 't', body: 'b', proposers: byId(proposers) }],
      ['POST', '/v1/proposals', 'leader', 403, { title: 't', body: 'b', proposers: byId(proposers) }],
      // The committee sees all; it reviews only where the city config says so (the sample city: auto).
      ['GET', `/v1/proposals/${id}`, 'committee', 200],
      ['GET', `/v1/proposals/${id}/events`, 'committee', 200],
      ['POST', `/v1/proposals/${id}/review`, 'committee', 403, { decision: 'register' }],
      ['POST', `/v1/proposals/${id}/assignment`, 'committee', 403, { lead: 'commerce', co: [] }],
      // 重点提案: the committee and the office only; 批示: a leader; its 签收: a unit; 退回提案委员会: the office.
      ['POST', `/v1/proposals/${id}/key`, 'owner', 403, { key: true }],
      ['POST', `/v1/proposals/${id}/key`, 'lead', 403, { key: true }],
      ['POST', `/v1/proposals/${id}/key`, 'leader', 403, { key: true }],
      ['POST', `/v1/proposals/${id}/key`, 'office', 400, { key: true, leader: '不存在的领导' }],
      ['POST', `/v1/proposals/${id}/instructions`, 'office', 403, { text: '请办理' }],
      ['POST', `/v1/proposals/${id}/instructions`, 'committee', 403, { text: '请办理' }],
      ['POST', `/v1/proposals/${id}/instructions`, 'lead', 403, { text: '请办理' }],
      ['POST', `/v1/proposals/${id}/instructions`, 'leader', 403, { text: '请办理' }],
      ['POST', `/v1/proposals/${id}/instructions/1/acknowledge`, 'office', 403],
      ['POST', `/v1/proposals/${id}/instructions/1/acknowledge`, 'owner', 403],
      ['POST', `/v1/proposals/${id}/return-to-committee`, 'lead', 403, { reason: '不属于政府职责' }],
      ['POST', `/v1/proposals/${id}/return-to-committee`, 'committee', 403, { reason: '不属于政府职责' }],
      ['POST', `/v1/proposals/${id}/return-to-committee`, 'office', 409, { reason: '不属于政府职责' }],
      ['POST', `/v1/proposals/${id}/key`, 'committee', 200, { key: true, leader: '分管副市长' }],
    ];
    for (const [method, path, who, status, body] of matrix) {
      const res = await api.call(method, path, { token: tokens[who], ...(body ? { body } : {}) });
      expect(`${method} ${path} as ${who}: ${res.status}`).toBe(`${method} ${path} as ${who}: ${status}`);
    }
    const list = await ok(api.call('GET', '/v1/proposals?limit=100', { token: tokens.other }));
    expect(list.items.every((x: { lead: string; co: string[] }) => x.lead === 'education' || x.co.includes('education'))).toBe(true);
    const mine = await ok(api.call('GET', '/v1/proposals?limit=100', { token: tokens.stranger }));
    expect(mine.items).toEqual([]);
  });

  it('loses no update under concurrent writers, and answers stale ones 409', async () => {
    const p = await submitted('关于社区养老和医疗服务的建议', '居家养老，社区养老，医疗卫生服务进社区，养老服务补贴，就业。');
    const units = [p.lead, ...p.co] as string[];
    expect(units.length).toBeGreaterThan(1);
    const results = await Promise.all(
      units.map(async (u) => api.call('POST', `/v1/proposals/${p.id}/units/${u}/acknowledge`, { token: await asUnit(u) })),
    );
    expect(results.map((r) => r.status)).toEqual(units.map(() => 200));
    const after = await ok(api.call('GET', `/v1/proposals/${p.id}`, { token: office }));
    for (const u of units) expect(after.units[u].acknowledgedAt).toBeDefined();
    const events = await ok(api.call('GET', `/v1/proposals/${p.id}/events`, { token: office }));
    expect(events.items.filter((e: { type: string }) => e.type === 'UnitAcknowledged')).toHaveLength(units.length);
    // two conflicting office decisions at once: one wins, the other sees the new status
    const both = await Promise.all([
      api.call('POST', `/v1/proposals/${p.id}/assignment`, { token: office, body: { lead: 'civil-affairs', co: [] } }),
      api.call('POST', `/v1/proposals/${p.id}/review`, { token: office, body: { decision: 'reject', reason: 'x' } }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('answers a repeated Idempotency-Key with the first result', async () => {
    const member = await api.token('member', { memberId: 'm-li' });
    const body = { title: '关于公交线路优化的建议', body: '优化公交线路。', proposers: byId([proposers[0]!]) };
    const headers = { 'idempotency-key': `k-${Date.now()}` };
    const [a, b] = [
      await api.call('POST', '/v1/proposals', { token: member, body, headers }),
      await api.call('POST', '/v1/proposals', { token: member, body, headers }),
    ];
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a repeated stream delivery of every event changes nothing and sends nothing', async () => {
    const p = await submitted('关于老旧小区供热管网改造的建议', '老旧小区供热管网老化，供水管网漏损，建议改造。');
    await api.settle();
    const before = await ok(api.call('GET', `/v1/proposals/${p.id}`, { token: office }));
    const mailsBefore = (await api.emails()).length;
    const trail = await ok(api.call('GET', `/v1/proposals/${p.id}/events`, { token: office }));
    const reactor = createReactor(appState(api.stack.settings, { clock: api.stack.clock, outbound: allOutbound }));
    const event = streamBatch(trail.items);
    const ctx = lambdaContext('reactor');
    expect((await reactor(event, ctx)).batchItemFailures).toEqual([]);
    expect((await reactor(event, ctx)).batchItemFailures).toEqual([]);
    await api.settle();
    const after = await ok(api.call('GET', `/v1/proposals/${p.id}`, { token: office }));
    expect(after.version).toBe(before.version);
    expect((await api.emails()).length).toBe(mailsBefore);
  });
});
