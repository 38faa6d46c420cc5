/**
 * POST /v1/proposals names proposers by 委员编号 only (the old free-text proposers path is closed):
 * names and addresses come from the member directory. A caller cannot inject an address, rate for
 * another member, or set `key`; a repeat, an unknown or an inactive member is named in the 400.
 */
import { describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { createHandler } from '#functions/api/handler.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext } from '../events/index.ts';

const config = loadCityConfigFile('infra/cities/alar.yaml');
const ctx = lambdaContext('api');
const member = { sub: 'm-1', role: 'member', memberId: 'm-1' };

async function submit(proposers: unknown, extra: Record<string, unknown> = {}, claims: Record<string, string> = member) {
  const f = fakeState(config);
  const event = httpEvent('POST', '/v1/proposals', { claims, body: { title: '关于夜市的建议', body: '夜市。', proposers, ...extra } });
  const res = await createHandler(f.state)(event, ctx);
  return { f, status: res.statusCode, body: JSON.parse(res.body ?? '{}') as { id?: string; errors?: { path: string; message: string }[] } };
}

describe('submit: proposers by id', () => {
  it('rejects a memberId named twice with 400 naming the repeat', async () => {
    const res = await submit([{ memberId: 'm-1' }, { memberId: 'm-2' }, { memberId: 'm-1' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'proposers[2].memberId', message: expect.stringContaining('proposers[0]') }]);
  });

  it('takes names, addresses and 界别 from the directory; co-proposers wait for their 联名确认', async () => {
    const res = await submit([{ memberId: 'm-1' }, { memberId: 'm-2' }]);
    expect(res.status).toBe(201);
    const p = (await res.f.proposals.get(res.body.id!))!;
    expect(p.proposers).toEqual([
      { memberId: 'm-1', name: '王丽', email: 'wangli@example.com', sector: '经济界' },
      { memberId: 'm-2', name: '李强', email: 'liqiang@example.com', sector: '教育界', cosign: 'pending' },
    ]);
  });

  it('attack: a proposer name or email in the body is refused, naming the field; nothing is stored', async () => {
    const res = await submit([
      { memberId: 'm-1', email: 'attacker@evil.example' },
      { memberId: 'm-2', name: '李强', email: 'attacker@evil.example', mobile: '13900000000' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.path).sort()).toEqual(
      ['proposers[0].email', 'proposers[1].email', 'proposers[1].mobile', 'proposers[1].name'].sort(),
    );
    expect(res.body.errors?.every((e) => /委员名册/.test(e.message))).toBe(true);
    expect(res.f.proposals.proposals.size).toBe(0);
  });

  it('attack: `key` cannot be set on submission (400 naming key)', async () => {
    const res = await submit([{ memberId: 'm-1' }], { key: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'key', message: expect.stringContaining('重点提案') }]);
  });

  it('refuses an unknown or inactive member, naming proposers[i].memberId in Chinese', async () => {
    const res = await submit([{ memberId: 'm-1' }, { memberId: 'm-nobody' }, { memberId: 'm-old' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'proposers[1].memberId', message: expect.stringContaining('委员名册中没有编号为 m-nobody') },
      { path: 'proposers[2].memberId', message: expect.stringContaining('已不在任') },
    ]);
  });

  it('a member submits as the first proposer only (no one counts without consent)', async () => {
    const res = await submit([{ memberId: 'm-2' }, { memberId: 'm-1' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'proposers[0].memberId', message: expect.stringContaining('第一提案人应为本人') }]);
  });

  it('the office submits on a member’s behalf; a 集体提案 keeps its 界别/党派/专委会 and contact member', async () => {
    const res = await submit(
      [{ memberId: 'm-2' }, { memberId: 'm-3' }],
      { collective: { kind: 'party', name: '民进阿拉尔市委员会' } },
      { sub: 'office-1', role: 'office' },
    );
    expect(res.status).toBe(201);
    const p = (await res.f.proposals.get(res.body.id!))!;
    expect(p.collective).toEqual({ kind: 'party', name: '民进阿拉尔市委员会' });
    expect(p.proposers.map((x) => [x.memberId, x.cosign])).toEqual([
      ['m-2', undefined],
      ['m-3', 'pending'],
    ]);
  });

  it('a collective of an unknown kind is refused in Chinese', async () => {
    const res = await submit([{ memberId: 'm-1' }], { collective: { kind: 'club', name: '某俱乐部' } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'collective.kind', message: expect.stringContaining('集体提案的类型') }]);
  });
});
