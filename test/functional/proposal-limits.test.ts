/**
 * A proposal filled to its caps through the HTTP API on the fakes (shared/domain/limits.ts): 50
 * proposers, the longest body, co-units' opinions at their longest, contacts until they are refused.
 * The refusal is a 413 in Chinese that changes nothing; then the longest reply is still taken, the
 * office approves it, every proposer rates it, the 跟踪落实 report is taken, and the stored proposal
 * stays under DynamoDB's 400 KB throughout. A text past its maximum length is a 400 naming the field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCityConfigFile } from '#adapters/city-config-loader.ts';
import { react } from '#app/react.ts';
import { createHandler } from '#functions/api/handler.ts';
import { ITEM_LIMIT, storedBytes, textMax } from '#domain/limits.ts';
import { fakeState } from '../fakes/index.ts';
import { httpEvent, lambdaContext, type HttpOptions } from '../events/index.ts';

const config = { ...loadCityConfigFile('infra/cities/alar.yaml'), cosign: { confirm: false } };
const ctx = lambdaContext('api');
const office = { sub: 'office-1', role: 'office' };
const unit = (u: string) => ({ sub: `u-${u}`, role: 'unit', unit: u });
const zh = (n: number) => '政'.repeat(n);
const memberIds = ['m-1', 'm-2', ...Array.from({ length: 48 }, (_, i) => `m-cap-${i}`)];

let f: ReturnType<typeof fakeState>;
let call: (method: string, path: string, opts?: HttpOptions) => Promise<{ status: number; body: any }>;

beforeEach(async () => {
  f = fakeState(config);
  for (const [i, id] of memberIds.slice(2).entries())
    await f.members.put({ memberId: id, name: `委员${i}`, sector: '经济界', email: `cap${i}@example.com`, active: true });
  const api = createHandler(f.state);
  call = async (method, path, opts) => {
    const res = await api(httpEvent(method, path, opts), ctx);
    return { status: res.statusCode ?? 0, body: JSON.parse(res.body ?? 'null') };
  };
});

async function reactAll() {
  for (let i = 0; i < f.proposals.eventLog.length; i++) await react(f.state, f.proposals.eventLog[i]!);
}

const ok = async (r: Promise<{ status: number; body: any }>) => {
  const res = await r;
  expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
  return res.body;
};

/** Submitted with 50 proposers and the longest body, assigned to commerce with three co-units whose opinions are at their longest. */
async function bigProposal() {
  const text = '夜市管理，夜市停车场，食品安全，促进消费，扩大就业。';
  const res = await call('POST', '/v1/proposals', {
    claims: { sub: 'm-1', role: 'member', memberId: 'm-1' },
    body: {
      title: '关于发展夜市经济促进消费和就业的建议',
      body: text + zh(20_000 - text.length),
      proposers: memberIds.map((memberId) => ({ memberId })),
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await reactAll();
  const id = res.body.id as string;
  const co = ['market', 'health', 'transport'];
  await ok(call('POST', `/v1/proposals/${id}/assignment`, { claims: office, body: { lead: 'commerce', co } }));
  await ok(call('POST', `/v1/proposals/${id}/units/commerce/acknowledge`, { claims: unit('commerce') }));
  for (const c of co)
    await ok(call('POST', `/v1/proposals/${id}/units/${c}/opinion`, { claims: unit(c), body: { text: zh(textMax.opinion) } }));
  return id;
}

const stored = async (id: string) => (await f.proposals.get(id))!;

describe('a proposal filled to its caps', () => {
  it('refuses one more contact with a 413 in Chinese that changes nothing; the reply, its approval and every rating still fit', async () => {
    const id = await bigProposal();
    const contact = (i: number) => ({
      unit: 'commerce',
      mode: 'phone',
      at: `2026-03-02T10:${String(i).padStart(2, '0')}:00+08:00`,
      note: zh(textMax.contactNote),
    });
    let refused: { status: number; body: any } | undefined;
    let taken = 0;
    for (let i = 0; i < 50 && !refused; i++) {
      const res = await call('POST', `/v1/proposals/${id}/contacts`, { claims: unit('commerce'), body: contact(i) });
      if (res.status === 200) taken++;
      else refused = res;
    }
    expect(taken).toBeGreaterThan(5);
    expect(refused?.status).toBe(413);
    expect(refused?.body).toMatchObject({ status: 413, title: '提案记录已达上限' });
    expect(refused?.body.detail).toMatch(/^本提案保存的内容已接近单条记录 400 KB 的存储上限.*联系记录/);

    // Nothing changed: the same version, the same contacts, no event.
    const before = await stored(id);
    const events = f.proposals.eventLog.length;
    expect((await call('POST', `/v1/proposals/${id}/contacts`, { claims: unit('commerce'), body: contact(59) })).status).toBe(413);
    expect(await stored(id)).toEqual(before);
    expect(f.proposals.eventLog.length).toBe(events);
    // A supervision is refused alike.
    const supervision = { mode: 'onsite', note: zh(textMax.supervisionNote), at: '2026-03-02T10:00:00+08:00' };
    expect((await call('POST', `/v1/proposals/${id}/supervision`, { claims: office, body: supervision })).status).toBe(413);

    // The longest reply, its approval, 50 ratings with the longest comments, the 跟踪落实 report: all taken.
    await ok(call('POST', `/v1/proposals/${id}/replies`, { claims: unit('commerce'), body: { class: 'B', text: zh(textMax.reply) } }));
    await ok(call('POST', `/v1/proposals/${id}/replies/1/approve`, { claims: office }));
    for (const memberId of memberIds)
      await ok(
        call('POST', `/v1/proposals/${id}/feedback`, {
          claims: { sub: memberId, role: 'member', memberId },
          body: { n: 1, satisfaction: 'satisfied', comment: zh(textMax.ratingComment) },
        }),
      );
    expect((await stored(id)).status).toBe('closed');
    await ok(
      call('POST', `/v1/proposals/${id}/progress`, { claims: unit('commerce'), body: { text: zh(textMax.progress), resolved: true } }),
    );
    const last = await stored(id);
    expect(last.feedback).toHaveLength(50);
    expect(storedBytes(last)).toBeLessThan(ITEM_LIMIT - 40 * 1024);
  });

  it('answers a text past its maximum length with 400 naming the field, before anything changes', async () => {
    const id = await bigProposal();
    const before = await stored(id);
    const long = [
      [
        `/v1/proposals/${id}/contacts`,
        unit('commerce'),
        { unit: 'commerce', mode: 'phone', at: '2026-03-02T10:00:00+08:00', note: zh(2_001) },
        'note',
      ],
      [`/v1/proposals/${id}/units/market/opinion`, unit('market'), { text: zh(1_501) }, 'text'],
      [`/v1/proposals/${id}/units/market/objection`, unit('market'), { reason: zh(501) }, 'reason'],
      [`/v1/proposals/${id}/supervision`, office, { mode: 'onsite', note: zh(2_001), at: '2026-03-02T10:00:00+08:00' }, 'note'],
    ] as const;
    for (const [path, claims, body, field] of long) {
      const res = await call('POST', path, { claims, body });
      expect(res.status, path).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
    }
    expect(await stored(id)).toEqual(before);
  });
});
