/**
 * 办理结果公开 and the 答复函 through the api handler, on the fakes: the public list and page show only
 * approved replies marked 公开, and no contact data; the letter is read by those who may see the reply,
 * by the holder of the proposer's link, or by anyone when published; anything else is a 404.
 * Proposals are stored as the workflow leaves them (the read side is under test, not the workflow).
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createFeedbackToken } from '#app/feedback-token.ts';
import { proposalSchema, type Proposal, type ProposalInput, type Reply, type ReplyLetter } from '#domain/proposal.ts';
import { createHandler } from '#functions/api/handler.ts';
import { createHandler as createReports } from '#functions/reports/handler.ts';
import { httpFunctionFor } from '#shared/wiring.ts';
import { publicReplyList } from '#functions/reports/public-schemas.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = lambdaContext('api');

/** Contact data that must never be public: the proposers' (from the directory) and the unit's 联系人 and phone. */
const secrets = ['wangli@example.com', 'liqiang@example.com', '13800001111', '13900002222', '0997-4123456', '李明'];
const proposers = [
  { memberId: 'm-1', name: '王丽', email: 'wangli@example.com', mobile: '13800001111', sector: '经济界' },
  { memberId: 'm-2', name: '李强', email: 'liqiang@example.com', mobile: '13900002222' },
];
const letterOf = (disclosure: ReplyLetter['disclosure'], extra: Partial<ReplyLetter> = {}): ReplyLetter => ({
  contactName: '李明',
  contactPhone: '0997-4123456',
  disclosure,
  ...extra,
});

let f: ReturnType<typeof fakeState>;
let seq = 0;
let call: (
  method: string,
  path: string,
  opts?: HttpOptions,
) => Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }>;

beforeEach(() => {
  f = fakeState(config);
  seq = 0;
  const [api, reports] = [createHandler(f.state), createReports(f.state)];
  call = async (method, path, opts) => {
    // Routed as API Gateway does (shared/wiring.ts): the letters and the published results are the reports function's.
    const res = await (httpFunctionFor(method, path.split('?')[0]!) === 'reports' ? reports : api)(httpEvent(method, path, opts), ctx);
    const text = res.body ?? '';
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* a page */
    }
    return { status: res.statusCode ?? 0, body, text, headers: res.headers ?? {} };
  };
});

function reply(n: number, status: Reply['status'], letter?: ReplyLetter, text = `第${n}次答复正文`): Reply {
  return {
    n,
    round: n,
    unit: 'commerce',
    replyClass: n === 1 ? 'B' : 'A',
    text,
    status,
    submittedAt: `2026-05-2${n}T02:00:00Z`,
    signedAt: `2026-05-2${n}T03:00:00Z`,
    countersigns: [],
    ...(status === 'approved' || status === 'returned' ? { decidedAt: `2026-06-0${n}T02:00:00Z` } : {}),
    ...(letter ? { letter } : {}),
  };
}

/** A proposal as stored, lead commerce and co health, with these replies. */
function stored(replies: Reply[], extra: Partial<ProposalInput> = {}): Proposal {
  const year = extra.year ?? 2026;
  seq += 1;
  const p = proposalSchema.parse({
    id: randomUUID(),
    number: `${year}-${String(seq).padStart(3, '0')}`,
    year,
    seq,
    title: `关于第${seq}件事的建议`,
    body: '正文',
    key: false,
    proposers,
    submittedBy: { role: 'member', sub: 'm-1' },
    status: replies.some((r) => r.status === 'approved') ? 'replied' : 'reply_review',
    lead: 'commerce',
    co: ['health'],
    units: {
      commerce: { role: 'lead', assignedAt: '2026-03-01T00:00:00Z', acknowledgedAt: '2026-03-02T00:00:00Z' },
      health: { role: 'co', assignedAt: '2026-03-01T00:00:00Z' },
    },
    matches: [],
    deadlines: {},
    escalationLevel: 0,
    replies,
    version: 1,
    createdAt: '2026-03-01T00:00:00Z',
    updatedAt: '2026-03-01T00:00:00Z',
    ...extra,
  });
  f.proposals.proposals.set(p.id, p);
  return p;
}

/** A year: one proposal re-handled (two public replies), one collective, and every kind that must stay hidden. */
function year2026() {
  const twice = stored([
    reply(1, 'approved', letterOf('public', { docNumber: '商务函〔2026〕3号' })),
    reply(2, 'approved', letterOf('public')),
  ]);
  const onRequest = stored([reply(1, 'approved', letterOf('on_request', { disclosureReason: '涉及个人信息' }), '依申请公开的答复')]);
  const inReview = stored([reply(1, 'review', letterOf('public'), '审核中的答复')]);
  const noLetter = stored([reply(1, 'approved', undefined, '没有答复函的旧答复')]);
  const draft = stored([reply(1, 'returned', letterOf('public'), '退回的答复'), reply(2, 'draft', letterOf('public'), '草稿答复')]);
  const collective = stored([reply(1, 'approved', letterOf('public'), '集体提案的答复')], {
    collective: { kind: 'party', name: '民盟阿拉尔市委员会' },
  });
  const lastYear = stored([reply(1, 'approved', letterOf('public'), '去年的答复')], { year: 2025, seq: 9, number: '2025-009' });
  return { twice, onRequest, inReview, noLetter, draft, collective, lastYear };
}

const hidden = ['依申请公开的答复', '审核中的答复', '没有答复函的旧答复', '退回的答复', '草稿答复', '去年的答复'];

describe('GET /v1/public/replies (no sign-in)', () => {
  it('lists the approved replies marked 公开, newest first per proposal, with no contact data', async () => {
    const { twice, collective } = year2026();
    const res = await call('GET', '/v1/public/replies', { query: { year: '2026' } });
    expect(res.status).toBe(200);
    expect(publicReplyList.safeParse(res.body).success).toBe(true);
    expect(res.body.year).toBe(2026);
    expect(res.body.items).toEqual([
      {
        number: twice.number,
        title: twice.title,
        proposers: ['王丽', '李强'],
        unit: 'commerce',
        unitName: '商务局',
        class: 'A',
        className: '所提问题已经解决或基本解决',
        text: '第2次答复正文',
        repliedAt: '2026-06-02T02:00:00Z',
        repliedOn: '2026-06-02',
        round: 2,
        letterUrl: `https://proposals.alar.example.gov.cn/v1/letter?id=${twice.id}&n=2`,
      },
      {
        number: twice.number,
        title: twice.title,
        proposers: ['王丽', '李强'],
        unit: 'commerce',
        unitName: '商务局',
        class: 'B',
        className: '所提问题正在解决或已列入计划逐步解决',
        text: '第1次答复正文',
        repliedAt: '2026-06-01T02:00:00Z',
        repliedOn: '2026-06-01',
        round: 1,
        docNumber: '商务函〔2026〕3号',
        letterUrl: `https://proposals.alar.example.gov.cn/v1/letter?id=${twice.id}&n=1`,
      },
      expect.objectContaining({ number: collective.number, proposers: ['民盟阿拉尔市委员会'], text: '集体提案的答复' }),
    ]);
    for (const s of [...secrets, ...hidden, 'contact', 'email', 'mobile', '@']) expect(res.text, s).not.toContain(s);
  });

  it('defaults to this year in the city, and lists another year by its proposals', async () => {
    year2026();
    expect((await call('GET', '/v1/public/replies')).body.items).toHaveLength(3);
    const last = await call('GET', '/v1/public/replies', { query: { year: '2025' } });
    expect(last.body.items.map((x: { text: string }) => x.text)).toEqual(['去年的答复']);
    expect((await call('GET', '/v1/public/replies', { query: { year: '2024' } })).body).toEqual({ year: 2024, items: [] });
  });

  it('answers a bad year with a 400 naming year, in Chinese', async () => {
    for (const year of ['abc', '1999', '2026.5', '']) {
      const res = await call('GET', '/v1/public/replies', { query: { year } });
      expect(res.status, year).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'year', message: '年份应为 2000 至 2100 之间的整数' }]);
      expect((await call('GET', '/v1/public/replies/page', { query: { year } })).status, year).toBe(400);
    }
  });

  it('the page shows the same replies as the JSON, readable, and no contact data', async () => {
    year2026();
    const res = await call('GET', '/v1/public/replies/page', { query: { year: '2026' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('阿拉尔市政协提案办理结果公开（2026年）');
    for (const s of ['第1次答复正文', '第2次答复正文', '集体提案的答复', '民盟阿拉尔市委员会', '共3件']) expect(res.text, s).toContain(s);
    for (const s of [...secrets, ...hidden]) expect(res.text, s).not.toContain(s);
    expect(res.text).not.toMatch(/[\w.]+@[\w.]+/);
  });
});

describe('the 答复函', () => {
  const office = { sub: 'office-1', role: 'office' };
  const committee = { sub: 'c-1', role: 'committee' };
  const leader = { sub: 'l-1', role: 'leader' };
  const lead = { sub: 'u-commerce', role: 'unit', unit: 'commerce' };
  const co = { sub: 'u-health', role: 'unit', unit: 'health' };
  const otherUnit = { sub: 'u-education', role: 'unit', unit: 'education' };
  const proposer = { sub: 'm-1', role: 'member', memberId: 'm-1' };
  const otherMember = { sub: 'm-3', role: 'member', memberId: 'm-3' };
  const path = (p: Proposal, n: number) => `/v1/proposals/${p.id}/replies/${n}/letter`;
  const link = (p: Proposal, n: number, token?: string) => ({ query: { id: p.id, n: String(n), ...(token ? { token } : {}) } });
  const token = (p: Proposal, n: number, expiresAt = new Date('2026-12-31T00:00:00Z')) =>
    createFeedbackToken(f.state.feedbackSecret, { proposalId: p.id, memberId: 'm-1', n, expiresAt });

  it('is an A4 page of the reply, private to the reader', async () => {
    const { onRequest } = year2026();
    const res = await call('GET', path(onRequest, 1), { claims: office });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.text).toContain('@page{size:A4');
    expect(res.text).toContain('关于政协第2026-002号提案的答复');
    expect(res.text).toContain('依申请公开的答复');
    expect(res.text).toContain('（公开属性：依申请公开（理由：涉及个人信息））');
    expect(res.text).toContain('联系电话：0997-4123456');
  });

  it('signed in: the office, committee, leaders and the proposal’s units read any reply; a proposer only an approved one', async () => {
    const { inReview, onRequest } = year2026();
    for (const who of [office, committee, leader, lead, co]) {
      expect((await call('GET', path(inReview, 1), { claims: who })).status, who.sub).toBe(200);
      expect((await call('GET', path(onRequest, 1), { claims: who })).status, who.sub).toBe(200);
    }
    expect((await call('GET', path(inReview, 1), { claims: proposer })).status).toBe(404);
    expect((await call('GET', path(onRequest, 1), { claims: proposer })).status).toBe(200);
    for (const who of [otherUnit, otherMember]) {
      expect((await call('GET', path(inReview, 1), { claims: who })).status, who.sub).toBe(404);
      expect((await call('GET', path(onRequest, 1), { claims: who })).status, who.sub).toBe(404);
    }
  });

  it('signed in: anyone reads a published reply; a missing reply or proposal is a 404; a bad id a 400 naming it', async () => {
    const { twice } = year2026();
    expect((await call('GET', path(twice, 2), { claims: otherMember })).status).toBe(200);
    expect((await call('GET', path(twice, 2), { claims: otherUnit })).status).toBe(200);
    expect((await call('GET', path(twice, 3), { claims: office })).status).toBe(404);
    expect((await call('GET', `/v1/proposals/${randomUUID()}/replies/1/letter`, { claims: office })).status).toBe(404);
    const bad = await call('GET', '/v1/proposals/nope/replies/1/letter', { claims: office });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['id']);
    expect((await call('GET', `/v1/proposals/${twice.id}/replies/x/letter`, { claims: office })).body.errors[0].path).toBe('n');
    // Without a token this path is not public.
    expect((await call('GET', path(twice, 2))).status).toBe(401);
  });

  it('by link: anyone reads a published reply; the proposer’s token opens their approved reply; nothing else', async () => {
    const { twice, onRequest, inReview, draft, noLetter } = year2026();
    const ok = async (opts: HttpOptions) => {
      const res = await call('GET', '/v1/letter', opts);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      return res.status;
    };
    expect(await ok(link(twice, 1))).toBe(200);
    expect(await ok(link(twice, 2))).toBe(200);
    // Not published: only with the token of that reply, and only once approved.
    for (const p of [onRequest, noLetter]) {
      expect(await ok(link(p, 1)), p.number).toBe(404);
      expect(await ok(link(p, 1, token(p, 1))), p.number).toBe(200);
    }
    expect(await ok(link(inReview, 1, token(inReview, 1)))).toBe(404);
    expect(await ok(link(draft, 2, token(draft, 2)))).toBe(404);
    expect(await ok(link(draft, 1, token(draft, 1)))).toBe(404);
    // A token of another reply or proposal, a forged one, an expired one: as if there were no token.
    expect(await ok(link(onRequest, 1, token(twice, 1)))).toBe(404);
    expect(await ok(link(onRequest, 1, token(onRequest, 2)))).toBe(404);
    expect(await ok(link(onRequest, 1, `${token(onRequest, 1)}x`))).toBe(404);
    expect(await ok(link(onRequest, 1, token(onRequest, 1, new Date('2026-03-01T00:00:00Z'))))).toBe(404);
    expect(await ok(link(onRequest, 1, 'garbage'))).toBe(404);
    const page = await call('GET', '/v1/letter', link(onRequest, 1));
    expect(page.text).toContain('未找到答复函');
    expect(page.text).not.toContain('依申请公开的答复');
  });

  it('by link: a missing or bad id or n is a 400 naming it', async () => {
    const { twice } = year2026();
    const missing = await call('GET', '/v1/letter', { query: { id: twice.id } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['n']);
    const bad = await call('GET', '/v1/letter', { query: { id: 'x', n: '0' } });
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['id', 'n']);
    expect((await call('GET', '/v1/letter')).status).toBe(400);
  });
});
