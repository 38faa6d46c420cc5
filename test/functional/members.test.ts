/**
 * The member directory (委员名册) and what rests on it, through the api handler on the fakes: the
 * office's list and PUT (Chinese field errors), member tokens only for active members, /v1/me's
 * name, the daily submission limit (429), and the 联名确认 of co-proposers (a notice with the
 * console's link; no rating link and no rating until confirmed; a decline removes them).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import type { CityConfig } from '#domain/city-config.ts';
import type { Proposal } from '#domain/proposal.ts';
import { react } from '#app/react.ts';
import { createHandler } from '#functions/api/handler.ts';
import { noticesForEvent } from '#app/notices-for-event.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';
import { rowToMember } from '../../scripts/member-table.ts';

const alar = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = lambdaContext('api');
const office = { sub: 'office-1', role: 'office' };
const committee = { sub: 'c-1', role: 'committee' };
const m1 = { sub: 'm-1', role: 'member', memberId: 'm-1' };
const m2 = { sub: 'm-2', role: 'member', memberId: 'm-2' };

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;

function setUp(config: CityConfig = alar) {
  f = fakeState(config);
  const api = createHandler(f.state);
  call = async (method, path, opts) => {
    const res = await api(httpEvent(method, path, opts), ctx);
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? '{}') };
  };
}
beforeEach(() => setUp());

async function reactAll() {
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
}

describe('委员名册: GET and PUT /v1/members', () => {
  it('the office creates (201) and replaces (200) a member; the list filters by 界别, 在任 and text', async () => {
    const body = {
      name: '古丽',
      sector: '少数民族界',
      party: '无党派人士',
      mobile: '13800000099',
      email: 'guli@example.com',
      term: '第十五届',
    };
    const created = await call('PUT', '/v1/members/m-100', { claims: office, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ memberId: 'm-100', ...body, active: true });
    const replaced = await call('PUT', '/v1/members/m-100', { claims: committee, body: { ...body, active: false } });
    expect(replaced.status).toBe(200);
    expect((await f.members.get('m-100'))?.active).toBe(false);

    const bySector = await call('GET', '/v1/members', { claims: office, query: { sector: '少数民族界' } });
    expect(bySector.body.items.map((m: any) => m.memberId)).toEqual(['m-100']);
    expect(bySector.body.sectors).toContain('经济界');
    const active = await call('GET', '/v1/members', { claims: office, query: { active: 'true', q: '王' } });
    expect(active.body.items.map((m: any) => m.memberId)).toEqual(['m-001', 'm-1']);
  });

  it('answers invalid fields with 400 in Chinese naming each field', async () => {
    const res = await call('PUT', '/v1/members/m-101', {
      claims: office,
      body: { name: '', sector: '经济界', email: 'not-an-email', mobile: '12345', active: 'yes', extra: 1 },
    });
    expect(res.status).toBe(400);
    const byPath = Object.fromEntries(res.body.errors.map((e: any) => [e.path, e.message]));
    expect(byPath).toMatchObject({
      name: '姓名不能为空',
      email: expect.stringContaining('电子邮箱'),
      mobile: expect.stringContaining('手机号码'),
      active: expect.stringContaining('在任'),
      extra: expect.any(String),
    });
    const badId = await call('PUT', '/v1/members/%E5%90%8D%20x', { claims: office, body: { name: '甲', sector: '经济界' } });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toEqual([{ path: 'memberId', message: expect.stringContaining('委员编号') }]);
    const mismatch = await call('PUT', '/v1/members/m-102', { claims: office, body: { memberId: 'm-103', name: '甲', sector: '经济界' } });
    expect(mismatch.body.errors).toEqual([{ path: 'memberId', message: expect.stringContaining('不一致') }]);
  });

  it('is not for units, leaders or members', async () => {
    const callers: Record<string, string>[] = [m1, { sub: 'u', role: 'unit', unit: 'commerce' }, { sub: 'l', role: 'leader' }];
    for (const claims of callers) {
      expect((await call('GET', '/v1/members', { claims })).status).toBe(403);
      expect((await call('PUT', '/v1/members/m-1', { claims, body: { name: '王丽', sector: '经济界' } })).status).toBe(403);
    }
  });

  it('member names (no contact data) are there for the 提交提案 form', async () => {
    const res = await call('GET', '/v1/member-names', { claims: m1 });
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({ memberId: 'm-2', name: '李强', sector: '教育界' });
    expect(res.body.items.some((m: any) => m.memberId === 'm-old')).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain('@example.com');
  });

  it('reads a spreadsheet row (import) by header name, 在任 是/否', () => {
    const header = ['姓名', '委员编号', '界别', '在任', '电子邮箱', '备注'];
    expect(rowToMember(header, ['王丽', 'm-1', '经济界', '否', 'w@example.com', 'x'], 2)).toEqual({
      memberId: 'm-1',
      body: { name: '王丽', sector: '经济界', email: 'w@example.com', active: false },
    });
    expect(rowToMember(header, ['王丽', '', '经济界', '也许', '', ''], 3)).toEqual({
      errors: [
        { row: 3, field: '委员编号', reason: '委员编号不能为空' },
        { row: 3, field: '在任', reason: '“也许”应为 是 或 否' },
      ],
    });
  });
});

describe('member tokens', () => {
  it('work only for an active member in the directory: 403 with a Chinese reason otherwise', async () => {
    const unknown = await call('GET', '/v1/proposals', { claims: { sub: 'x', role: 'member', memberId: 'm-nobody' } });
    expect(unknown.status).toBe(403);
    expect(unknown.body.detail).toContain('委员名册中没有编号为 m-nobody');
    const inactive = await call('POST', '/v1/proposals', {
      claims: { sub: 'm-old', role: 'member', memberId: 'm-old' },
      body: { title: '标题', body: '正文', proposers: [{ memberId: 'm-old' }] },
    });
    expect(inactive.status).toBe(403);
    expect(inactive.body.detail).toContain('已不在任');
  });

  it('/v1/me shows the member’s name', async () => {
    const me = await call('GET', '/v1/me', { claims: m1 });
    expect(me.body.displayName).toBe('王丽');
  });
});

describe('daily submission limit', () => {
  it('answers 429 in Chinese beyond the city’s limit per member and day; the office is not limited; the next day counts anew', async () => {
    setUp({ ...alar, submissions: { dailyLimit: 2 } });
    const submit = (claims: Record<string, string>) =>
      call('POST', '/v1/proposals', { claims, body: { title: '关于夜市的建议', body: '夜市。', proposers: [{ memberId: 'm-1' }] } });
    expect((await submit(m1)).status).toBe(201);
    expect((await submit(m1)).status).toBe(201);
    const third = await submit(m1);
    expect(third.status).toBe(429);
    expect(third.body.detail).toContain('每位委员每天最多提交 2 件提案');
    expect(f.proposals.proposals.size).toBe(2);
    expect((await submit(office)).status).toBe(201);
    f.clock.set(new Date('2026-03-03T09:00:00+08:00'));
    expect((await submit(m1)).status).toBe(201);
  });
});

describe('联名确认 (co-proposers confirm)', () => {
  async function submitted() {
    const res = await call('POST', '/v1/proposals', {
      claims: m1,
      body: {
        title: '关于发展夜市经济促进消费和就业的建议',
        body: '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。',
        proposers: [{ memberId: 'm-1' }, { memberId: 'm-2' }],
      },
    });
    expect(res.status).toBe(201);
    await reactAll();
    return res.body.id as string;
  }

  it('asks each co-proposer by email with the console link, escaped; the task and the action are theirs', async () => {
    const id = await submitted();
    const asks = f.notices.sent.filter((n) => n.kind === 'cosignRequest');
    expect(asks).toHaveLength(1);
    expect(asks[0]!.recipients).toEqual([{ kind: 'address', email: 'liqiang@example.com', name: '李强' }]);
    expect(asks[0]!.vars).toMatchObject({ proposerName: '李强', initiator: '王丽', consoleUrl: `${alar.email.linkBase}/proposals/${id}` });
    const tasks = await call('GET', '/v1/tasks', { claims: m2 });
    expect(tasks.body.items).toEqual([expect.objectContaining({ proposalId: id, task: 'cosign', name: '联名确认' })]);
    const view = await call('GET', `/v1/proposals/${id}`, { claims: m2 });
    expect(view.body.actions).toContain('cosign');
    expect((await call('GET', `/v1/proposals/${id}`, { claims: m1 })).body.actions).not.toContain('cosign');
  });

  it('an unconfirmed co-proposer gets no rating link and cannot rate; after accepting they do', async () => {
    const id = await submitted();
    const p = (await f.proposals.get(id))!;
    // A reply approved while m-2 has not confirmed: the reply and its link go to m-1 only.
    const approved: Proposal = {
      ...p,
      status: 'replied' as const,
      replies: [
        {
          n: 1,
          round: 1,
          unit: 'commerce',
          replyClass: 'A' as const,
          text: '已解决。',
          countersigns: [],
          status: 'approved' as const,
          submittedAt: p.createdAt,
        },
      ],
    };
    const event = {
      eventId: 'e1',
      proposalId: id,
      seq: 9,
      at: p.createdAt,
      actor: { role: 'office' as const, sub: 'o' },
      type: 'ReplyApproved' as const,
      data: { n: 1, feedbackDeadline: '2026-04-01T23:59:59+08:00' },
    };
    const toWho = (q: Proposal) =>
      noticesForEvent(f.state, event, q).flatMap((n) => n.recipients.map((r) => (r.kind === 'address' ? r.email : r.kind)));
    expect(toWho(approved)).toEqual(['wangli@example.com']);
    f.proposals.proposals.set(id, approved);
    const early = await call('POST', `/v1/proposals/${id}/feedback`, { claims: m2, body: { n: 1, satisfaction: 'dissatisfied' } });
    expect(early.status).toBe(409);

    const accepted = await call('POST', `/v1/proposals/${id}/cosign`, { claims: m2, body: { accept: true } });
    expect(accepted.status).toBe(200);
    expect(accepted.body.proposers[1]).toMatchObject({ memberId: 'm-2', cosign: 'accepted' });
    expect(toWho((await f.proposals.get(id))!)).toEqual(['wangli@example.com', 'liqiang@example.com']);
    expect((await call('POST', `/v1/proposals/${id}/feedback`, { claims: m2, body: { n: 1, satisfaction: 'satisfied' } })).status).toBe(
      200,
    );
    expect(f.proposals.eventLog.some((e) => e.type === 'CosignAnswered' && e.data.accept)).toBe(true);
  });

  it('a decline removes the co-proposer, who then no longer sees the proposal; a repeat accept is refused', async () => {
    const id = await submitted();
    const declined = await call('POST', `/v1/proposals/${id}/cosign`, { claims: m2, body: { accept: false } });
    expect(declined.status).toBe(200);
    expect(declined.body).toEqual({ id, number: expect.any(String), status: expect.any(String) });
    expect((await f.proposals.get(id))!.proposers.map((x) => x.memberId)).toEqual(['m-1']);
    expect((await call('GET', `/v1/proposals/${id}`, { claims: m2 })).status).toBe(404);
    expect((await call('POST', `/v1/proposals/${id}/cosign`, { claims: m2, body: { accept: true } })).status).toBe(404);
    // The first proposer has nothing to confirm.
    expect((await call('POST', `/v1/proposals/${id}/cosign`, { claims: m1, body: { accept: true } })).status).toBe(200);
  });

  it('with cosign.confirm false every proposer counts at once and nobody is asked', async () => {
    setUp({ ...alar, cosign: { confirm: false } });
    const id = await submitted();
    expect((await f.proposals.get(id))!.proposers.every((x) => x.cosign === undefined)).toBe(true);
    expect(f.notices.sent.some((n) => n.kind === 'cosignRequest')).toBe(false);
  });
});
